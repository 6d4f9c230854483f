#include "app/gui/main_window.h"

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QDockWidget>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QMenuBar>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QStatusBar>
#include <QTimer>
#include <QVBoxLayout>

#include "app/gui/app_settings.h"
#include "app/gui/broadcast_config.h"
#include "app/gui/destinations_panel.h"
#include "app/gui/health_panel.h"
#include "app/gui/log_ring.h"
#include "app/gui/preset_panel.h"
#include "app/gui/preview_widget.h"
#include "app/gui/session_controller.h"
#include "app/gui/share_panel.h"
#include "app/gui/source_picker.h"

namespace podium::gui {

namespace {
constexpr int kLogIntervalMs = 250;
constexpr int kLogMaxBlocks = 5000;

QGroupBox* framed(const QString& title, QWidget* content, QWidget* parent) {
    auto* box = new QGroupBox(title, parent);
    auto* layout = new QVBoxLayout(box);
    layout->addWidget(content);
    return box;
}
}  // namespace

MainWindow::MainWindow(AppSettings& settings, QWidget* parent)
    : QMainWindow(parent), settings_(settings) {
    setWindowTitle(tr("Podium"));
    setWindowIcon(QIcon(":/icons/podium.png"));
    controller_ = new SessionController(this);
    setCentralWidget(buildCentral());
    createActions();
    createLogDock();
    readSettings();
    connect(controller_, &SessionController::stateChanged, this, &MainWindow::onStateChanged);
    connect(controller_, &SessionController::finished, this, &MainWindow::onFinished);
    connect(controller_, &SessionController::summaryChanged, this,
            [this](const QString& line) { statusBar()->showMessage(line); });
    onStateChanged();
}

MainWindow::~MainWindow() = default;

QWidget* MainWindow::buildCentral() {
    auto* central = new QWidget(this);
    sources_ = new SourcePicker(central);
    presets_ = new PresetPanel(central);
    destinations_ = new DestinationsPanel(settings_, central);
    share_ = new SharePanel(central);
    health_ = new HealthPanel(*controller_, central);
    startButton_ = new QPushButton(central);
    startButton_->setObjectName("startButton");
    startButton_->setMinimumHeight(56);
    QFont big = startButton_->font();
    big.setPointSizeF(big.pointSizeF() * 1.5);
    big.setBold(true);
    startButton_->setFont(big);

    auto* sourceColumn = new QVBoxLayout;
    auto* sourceBox = new QWidget(central);
    auto* sourceLayout = new QVBoxLayout(sourceBox);
    sourceLayout->setContentsMargins(0, 0, 0, 0);
    sourceLayout->addWidget(sources_);
    sourceLayout->addWidget(new PreviewWidget(*controller_, sourceBox), 1);
    sourceColumn->addWidget(framed(tr("Source"), sourceBox, central), 3);
    sourceColumn->addWidget(framed(tr("Health"), health_, central), 2);

    auto* settingsColumn = new QVBoxLayout;
    settingsColumn->addWidget(framed(tr("Preset"), presets_, central));
    settingsColumn->addWidget(framed(tr("Destinations"), destinations_, central));
    settingsColumn->addWidget(startButton_);
    settingsColumn->addWidget(share_);
    settingsColumn->addStretch(1);

    auto* layout = new QHBoxLayout(central);
    layout->addLayout(sourceColumn, 3);
    layout->addLayout(settingsColumn, 2);

    connect(startButton_, &QPushButton::clicked, this, &MainWindow::toggleBroadcast);
    connect(sources_, &SourcePicker::sourceChanged, this,
            [this](const QString& spec) { settings_.setSourceSpec(spec); });
    connect(presets_, &PresetPanel::presetChanged, this,
            [this](const QString& name) { settings_.setPresetName(name); });
    return central;
}

void MainWindow::createActions() {
    QMenu* broadcast = menuBar()->addMenu(tr("&Broadcast"));
    startAction_ = broadcast->addAction(tr("&Start"), this, &MainWindow::toggleBroadcast);
    startAction_->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Return));
    stopAction_ = broadcast->addAction(tr("S&top"), this, &MainWindow::toggleBroadcast);
    stopAction_->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Period));
    broadcast->addSeparator();
    QAction* quit = broadcast->addAction(tr("&Quit"), this, &QWidget::close);
    quit->setShortcut(QKeySequence::Quit);
}

void MainWindow::createLogDock() {
    auto* dock = new QDockWidget(tr("Log"), this);
    dock->setObjectName("logDock");
    log_ = new QPlainTextEdit(dock);
    log_->setObjectName("log");
    log_->setReadOnly(true);
    log_->setMaximumBlockCount(kLogMaxBlocks);
    log_->setFont(QFont("monospace"));
    dock->setWidget(log_);
    addDockWidget(Qt::BottomDockWidgetArea, dock);
    resizeDocks({dock}, {90}, Qt::Vertical);
    auto* timer = new QTimer(this);
    connect(timer, &QTimer::timeout, this, &MainWindow::pullLog);
    timer->start(kLogIntervalMs);
}

void MainWindow::pullLog() {
    const QStringList lines = LogRing::instance().takeNew();
    for (const QString& line : lines) {
        log_->appendPlainText(line);
    }
}

void MainWindow::readSettings() {
    sources_->setCurrentSpec(settings_.sourceSpec());
    presets_->setCurrentPreset(settings_.presetName());
    if (!restoreGeometry(settings_.windowGeometry())) {
        resize(1280, 860);
    }
    restoreState(settings_.windowState());
}

void MainWindow::writeSettings() {
    settings_.setWindowGeometry(saveGeometry());
    settings_.setWindowState(saveState());
    settings_.sync();
}

void MainWindow::toggleBroadcast() {
    using State = SessionController::State;
    const State state = controller_->state();
    if (state == State::Starting || state == State::Live) {
        controller_->stop();
        return;
    }
    if (state != State::Idle) {
        return;
    }
    settings_.sync();
    auto config = buildSessionConfig(settings_);
    if (!config) {
        QMessageBox::warning(this, tr("Cannot start"),
                             QString::fromStdString(config.error().toString()));
        return;
    }
    controller_->start(std::move(*config));
}

void MainWindow::onStateChanged() {
    using State = SessionController::State;
    const State state = controller_->state();
    const bool idle = state == State::Idle;
    const bool live = state == State::Live;
    startButton_->setText(idle                       ? tr("Start")
                          : live                     ? tr("Stop")
                          : state == State::Starting ? tr("Starting…")
                                                     : tr("Stopping…"));
    startButton_->setEnabled(state != State::Stopping);
    startButton_->setStyleSheet(live   ? "background: #c02020; color: white;"
                                : idle ? "background: #1a7f37; color: white;"
                                       : "");
    startAction_->setEnabled(idle);
    stopAction_->setEnabled(!idle && state != State::Stopping);
    sources_->setEnabled(idle);
    presets_->setEnabled(idle);
    destinations_->setLive(!idle);
    if (state == State::Stopping) {
        QApplication::setOverrideCursor(Qt::BusyCursor);
    }
    if (live) {
        share_->setViewerUrl(controller_->viewerUrl());
        statusBar()->showMessage(tr("Live: %1").arg(controller_->sourceDescription()));
    }
    if (idle) {
        share_->setViewerUrl({});
    }
    setWindowTitle(live ? tr("Podium — live") : tr("Podium"));
}

void MainWindow::onFinished(bool clean, const QString& message) {
    while (QApplication::overrideCursor()) {
        QApplication::restoreOverrideCursor();
    }
    statusBar()->showMessage(clean ? tr("Stopped.") : message);
}

void MainWindow::closeEvent(QCloseEvent* event) {
    if (controller_->state() != SessionController::State::Idle && confirmQuit_) {
        const auto answer = QMessageBox::question(
            this, tr("Quit Podium?"),
            tr("You are live. Quitting stops the broadcast for every viewer. Quit anyway?"),
            QMessageBox::Yes | QMessageBox::No, QMessageBox::No);
        if (answer != QMessageBox::Yes) {
            event->ignore();
            return;
        }
    }
    QApplication::setOverrideCursor(Qt::BusyCursor);
    controller_->stopAndWait();  // finishes the archive and the origin's final playlists
    QApplication::restoreOverrideCursor();
    writeSettings();
    event->accept();
}

}  // namespace podium::gui

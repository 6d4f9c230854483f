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
#include "app/gui/audio_panel.h"
#include "app/gui/broadcast_config.h"
#include "app/gui/destinations_panel.h"
#include "app/gui/health_panel.h"
#include "app/gui/log_ring.h"
#include "app/gui/media_tap.h"
#include "app/gui/preset_panel.h"
#include "app/gui/preview_controller.h"
#include "app/gui/preview_widget.h"
#include "app/gui/scene_panel.h"
#include "app/gui/session_controller.h"
#include "app/gui/share_panel.h"
#include "app/gui/source_picker.h"
#include "app/gui/stop_progress.h"

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

/// Wayland screens: hands the desktop's remembered choice to the source, and keeps the new
/// token the desktop returns (it arrives on a worker: stored from the GUI thread), so only the
/// first preview or Start asks what to share.
void keepPortalChoice(app::SessionConfig& config, AppSettings& settings, QObject* context) {
    config.sourceOptions.portalRestoreToken = settings.portalRestoreToken().toStdString();
    config.sourceOptions.onPortalRestoreToken = [&settings, context](const std::string& token) {
        QMetaObject::invokeMethod(
            context,
            [&settings, token = QString::fromStdString(token)] {
                settings.setPortalRestoreToken(token);
                settings.sync();
            },
            Qt::QueuedConnection);
    };
}

}  // namespace

MainWindow::MainWindow(AppSettings& settings, QWidget* parent)
    : QMainWindow(parent), settings_(settings) {
    setWindowTitle(tr("Podium"));
    setWindowIcon(QIcon(":/icons/podium.png"));
    controller_ = new SessionController(this);
    preview_ = new PreviewController(this);
    tap_ = std::make_unique<MediaTap>(*controller_, *preview_);
    setCentralWidget(buildCentral());
    createActions();
    createLogDock();
    readSettings();
    connectPanels();
    onStateChanged();
    refreshPreview();
}

MainWindow::~MainWindow() = default;

QWidget* MainWindow::buildCentral() {
    auto* central = new QWidget(this);
    presets_ = new PresetPanel(central);
    destinations_ = new DestinationsPanel(settings_, central);
    share_ = new SharePanel(central);
    health_ = new HealthPanel(*controller_, central);
    stopProgress_ = new StopProgress(central);
    startButton_ = new QPushButton(central);
    startButton_->setObjectName("startButton");
    startButton_->setMinimumHeight(56);
    QFont big = startButton_->font();
    big.setPointSizeF(big.pointSizeF() * 1.5);
    big.setBold(true);
    startButton_->setFont(big);

    auto* sourceColumn = new QVBoxLayout;
    sourceColumn->addWidget(framed(tr("Source"), buildSourceColumn(central), central), 5);
    sourceColumn->addWidget(framed(tr("Health"), health_, central), 2);

    auto* settingsColumn = new QVBoxLayout;
    settingsColumn->addWidget(framed(tr("Preset"), presets_, central));
    settingsColumn->addWidget(framed(tr("Destinations"), destinations_, central));
    settingsColumn->addWidget(startButton_);
    settingsColumn->addWidget(stopProgress_);
    settingsColumn->addWidget(share_);
    settingsColumn->addStretch(1);

    auto* layout = new QHBoxLayout(central);
    layout->addLayout(sourceColumn, 3);
    layout->addLayout(settingsColumn, 2);
    return central;
}

QWidget* MainWindow::buildSourceColumn(QWidget* parent) {
    auto* box = new QWidget(parent);
    sources_ = new SourcePicker(box);
    scene_ = new ScenePanel(box);
    audio_ = new AudioPanel(*tap_, box);
    auto* layout = new QVBoxLayout(box);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(sources_);
    layout->addWidget(new PreviewWidget(*tap_, box), 1);
    layout->addWidget(scene_);
    layout->addWidget(audio_);
    return box;
}

void MainWindow::connectPanels() {
    connect(startButton_, &QPushButton::clicked, this, &MainWindow::toggleBroadcast);
    connect(sources_, &SourcePicker::sourceChanged, this, [this](const QString& spec) {
        settings_.setSourceSpec(spec);
        audio_->setSourceIsTestPattern(spec == "testpattern");
        refreshPreview();
    });
    connect(presets_, &PresetPanel::presetChanged, this, [this](const QString& name) {
        settings_.setPresetName(name);
        refreshPreview();
    });
    connect(audio_, &AudioPanel::audioChanged, this, [this](const QString& spec) {
        settings_.setAudioSpec(spec);
        refreshPreview();
    });
    connect(audio_, &AudioPanel::muteToggled, controller_, &SessionController::setAudioMuted);
    connect(scene_, &ScenePanel::sceneChanged, this, [this](const app::SceneSettings& scene) {
        settings_.setScene(scene);
        controller_->setScene(scene);  // live: the broadcast changes (ignored when idle)
        refreshPreview();              // idle: the preview shows it (ignored while released)
    });
    connect(controller_, &SessionController::stateChanged, this, &MainWindow::onStateChanged);
    connect(controller_, &SessionController::finished, this, &MainWindow::onFinished);
    connect(controller_, &SessionController::summaryChanged, this,
            [this](const QString& line) { statusBar()->showMessage(line); });
    connect(controller_, &SessionController::stopProgressChanged, stopProgress_,
            &StopProgress::showProgress);
}

void MainWindow::createActions() {
    QMenu* broadcast = menuBar()->addMenu(tr("&Broadcast"));
    startAction_ = broadcast->addAction(tr("&Start"), this, &MainWindow::toggleBroadcast);
    startAction_->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Return));
    stopAction_ = broadcast->addAction(tr("S&top"), this, &MainWindow::toggleBroadcast);
    stopAction_->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Period));
    broadcast->addSeparator();
    // Wayland: forget the desktop's remembered screen choice, so the next Start asks again.
    broadcast->addAction(tr("&Choose the shared screen again"), this, [this] {
        settings_.setPortalRestoreToken({});
        settings_.sync();
    });
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
    audio_->setCurrentSpec(settings_.audioSpec());
    audio_->setSourceIsTestPattern(settings_.sourceSpec() == "testpattern");
    scene_->setScene(settings_.scene());
    if (!restoreGeometry(settings_.windowGeometry())) {
        resize(1280, 900);
    }
    restoreState(settings_.windowState());
}

void MainWindow::writeSettings() {
    settings_.setWindowGeometry(saveGeometry());
    settings_.setWindowState(saveState());
    settings_.sync();
}

void MainWindow::refreshPreview() {
    auto config = buildCaptureConfig(settings_);
    if (!config) {
        statusBar()->showMessage(QString::fromStdString(config.error().toString()));
        return;
    }
    keepPortalChoice(*config, settings_, this);
    preview_->show(*config);
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
    keepPortalChoice(*config, settings_, this);
    // The preview lets go of the devices first; its last picture stays until the live one.
    controller_->start(std::move(*config), preview_->release());
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
    audio_->setLive(live);
    scene_->setEnabled(idle || live);
    if (live) {
        share_->setViewerUrl(controller_->viewerUrl());
        statusBar()->showMessage(tr("Live: %1").arg(controller_->sourceDescription()));
    }
    if (idle) {
        share_->setViewerUrl({});
        stopProgress_->finish();
        if (preview_->isReleased() && !quitWhenStopped_) {
            preview_->resume();
        }
    }
    setWindowTitle(live ? tr("Podium — live") : tr("Podium"));
}

void MainWindow::onFinished(bool clean, const QString& message) {
    statusBar()->showMessage(clean ? tr("Stopped.") : message);
    if (quitWhenStopped_) {
        QTimer::singleShot(0, this, &QWidget::close);  // closeEvent runs again, now idle
    }
}

void MainWindow::closeEvent(QCloseEvent* event) {
    const SessionController::State state = controller_->state();
    if (state != SessionController::State::Idle) {
        const bool stopping = state == SessionController::State::Stopping;
        if (confirmQuit_ && !quitWhenStopped_ && !stopping) {
            const auto answer = QMessageBox::question(
                this, tr("Quit Podium?"),
                tr("You are live. Quitting stops the broadcast for every viewer. Quit anyway?"),
                QMessageBox::Yes | QMessageBox::No, QMessageBox::No);
            if (answer != QMessageBox::Yes) {
                event->ignore();
                return;
            }
        }
        // Stop the same way as the Stop button (the archive and the destinations finish, with
        // progress shown); the window closes when the broadcast has ended.
        quitWhenStopped_ = true;
        controller_->stop();
        statusBar()->showMessage(tr("Stopping before quitting…"));
        event->ignore();
        return;
    }
    writeSettings();
    event->accept();
}

}  // namespace podium::gui

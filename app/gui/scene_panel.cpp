#include "app/gui/scene_panel.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFutureWatcher>
#include <QGridLayout>
#include <QLabel>
#include <QLineEdit>
#include <QtConcurrent/QtConcurrentRun>
#include <cmath>

#include "capture/v4l2_devices.h"

namespace podium::gui {

namespace {
using capture::PipCorner;
}  // namespace

ScenePanel::ScenePanel(QWidget* parent) : QWidget(parent) {
    title_ = new QLineEdit(this);
    title_->setObjectName("titleEdit");
    title_->setPlaceholderText(tr("Title at the bottom, e.g. Alice - Rust async"));
    title_->setClearButtonEnabled(true);
    webcam_ = new QCheckBox(tr("Add webcam"), this);
    webcam_->setObjectName("webcamCheck");
    camera_ = new QComboBox(this);
    camera_->setObjectName("webcamCamera");
    corner_ = new QComboBox(this);
    corner_->setObjectName("webcamCorner");
    corner_->addItem(tr("bottom right"), int(PipCorner::BottomRight));
    corner_->addItem(tr("bottom left"), int(PipCorner::BottomLeft));
    corner_->addItem(tr("top right"), int(PipCorner::TopRight));
    corner_->addItem(tr("top left"), int(PipCorner::TopLeft));
    size_ = new QComboBox(this);
    size_->setObjectName("webcamSize");
    size_->addItem(tr("small"), 0.2);
    size_->addItem(tr("medium"), 0.25);
    size_->addItem(tr("large"), 0.33);
    size_->setCurrentIndex(1);
    for (QComboBox* box : {camera_, corner_, size_}) {
        box->setEnabled(false);  // until "Add webcam" is ticked
    }

    auto* grid = new QGridLayout(this);
    grid->setContentsMargins(0, 0, 0, 0);
    grid->addWidget(new QLabel(tr("Title"), this), 0, 0);
    grid->addWidget(title_, 0, 1, 1, 3);
    grid->addWidget(webcam_, 1, 0);
    grid->addWidget(camera_, 1, 1);
    grid->addWidget(corner_, 1, 2);
    grid->addWidget(size_, 1, 3);
    grid->setColumnStretch(1, 1);

    titlePause_.setSingleShot(true);
    titlePause_.setInterval(kTitlePauseMs);
    connect(&titlePause_, &QTimer::timeout, this, &ScenePanel::changed);
    connect(title_, &QLineEdit::textEdited, this, [this] { titlePause_.start(); });
    connect(title_, &QLineEdit::returnPressed, this, &ScenePanel::changed);
    connect(title_, &QLineEdit::editingFinished, this, &ScenePanel::changed);
    connect(webcam_, &QCheckBox::toggled, this, [this](bool on) {
        for (QComboBox* box : {camera_, corner_, size_}) {
            box->setEnabled(on);
        }
        changed();
    });
    for (QComboBox* box : {camera_, corner_, size_}) {
        connect(box, &QComboBox::activated, this, &ScenePanel::changed);
    }
    refresh();
}

app::SceneSettings ScenePanel::scene() const {
    app::SceneSettings scene;
    scene.title = title_->text().trimmed().toStdString();
    if (webcam_->isChecked() && camera_->currentIndex() >= 0) {
        scene.pipSpec = camera_->currentData().toString().toStdString();
    }
    scene.pipLayout.corner = PipCorner(corner_->currentData().toInt());
    scene.pipLayout.widthFraction = size_->currentData().toDouble();
    return scene;
}

void ScenePanel::setScene(const app::SceneSettings& scene) {
    title_->setText(QString::fromStdString(scene.title));
    corner_->setCurrentIndex(std::max(0, corner_->findData(int(scene.pipLayout.corner))));
    int size = 1;
    for (int i = 0; i < size_->count(); ++i) {
        if (std::abs(size_->itemData(i).toDouble() - scene.pipLayout.widthFraction) <
            std::abs(size_->itemData(size).toDouble() - scene.pipLayout.widthFraction)) {
            size = i;
        }
    }
    size_->setCurrentIndex(size);
    wantedCamera_ = QString::fromStdString(scene.pipSpec);
    selectCamera(wantedCamera_);
    const QSignalBlocker quiet(webcam_);
    webcam_->setChecked(!scene.pipSpec.empty() && camera_->currentIndex() >= 0);
    for (QComboBox* box : {camera_, corner_, size_}) {
        box->setEnabled(webcam_->isChecked());
    }
    emitted_ = this->scene();
}

void ScenePanel::selectCamera(const QString& spec) {
    if (spec.isEmpty()) {
        return;
    }
    if (camera_->findData(spec) < 0) {
        camera_->addItem(spec.section(':', 1), spec);  // remembered, not plugged in (yet)
    }
    camera_->setCurrentIndex(camera_->findData(spec));
}

void ScenePanel::refresh() {
    auto* watcher = new QFutureWatcher<std::vector<capture::CameraDevice>>(this);
    connect(watcher, &QFutureWatcher<std::vector<capture::CameraDevice>>::finished, this,
            [this, watcher] {
                const auto cameras = watcher->result();
                watcher->deleteLater();
                for (const auto& c : cameras) {
                    const QString spec = QString::fromStdString(c.id());
                    if (camera_->findData(spec) < 0) {
                        camera_->addItem(QString::fromStdString(c.card), spec);
                    }
                }
                selectCamera(wantedCamera_);
                const bool any = camera_->count() > 0;
                webcam_->setEnabled(any);
                webcam_->setToolTip(any ? QString() : tr("No camera found"));
            });
    watcher->setFuture(QtConcurrent::run([] { return capture::listCameras(); }));
}

void ScenePanel::changed() {
    const app::SceneSettings now = scene();
    if (now == emitted_) {
        return;
    }
    emitted_ = now;
    emit sceneChanged(now);
}

}  // namespace podium::gui

#include "app/gui/audio_panel.h"

#include <QComboBox>
#include <QFutureWatcher>
#include <QHBoxLayout>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QStandardItemModel>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>
#include <cmath>

#include "app/gui/media_tap.h"
#include "app/gui/problem_text.h"
#include "capture/pulse_audio_source.h"

namespace podium::gui {

namespace {
constexpr double kMeterFloorDb = -60.0;
constexpr auto kTestTone = "testtone";
using InputList = Result<std::vector<capture::AudioDeviceInfo>>;
}  // namespace

AudioPanel::AudioPanel(const MediaTap& tap, QWidget* parent) : QWidget(parent), tap_(tap) {
    input_ = new QComboBox(this);
    input_->setObjectName("audioInput");
    input_->setToolTip(tr("Where the sound comes from"));
    addInput(tr("Automatic (test tone, the file's sound, or the default microphone)"), "");
    addInput(tr("Test tone"), kTestTone);
    addInput(tr("Default microphone"), "pulse");
    addInput(tr("None (no sound)"), "none");
    meter_ = new QProgressBar(this);
    meter_->setObjectName("audioMeter");
    meter_->setRange(0, 100);
    meter_->setTextVisible(false);
    meter_->setMaximumHeight(14);
    meter_->setToolTip(tr("Audio level (peak, −60 to 0 dBFS)"));
    mute_ = new QPushButton(tr("Mute"), this);
    mute_->setObjectName("muteButton");
    mute_->setCheckable(true);
    warning_ = new QLabel(this);
    warning_->setObjectName("silenceWarning");
    warning_->setWordWrap(true);
    warning_->setStyleSheet("color: #c02020; font-weight: bold;");
    warning_->hide();

    auto* row = new QHBoxLayout;
    row->addWidget(new QLabel(tr("Sound"), this));
    row->addWidget(input_, 1);
    row->addWidget(mute_);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(row);
    layout->addWidget(meter_);
    layout->addWidget(warning_);

    connect(input_, &QComboBox::activated, this, [this] {
        silence_.reset();
        emit audioChanged(currentSpec());
    });
    connect(mute_, &QPushButton::toggled, this, [this](bool muted) {
        mute_->setText(muted ? tr("Muted") : tr("Mute"));
        mute_->setStyleSheet(muted ? "background: #c02020; color: white;" : "");
        silence_.reset();
        emit muteToggled(muted);
    });
    connect(&timer_, &QTimer::timeout, this, &AudioPanel::updateMeter);
    clock_.start();
    timer_.start(kMeterIntervalMs);
    refresh();
}

void AudioPanel::addInput(const QString& label, const QString& spec) {
    input_->addItem(label, spec);
    input_->setItemData(input_->count() - 1, spec.isEmpty() ? label : spec, Qt::ToolTipRole);
}

void AudioPanel::refresh() {
    auto* watcher = new QFutureWatcher<InputList>(this);
    connect(watcher, &QFutureWatcher<InputList>::finished, this, [this, watcher] {
        const InputList inputs = watcher->result();
        watcher->deleteLater();
        if (!inputs) {
            input_->setToolTip(tr("No PulseAudio or PipeWire server: %1")
                                   .arg(QString::fromStdString(inputs.error().message())));
            return;
        }
        const QString current = currentSpec();
        for (const auto& device : *inputs) {
            const QString spec = QString::fromStdString(device.id());
            if (input_->findData(spec) < 0) {
                const QString name = QString::fromStdString(
                    device.description.empty() ? device.name : device.description);
                // Before "None", so that it stays last.
                input_->insertItem(
                    input_->count() - 1,
                    device.isMonitor ? tr("%1 (what the computer plays)").arg(name) : name, spec);
            }
        }
        setCurrentSpec(current);
    });
    watcher->setFuture(QtConcurrent::run([] { return capture::listAudioSources(); }));
}

QString AudioPanel::currentSpec() const {
    return input_->currentData().toString();
}

void AudioPanel::setCurrentSpec(const QString& spec) {
    int index = input_->findData(spec);
    if (index < 0 && spec.startsWith("pulse:")) {
        input_->insertItem(input_->count() - 1, spec.mid(6), spec);  // not plugged in (yet)
        index = input_->findData(spec);
    }
    input_->setCurrentIndex(std::max(0, index));
}

void AudioPanel::setSourceIsTestPattern(bool isPattern) {
    auto* model = qobject_cast<QStandardItemModel*>(input_->model());
    if (auto* item = model ? model->item(input_->findData(kTestTone)) : nullptr) {
        item->setEnabled(isPattern);
    }
    if (!isPattern && currentSpec() == kTestTone) {
        input_->setCurrentIndex(0);
        emit audioChanged(currentSpec());
    }
}

void AudioPanel::setLive(bool live) {
    live_ = live;
    input_->setEnabled(!live);
    silence_.reset();
    warning_->hide();
}

bool AudioPanel::isMuted() const {
    return mute_->isChecked();
}

void AudioPanel::updateMeter() {
    const bool hasAudio = tap_.hasAudio();
    const double peak = hasAudio ? tap_.audioPeak() : 0.0;
    const double db = peak > 0 ? 20.0 * std::log10(peak) : kMeterFloorDb;
    meter_->setValue(
        int(std::lround(100.0 * (std::max(db, kMeterFloorDb) - kMeterFloorDb) / -kMeterFloorDb)));
    meter_->setEnabled(hasAudio && !isMuted());
    if (!live_ || !hasAudio || isMuted()) {
        warning_->hide();
        return;
    }
    silence_.observe(float(peak), clock_.elapsed());
    if (silence_.isSilent()) {
        warning_->setText(describeSilence(int(silence_.silentForMs() / 1000)));
    }
    warning_->setVisible(silence_.isSilent());
}

}  // namespace podium::gui

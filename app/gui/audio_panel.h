#pragma once

#include <QElapsedTimer>
#include <QTimer>
#include <QWidget>

#include "app/gui/silence_detector.h"

class QComboBox;
class QLabel;
class QProgressBar;
class QPushButton;

namespace podium::gui {

class MediaTap;

/// Sound you can check: the microphone picker (automatic, the test tone, PulseAudio/PipeWire
/// inputs listed on a worker, none), a level meter that moves before and during the broadcast,
/// a mute button, and while live a warning once the input has been silent for 10 s.
/// Emits audioChanged with an AudioSpec text ("", "testtone", "pulse:NAME", "none").
/// GUI thread only; the meter polls the MediaTap at 10 Hz.
class AudioPanel : public QWidget {
    Q_OBJECT
public:
    static constexpr int kMeterIntervalMs = 100;

    AudioPanel(const MediaTap& tap, QWidget* parent = nullptr);

    [[nodiscard]] QString currentSpec() const;
    /// Selects `spec` (adding an entry for an input not listed yet).
    void setCurrentSpec(const QString& spec);
    /// The test tone belongs to the test pattern; with another source it falls back to
    /// automatic.
    void setSourceIsTestPattern(bool isPattern);
    /// Live: the input is fixed and silence is watched.
    void setLive(bool live);
    [[nodiscard]] bool isMuted() const;
    /// Re-lists the inputs.
    void refresh();

signals:
    void audioChanged(const QString& spec);
    void muteToggled(bool muted);

private:
    void addInput(const QString& label, const QString& spec);
    void updateMeter();

    const MediaTap& tap_;
    QComboBox* input_ = nullptr;
    QProgressBar* meter_ = nullptr;
    QPushButton* mute_ = nullptr;
    QLabel* warning_ = nullptr;
    QTimer timer_;
    QElapsedTimer clock_;
    SilenceDetector silence_;
    bool live_ = false;
};

}  // namespace podium::gui

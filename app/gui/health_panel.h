#pragma once

#include <QWidget>

class QLabel;
class QProgressBar;

namespace podium::gui {

class SessionController;

/// Health while live: per-rendition fps, bitrate, encoder lag and drops; per-destination state;
/// an audio meter (when the source has sound); the current problem in words.
/// GUI thread only; the meter is polled on a timer.
class HealthPanel : public QWidget {
    Q_OBJECT
public:
    HealthPanel(SessionController& controller, QWidget* parent = nullptr);

private:
    void showProblem(const QString& words);
    void updateMeter();

    SessionController& controller_;
    QLabel* problem_ = nullptr;
    QProgressBar* meter_ = nullptr;
};

}  // namespace podium::gui

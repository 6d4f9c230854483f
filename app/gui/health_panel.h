#pragma once

#include <QWidget>

class QLabel;

namespace podium::gui {

class SessionController;

/// Health while live: per-rendition fps, bitrate, encoder lag and drops; per-destination state;
/// the current problem in words. (The sound meter is the AudioPanel's.) GUI thread only.
class HealthPanel : public QWidget {
    Q_OBJECT
public:
    HealthPanel(SessionController& controller, QWidget* parent = nullptr);

private:
    void showProblem(const QString& words);

    QLabel* problem_ = nullptr;
};

}  // namespace podium::gui

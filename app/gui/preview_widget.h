#pragma once

#include <QLabel>
#include <QTimer>

namespace podium::gui {

class SessionController;

/// The live preview: polls SessionController::latestFrame() on a timer (kFps, never a signal
/// per frame), converts only a frame it has not shown yet, and scales it to fit. Shows a hint
/// while idle. GUI thread only.
class PreviewWidget : public QLabel {
    Q_OBJECT
public:
    static constexpr int kFps = 12;

    PreviewWidget(SessionController& controller, QWidget* parent = nullptr);

private:
    void refresh();

    SessionController& controller_;
    QTimer timer_;
    int64_t shownSequence_ = -1;
    const void* shownFrame_ = nullptr;
};

}  // namespace podium::gui

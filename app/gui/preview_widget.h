#pragma once

#include <QLabel>
#include <QTimer>

namespace podium::gui {

class MediaTap;

/// The picture: polls MediaTap::latestFrame() on a timer (kFps, never a signal per frame) —
/// the preview before Start, the broadcast while live — converts only a frame it has not shown
/// yet, and scales it to fit. When the source cannot be used it says why instead.
/// GUI thread only.
class PreviewWidget : public QLabel {
    Q_OBJECT
public:
    static constexpr int kFps = 12;

    PreviewWidget(const MediaTap& tap, QWidget* parent = nullptr);

    /// Pictures shown so far (tests: "frames arrive").
    [[nodiscard]] int picturesShown() const { return picturesShown_; }
    /// The last picture shown, at the source's size (tests: "the image changes").
    [[nodiscard]] QImage lastImage() const { return lastImage_; }

private:
    void refresh();

    const MediaTap& tap_;
    QTimer timer_;
    int64_t shownSequence_ = -1;
    const void* shownFrame_ = nullptr;
    QString shownProblem_;
    QImage lastImage_;
    int picturesShown_ = 0;
};

}  // namespace podium::gui

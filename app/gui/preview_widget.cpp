#include "app/gui/preview_widget.h"

#include "app/gui/frame_image.h"
#include "app/gui/media_tap.h"

namespace podium::gui {

PreviewWidget::PreviewWidget(const MediaTap& tap, QWidget* parent) : QLabel(parent), tap_(tap) {
    setObjectName("preview");
    setMinimumSize(320, 180);
    // The picture never drives the layout: the label takes the room it is given.
    setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Ignored);
    setAlignment(Qt::AlignCenter);
    setWordWrap(true);
    setStyleSheet("QLabel#preview { background: #111; color: #ddd; padding: 12px; }");
    setText(tr("Opening the preview…"));
    timer_.setInterval(1000 / kFps);
    connect(&timer_, &QTimer::timeout, this, &PreviewWidget::refresh);
    timer_.start();
}

void PreviewWidget::refresh() {
    const QString problem = tap_.problem();
    if (!problem.isEmpty()) {
        if (problem != shownProblem_) {
            shownProblem_ = problem;
            shownFrame_ = nullptr;
            setText(problem);  // replaces the picture: the words are what the speaker needs
        }
        return;
    }
    shownProblem_.clear();
    const VideoFramePtr frame = tap_.latestFrame();
    if (!frame) {
        return;  // keep the last picture (after Stop it tells what went out last)
    }
    if (frame.get() == shownFrame_ && frame->sequence == shownSequence_) {
        return;
    }
    shownFrame_ = frame.get();
    shownSequence_ = frame->sequence;
    const QImage image = toQImage(*frame);
    if (image.isNull()) {
        return;
    }
    lastImage_ = image;
    ++picturesShown_;
    setPixmap(
        QPixmap::fromImage(image.scaled(size(), Qt::KeepAspectRatio, Qt::SmoothTransformation)));
}

}  // namespace podium::gui

#include "app/gui/preview_widget.h"

#include "app/gui/frame_image.h"
#include "app/gui/session_controller.h"

namespace podium::gui {

PreviewWidget::PreviewWidget(SessionController& controller, QWidget* parent)
    : QLabel(parent), controller_(controller) {
    setObjectName("preview");
    setMinimumSize(320, 180);
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding);
    setAlignment(Qt::AlignCenter);
    setStyleSheet("QLabel#preview { background: #111; color: #aaa; }");
    setText(tr("The preview appears when you start."));
    timer_.setInterval(1000 / kFps);
    connect(&timer_, &QTimer::timeout, this, &PreviewWidget::refresh);
    timer_.start();
}

void PreviewWidget::refresh() {
    const VideoFramePtr frame = controller_.latestFrame();
    if (!frame) {
        if (shownFrame_) {
            shownFrame_ = nullptr;
            shownSequence_ = -1;
            // Keep the last picture after Stop; it tells what went out last.
        }
        return;
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
    setPixmap(
        QPixmap::fromImage(image.scaled(size(), Qt::KeepAspectRatio, Qt::SmoothTransformation)));
}

}  // namespace podium::gui

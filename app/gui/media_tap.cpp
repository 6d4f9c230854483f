#include "app/gui/media_tap.h"

#include "app/gui/preview_controller.h"
#include "app/gui/session_controller.h"

namespace podium::gui {

bool MediaTap::isLive() const {
    return session_.state() == SessionController::State::Live;
}

VideoFramePtr MediaTap::latestFrame() const {
    if (VideoFramePtr live = session_.latestFrame()) {
        return live;
    }
    return preview_.latestFrame();
}

float MediaTap::audioPeak() const {
    return session_.hasAudio() ? session_.audioPeak() : preview_.audioPeak();
}

bool MediaTap::hasAudio() const {
    if (session_.state() != SessionController::State::Idle) {
        return session_.hasAudio();
    }
    return preview_.hasAudio();
}

QString MediaTap::problem() const {
    return session_.state() == SessionController::State::Idle ? preview_.problem() : QString();
}

}  // namespace podium::gui

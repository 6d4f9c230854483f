#include "app/gui/silence_detector.h"

namespace podium::gui {

void SilenceDetector::observe(float peak, int64_t nowMs) {
    if (!started_) {
        started_ = true;
        lastLoudMs_ = nowMs;  // silence is counted from the first look, not from 0
    }
    if (peak > kThreshold) {
        lastLoudMs_ = nowMs;
    }
    lastSeenMs_ = nowMs;
}

void SilenceDetector::reset() {
    started_ = false;
    lastLoudMs_ = 0;
    lastSeenMs_ = 0;
}

int64_t SilenceDetector::silentForMs() const {
    return started_ ? lastSeenMs_ - lastLoudMs_ : 0;
}

bool SilenceDetector::isSilent() const {
    return started_ && silentForMs() >= holdMs_;
}

}  // namespace podium::gui

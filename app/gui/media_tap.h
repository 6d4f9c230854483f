#pragma once

#include <QString>

#include "core/video_frame.h"

namespace podium::gui {

class PreviewController;
class SessionController;

/// What the window shows and meters: the broadcast's picture and sound while it has them,
/// otherwise the preview's. The switch is seamless: after Start the preview's last picture
/// stays until the broadcast's first one arrives. GUI thread only; cheap enough for a
/// 10-15 Hz timer.
class MediaTap {
public:
    MediaTap(SessionController& session, PreviewController& preview)
        : session_(session), preview_(preview) {}

    [[nodiscard]] VideoFramePtr latestFrame() const;
    /// 0..1, linear peak of the newest audio frame as captured (before muting).
    [[nodiscard]] float audioPeak() const;
    [[nodiscard]] bool hasAudio() const;
    /// Why there is no picture (the preview's source cannot be used); empty otherwise.
    [[nodiscard]] QString problem() const;
    [[nodiscard]] bool isLive() const;

private:
    SessionController& session_;
    PreviewController& preview_;
};

}  // namespace podium::gui

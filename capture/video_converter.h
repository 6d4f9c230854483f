#pragma once

#include <memory>

#include "capture/av_handles.h"
#include "core/status.h"
#include "core/video_frame.h"

namespace podium::capture {

/// Decoded picture (any size / pixel format) -> I420 VideoFrame of the canvas size, aspect ratio
/// kept (sample aspect ratio honoured) with black letterbox/pillarbox bars. A yuv420p picture
/// already at canvas size is copied plane by plane (no libswscale call). Single-threaded: used
/// by the file source's thread only. Sizes in pixels.
class VideoConverter {
public:
    VideoConverter(int canvasWidth, int canvasHeight);

    /// A new frame (pts and sequence left 0 for the caller to set).
    [[nodiscard]] Result<std::shared_ptr<VideoFrame>> convert(const AVFrame& picture);

    /// Where a `width` x `height` picture with sample aspect `sarNum:sarDen` lands on the
    /// canvas: even offsets and sizes. Pure; exposed for tests.
    struct Placement {
        int x = 0, y = 0, width = 0, height = 0;
    };
    [[nodiscard]] static Placement place(int width, int height, int sarNum, int sarDen,
                                         int canvasWidth, int canvasHeight);

private:
    void copyPlanes(const AVFrame& picture, VideoFrame& out) const;

    int canvasWidth_;
    int canvasHeight_;
    SwsPtr sws_;
};

}  // namespace podium::capture

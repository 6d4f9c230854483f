#pragma once

#include <memory>

#include "core/status.h"
#include "core/video_frame.h"

struct SwsContext;

namespace podium::encoder {

/// Resizes I420 frames from one fixed size to another with libswscale (bilinear: fast enough
/// for a live ladder and, unlike SWS_FAST_BILINEAR, it averages when shrinking 2-3x so slide
/// text does not alias). One Scaler per rendition; not thread-safe, call it from one thread at a
/// time. Sizes in pixels.
class Scaler {
public:
    [[nodiscard]] static Result<std::unique_ptr<Scaler>> create(int srcWidth, int srcHeight,
                                                                int dstWidth, int dstHeight);

    /// A new frame of the destination size with the same pts and sequence; `in` itself (no copy)
    /// when it already has the destination size. InvalidArgument if `in` is neither size.
    [[nodiscard]] Result<VideoFramePtr> scale(const VideoFramePtr& in);

    [[nodiscard]] int dstWidth() const { return dstWidth_; }
    [[nodiscard]] int dstHeight() const { return dstHeight_; }

private:
    struct SwsDeleter {
        void operator()(SwsContext* context) const;
    };

    Scaler(int srcWidth, int srcHeight, int dstWidth, int dstHeight, SwsContext* context);

    int srcWidth_;
    int srcHeight_;
    int dstWidth_;
    int dstHeight_;
    std::unique_ptr<SwsContext, SwsDeleter> context_;  // null when the sizes are equal
};

}  // namespace podium::encoder

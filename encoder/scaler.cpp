#include "scaler.h"

#include <string>

extern "C" {
#include <libswscale/swscale.h>
}

namespace podium::encoder {
namespace {

std::string sizeText(int width, int height) {
    return std::to_string(width) + "x" + std::to_string(height);
}

}  // namespace

void Scaler::SwsDeleter::operator()(SwsContext* context) const {
    sws_freeContext(context);
}

Scaler::Scaler(int srcWidth, int srcHeight, int dstWidth, int dstHeight, SwsContext* context)
    : srcWidth_(srcWidth),
      srcHeight_(srcHeight),
      dstWidth_(dstWidth),
      dstHeight_(dstHeight),
      context_(context) {}

Result<std::unique_ptr<Scaler>> Scaler::create(int srcWidth, int srcHeight, int dstWidth,
                                               int dstHeight) {
    const std::string what =
        "scaler " + sizeText(srcWidth, srcHeight) + " -> " + sizeText(dstWidth, dstHeight);
    if (srcWidth <= 0 || srcHeight <= 0 || dstWidth <= 0 || dstHeight <= 0) {
        return makeError(
            Status(ErrorCode::InvalidArgument, "sizes must be positive").withContext(what));
    }
    SwsContext* context = nullptr;
    if (srcWidth != dstWidth || srcHeight != dstHeight) {
        context = sws_getContext(srcWidth, srcHeight, AV_PIX_FMT_YUV420P, dstWidth, dstHeight,
                                 AV_PIX_FMT_YUV420P, SWS_BILINEAR, nullptr, nullptr, nullptr);
        if (!context) {
            return makeError(Status(ErrorCode::Codec, "sws_getContext refused the conversion")
                                 .withContext(what));
        }
    }
    return std::unique_ptr<Scaler>(new Scaler(srcWidth, srcHeight, dstWidth, dstHeight, context));
}

Result<VideoFramePtr> Scaler::scale(const VideoFramePtr& in) {
    if (!in || in->format != PixelFormat::I420) {
        return makeError(ErrorCode::InvalidArgument, "scaler: expected an I420 frame");
    }
    if (in->width == dstWidth_ && in->height == dstHeight_) {
        return in;
    }
    if (in->width != srcWidth_ || in->height != srcHeight_ || !context_) {
        return makeError(ErrorCode::InvalidArgument,
                         "scaler " + sizeText(srcWidth_, srcHeight_) + " -> " +
                             sizeText(dstWidth_, dstHeight_) + ": got a " +
                             sizeText(in->width, in->height) + " frame");
    }
    auto out = std::make_shared<VideoFrame>(VideoFrame::makeI420(dstWidth_, dstHeight_));
    out->pts = in->pts;
    out->sequence = in->sequence;
    const uint8_t* srcPlanes[3] = {in->plane(0), in->plane(1), in->plane(2)};
    const int srcStrides[3] = {in->stride(0), in->stride(1), in->stride(2)};
    uint8_t* dstPlanes[3] = {out->plane(0), out->plane(1), out->plane(2)};
    const int dstStrides[3] = {out->stride(0), out->stride(1), out->stride(2)};
    const int rows =
        sws_scale(context_.get(), srcPlanes, srcStrides, 0, srcHeight_, dstPlanes, dstStrides);
    if (rows != dstHeight_) {
        return makeError(ErrorCode::Codec, "sws_scale wrote " + std::to_string(rows) + " of " +
                                               std::to_string(dstHeight_) + " rows");
    }
    return VideoFramePtr(std::move(out));
}

}  // namespace podium::encoder

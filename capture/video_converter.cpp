#include "video_converter.h"

#include <algorithm>
#include <cmath>
#include <cstring>

extern "C" {
#include <libavutil/pixdesc.h>
}

namespace podium::capture {

VideoConverter::VideoConverter(int canvasWidth, int canvasHeight)
    : canvasWidth_(canvasWidth), canvasHeight_(canvasHeight) {}

VideoConverter::Placement VideoConverter::place(int width, int height, int sarNum, int sarDen,
                                                int canvasWidth, int canvasHeight) {
    if (sarNum <= 0 || sarDen <= 0) {
        sarNum = sarDen = 1;
    }
    const double aspect = double(width) * sarNum / (double(height) * sarDen);
    Placement p{0, 0, canvasWidth, canvasHeight};
    if (aspect * canvasHeight > canvasWidth) {  // wider than the canvas: letterbox
        p.height = static_cast<int>(std::lround(canvasWidth / aspect));
    } else {  // narrower: pillarbox
        p.width = static_cast<int>(std::lround(canvasHeight * aspect));
    }
    p.width = std::clamp(p.width & ~1, 2, canvasWidth);
    p.height = std::clamp(p.height & ~1, 2, canvasHeight);
    p.x = ((canvasWidth - p.width) / 2) & ~1;
    p.y = ((canvasHeight - p.height) / 2) & ~1;
    return p;
}

void VideoConverter::copyPlanes(const AVFrame& picture, VideoFrame& out) const {
    for (int plane = 0; plane < 3; ++plane) {
        const int rows = plane == 0 ? out.height : out.chromaHeight();
        const int bytes = out.stride(plane);
        const uint8_t* src = picture.data[plane];
        uint8_t* dst = out.plane(plane);
        if (picture.linesize[plane] == bytes) {
            std::memcpy(dst, src, size_t(bytes) * rows);
            continue;
        }
        for (int row = 0; row < rows; ++row) {
            std::memcpy(dst + size_t(row) * bytes, src + size_t(row) * picture.linesize[plane],
                        bytes);
        }
    }
}

Result<std::shared_ptr<VideoFrame>> VideoConverter::convert(const AVFrame& picture) {
    auto out = std::make_shared<VideoFrame>(VideoFrame::makeI420(canvasWidth_, canvasHeight_));
    const auto format = static_cast<AVPixelFormat>(picture.format);
    const Placement p = place(picture.width, picture.height, picture.sample_aspect_ratio.num,
                              picture.sample_aspect_ratio.den, canvasWidth_, canvasHeight_);
    if (format == AV_PIX_FMT_YUV420P && picture.width == canvasWidth_ &&
        picture.height == canvasHeight_ && p.width == canvasWidth_ && p.height == canvasHeight_) {
        copyPlanes(picture, *out);  // fast path: one copy, no scaler
        return out;
    }
    sws_.reset(sws_getCachedContext(sws_.release(), picture.width, picture.height, format, p.width,
                                    p.height, AV_PIX_FMT_YUV420P, SWS_BICUBIC, nullptr, nullptr,
                                    nullptr));
    if (!sws_) {
        const char* name = av_get_pix_fmt_name(format);
        return makeError(ErrorCode::Codec, std::string("cannot convert ") +
                                               (name ? name : "unknown pixel format") + " " +
                                               std::to_string(picture.width) + "x" +
                                               std::to_string(picture.height) + " to I420");
    }
    uint8_t* dst[4] = {out->plane(0) + size_t(p.y) * out->stride(0) + p.x,
                       out->plane(1) + size_t(p.y / 2) * out->stride(1) + p.x / 2,
                       out->plane(2) + size_t(p.y / 2) * out->stride(2) + p.x / 2, nullptr};
    const int dstStride[4] = {out->stride(0), out->stride(1), out->stride(2), 0};
    const int rows =
        sws_scale(sws_.get(), picture.data, picture.linesize, 0, picture.height, dst, dstStride);
    if (rows < 0) {
        return makeError(avStatus(rows, "scaling failed", ErrorCode::Codec));
    }
    return out;
}

}  // namespace podium::capture

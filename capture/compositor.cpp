#include "compositor.h"

#include <algorithm>
#include <cmath>
#include <memory>
#include <utility>

#include <opencv2/imgproc.hpp>

namespace podium::capture {
namespace {

constexpr uint8_t kBorderLuma = 235;
constexpr double kBandOpacity = 0.6;  ///< how much the title band darkens what is under it

cv::Mat planeMat(const VideoFrame& f, int plane) {
    const int w = plane == 0 ? f.width : f.chromaWidth();
    const int h = plane == 0 ? f.height : f.chromaHeight();
    return cv::Mat(h, w, CV_8UC1, const_cast<uint8_t*>(f.plane(plane)));
}

cv::Rect planeRect(CanvasRect r, int plane) {
    if (plane == 0) {
        return {r.x, r.y, r.width, r.height};
    }
    return {r.x / 2, r.y / 2, (r.width + 1) / 2, (r.height + 1) / 2};
}

int even(double v) {
    return static_cast<int>(std::lround(v)) & ~1;
}

}  // namespace

void scaleInto(const VideoFrame& src, VideoFrame& dst, CanvasRect rect) {
    if (rect.width <= 0 || rect.height <= 0) {
        return;
    }
    for (int plane = 0; plane < 3; ++plane) {
        const cv::Mat s = planeMat(src, plane);
        cv::Mat whole = planeMat(dst, plane);
        cv::Mat d = whole(planeRect(rect, plane) & cv::Rect(0, 0, whole.cols, whole.rows));
        if (s.size() == d.size()) {
            s.copyTo(d);
            continue;
        }
        const bool shrinking = d.cols < s.cols;
        cv::resize(s, d, d.size(), 0, 0, shrinking ? cv::INTER_AREA : cv::INTER_LINEAR);
    }
}

void fillI420(VideoFrame& frame, CanvasRect rect, uint8_t y, uint8_t u, uint8_t v) {
    const uint8_t values[3] = {y, u, v};
    for (int plane = 0; plane < 3; ++plane) {
        cv::Mat m = planeMat(frame, plane);
        m(planeRect(rect, plane) & cv::Rect(0, 0, m.cols, m.rows)).setTo(values[plane]);
    }
}

Compositor::Compositor(CompositorConfig config) : config_(std::move(config)) {
    config_.width &= ~1;
    config_.height &= ~1;
}

CanvasRect Compositor::fit(int srcW, int srcH, CanvasRect box) {
    if (srcW <= 0 || srcH <= 0) {
        return box;
    }
    CanvasRect r = box;
    if (int64_t(srcW) * box.height > int64_t(srcH) * box.width) {  // wider: bars above/below
        r.height = even(double(box.width) * srcH / srcW);
    } else {  // narrower: bars left/right
        r.width = even(double(box.height) * srcW / srcH);
    }
    r.width = std::clamp(r.width, 2, std::max(2, box.width));
    r.height = std::clamp(r.height, 2, std::max(2, box.height));
    r.x = box.x + (((box.width - r.width) / 2) & ~1);
    r.y = box.y + (((box.height - r.height) / 2) & ~1);
    return r;
}

CanvasRect Compositor::pipRect(const PipLayout& layout, int srcW, int srcH, int canvasW,
                               int canvasH) {
    const double fraction = std::clamp(layout.widthFraction, 0.05, 0.9);
    CanvasRect r;
    r.width = std::max(2, even(canvasW * fraction));
    r.height = srcW > 0 ? std::max(2, even(double(r.width) * srcH / srcW)) : r.width;
    r.height = std::min(r.height, (canvasH - 2 * std::max(0, layout.marginPx)) & ~1);
    const int inset = (std::max(0, layout.marginPx) + std::max(0, layout.borderPx) + 1) & ~1;
    const bool left = layout.corner == PipCorner::TopLeft || layout.corner == PipCorner::BottomLeft;
    const bool top = layout.corner == PipCorner::TopLeft || layout.corner == PipCorner::TopRight;
    r.x = left ? inset : (canvasW - inset - r.width) & ~1;
    r.y = top ? inset : (canvasH - inset - r.height) & ~1;
    return r;
}

CanvasRect Compositor::titleBand(int canvasW, int canvasH) {
    const int height = std::max(2, even(canvasH / 10.0));
    const int bottomMargin = even(canvasH / 18.0);
    return {0, std::max(0, canvasH - bottomMargin - height) & ~1, canvasW & ~1, height};
}

VideoFramePtr Compositor::compose(const VideoFramePtr& main, const VideoFramePtr& pip) const {
    const bool withPip = pip && config_.pip.has_value();
    const bool withTitle = !config_.title.empty();
    if (main->width == config_.width && main->height == config_.height && !withPip && !withTitle) {
        return main;
    }
    auto canvas = std::make_shared<VideoFrame>(VideoFrame::makeI420(config_.width, config_.height));
    canvas->pts = main->pts;
    canvas->sequence = main->sequence;
    scaleInto(*main, *canvas,
              fit(main->width, main->height, {0, 0, config_.width, config_.height}));
    if (withPip) {
        drawPip(*canvas, *pip);
    }
    if (withTitle) {
        drawTitle(*canvas);
    }
    return canvas;
}

void Compositor::drawPip(VideoFrame& canvas, const VideoFrame& pip) const {
    const PipLayout& layout = *config_.pip;
    const CanvasRect r = pipRect(layout, pip.width, pip.height, canvas.width, canvas.height);
    if (layout.borderPx > 0) {
        const int b = (layout.borderPx + 1) & ~1;
        fillI420(canvas, {r.x - b, r.y - b, r.width + 2 * b, r.height + 2 * b}, kBorderLuma, 128,
                 128);
    }
    scaleInto(pip, canvas, r);
}

void Compositor::drawTitle(VideoFrame& canvas) const {
    const CanvasRect band = titleBand(canvas.width, canvas.height);
    for (int plane = 0; plane < 3; ++plane) {
        cv::Mat m = planeMat(canvas, plane)(planeRect(band, plane));
        const double neutral = plane == 0 ? 16.0 : 128.0;
        m.convertTo(m, -1, 1.0 - kBandOpacity, kBandOpacity * neutral);
    }
    cv::Mat y = planeMat(canvas, 0);
    const double scale = band.height / 60.0;
    const int thickness = std::max(1, int(std::lround(2 * scale)));
    int baseline = 0;
    const cv::Size text =
        cv::getTextSize(config_.title, cv::FONT_HERSHEY_SIMPLEX, scale, thickness, &baseline);
    const cv::Point origin(band.x + band.height / 2, band.y + (band.height + text.height) / 2);
    cv::putText(y, config_.title, origin, cv::FONT_HERSHEY_SIMPLEX, scale, cv::Scalar(235),
                thickness, cv::LINE_AA);
}

}  // namespace podium::capture

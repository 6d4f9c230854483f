#include "screen_source.h"

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <cstring>
#include <utility>

#include "capture/compositor.h"
#include "capture/xcb_display.h"
#include "core/log.h"

namespace podium::capture {
namespace {

bool parseInt(std::string_view text, int& out, int base = 10) {
    const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), out, base);
    return ec == std::errc() && ptr == text.data() + text.size();
}

/// "X,Y,WxH" -> rect.
bool parseRect(std::string_view text, ScreenRect& r) {
    const size_t c1 = text.find(',');
    const size_t c2 = text.find(',', c1 == std::string_view::npos ? c1 : c1 + 1);
    const size_t x = text.find('x', c2 == std::string_view::npos ? c2 : c2 + 1);
    if (c1 == std::string_view::npos || c2 == std::string_view::npos ||
        x == std::string_view::npos) {
        return false;
    }
    return parseInt(text.substr(0, c1), r.x) && parseInt(text.substr(c1 + 1, c2 - c1 - 1), r.y) &&
           parseInt(text.substr(c2 + 1, x - c2 - 1), r.width) &&
           parseInt(text.substr(x + 1), r.height) && r.width > 0 && r.height > 0;
}

ScreenRect clipToScreen(ScreenRect r, int screenW, int screenH) {
    const int x0 = std::clamp(r.x, 0, screenW);
    const int y0 = std::clamp(r.y, 0, screenH);
    const int x1 = std::clamp(r.x + r.width, 0, screenW);
    const int y1 = std::clamp(r.y + r.height, 0, screenH);
    return {x0, y0, x1 - x0, y1 - y0};
}

}  // namespace

Result<ScreenConfig> ScreenConfig::fromSpec(const std::string& spec) {
    ScreenConfig config;
    const auto bad = [&spec](const std::string& why) {
        return makeError(ErrorCode::InvalidArgument, "bad source \"" + spec + "\": " + why);
    };
    if (spec.rfind("window:", 0) == 0) {
        const std::string id = spec.substr(7);
        if (id.empty()) {
            return bad("expected window:ID or window:TITLE");
        }
        int value = 0;
        const bool hex =
            id.rfind("0x", 0) == 0 && parseInt(std::string_view(id).substr(2), value, 16);
        if (hex || parseInt(id, value)) {
            config.windowId = uint32_t(value);
        } else {
            config.windowTitle = id;
        }
        return config;
    }
    if (spec != "screen" && spec.rfind("screen:", 0) != 0) {
        return bad("expected screen[:DISPLAY[+X,Y,WxH]]");
    }
    const std::string rest = spec.size() > 7 ? spec.substr(7) : "";
    const size_t plus = rest.find('+');
    config.display = rest.substr(0, plus);
    if (plus != std::string::npos) {
        ScreenRect r;
        if (!parseRect(std::string_view(rest).substr(plus + 1), r)) {
            return bad("expected +X,Y,WxH after the display");
        }
        config.region = r;
    }
    return config;
}

Result<std::shared_ptr<VideoFrame>> BgrxConverter::convert(const uint8_t* bgrx, int width,
                                                           int height, int canvasWidth,
                                                           int canvasHeight) {
    auto out = std::make_shared<VideoFrame>(VideoFrame::makeI420(canvasWidth, canvasHeight));
    const CanvasRect p = Compositor::fit(width, height, {0, 0, canvasWidth, canvasHeight});
    const int flags = (p.width == width && p.height == height) ? SWS_POINT : SWS_BICUBIC;
    sws_.reset(sws_getCachedContext(sws_.release(), width, height, AV_PIX_FMT_BGR0, p.width,
                                    p.height, AV_PIX_FMT_YUV420P, flags, nullptr, nullptr,
                                    nullptr));
    if (!sws_) {
        return makeError(ErrorCode::Codec, "cannot convert BGRX " + std::to_string(width) + "x" +
                                               std::to_string(height) + " to I420");
    }
    const uint8_t* src[4] = {bgrx, nullptr, nullptr, nullptr};
    const int srcStride[4] = {width * 4, 0, 0, 0};
    uint8_t* dst[4] = {out->plane(0) + size_t(p.y) * out->stride(0) + p.x,
                       out->plane(1) + size_t(p.y / 2) * out->stride(1) + p.x / 2,
                       out->plane(2) + size_t(p.y / 2) * out->stride(2) + p.x / 2, nullptr};
    const int dstStride[4] = {out->stride(0), out->stride(1), out->stride(2), 0};
    const int rows = sws_scale(sws_.get(), src, srcStride, 0, height, dst, dstStride);
    if (rows < 0) {
        return makeError(avStatus(rows, "screen scaling failed", ErrorCode::Codec));
    }
    return out;
}

ScreenSource::ScreenSource(ScreenConfig config, const Clock& clock,
                           std::unique_ptr<XcbDisplay> display)
    : config_(std::move(config)),
      display_(std::move(display)),
      grabber_(std::make_unique<XcbGrabber>(*display_, config_.allowShm)),
      clock_(clock),
      thread_(clock) {}

ScreenSource::~ScreenSource() {
    stop();
}

Result<std::unique_ptr<ScreenSource>> ScreenSource::open(ScreenConfig config, const Clock& clock) {
    auto display = XcbDisplay::open(config.display);
    if (!display) {
        return makeError(display.error());
    }
    if (config.windowId == 0 && !config.windowTitle.empty()) {
        auto window = (*display)->findWindow(config.windowTitle);
        if (!window) {
            return makeError(window.error());
        }
        config.windowId = *window;
    }
    std::unique_ptr<ScreenSource> source(
        new ScreenSource(std::move(config), clock, std::move(*display)));
    auto area = source->currentArea();
    if (!area) {
        return makeError(area.error());
    }
    if (area->width < 2 || area->height < 2) {
        return makeError(ErrorCode::InvalidArgument, "capture area is outside the screen");
    }
    source->area_ = *area;
    if (source->config_.canvasWidth <= 0 || source->config_.canvasHeight <= 0) {
        source->config_.canvasWidth = area->width & ~1;
        source->config_.canvasHeight = area->height & ~1;
    }
    return source;
}

std::string ScreenSource::describe() const {
    char buf[160];
    if (config_.windowId != 0) {
        std::snprintf(buf, sizeof buf, "window 0x%x on %s", config_.windowId,
                      display_->name().c_str());
    } else {
        std::snprintf(buf, sizeof buf, "screen %s %dx%d+%d+%d", display_->name().c_str(),
                      area_.width, area_.height, area_.x, area_.y);
    }
    return buf;
}

SourceFormat ScreenSource::format() const {
    SourceFormat f;
    f.width = config_.canvasWidth;
    f.height = config_.canvasHeight;
    f.fpsNum = config_.fpsNum;
    f.fpsDen = config_.fpsDen;
    f.hasAudio = false;
    return f;
}

ScreenSource::Stats ScreenSource::stats() const {
    return {grabs_.load(), conversions_.load(), reused_.load()};
}

ScreenRect ScreenSource::area() const {
    return area_;
}

Result<ScreenRect> ScreenSource::currentArea() const {
    ScreenRect r{0, 0, display_->width(), display_->height()};
    if (config_.windowId != 0) {
        auto window = display_->windowRect(config_.windowId);
        if (!window) {
            return makeError(std::move(window.error())
                                 .withContext("window " + std::to_string(config_.windowId)));
        }
        r = *window;
    } else if (config_.region) {
        r = *config_.region;
    }
    return clipToScreen(r, display_->width(), display_->height());
}

void ScreenSource::drawCursor(uint8_t* bgrx, const ScreenRect& area) const {
    const auto cursor = display_->cursor();
    if (!cursor) {
        return;
    }
    for (int cy = 0; cy < cursor->height; ++cy) {
        const int y = cursor->y + cy - area.y;
        if (y < 0 || y >= area.height) {
            continue;
        }
        for (int cx = 0; cx < cursor->width; ++cx) {
            const int x = cursor->x + cx - area.x;
            const uint32_t argb = cursor->argb[size_t(cy) * cursor->width + cx];
            const uint32_t alpha = argb >> 24;
            if (x < 0 || x >= area.width || alpha == 0) {
                continue;
            }
            uint8_t* px = bgrx + (size_t(y) * area.width + x) * 4;
            for (int c = 0; c < 3; ++c) {  // premultiplied: out = src + dst * (1 - a)
                const uint32_t src = (argb >> (8 * c)) & 0xff;
                px[c] = uint8_t(std::min<uint32_t>(255, src + (px[c] * (255 - alpha) + 127) / 255));
            }
        }
    }
}

Result<VideoFramePtr> ScreenSource::captureFrame(int64_t sequence) {
    auto area = currentArea();
    if (!area) {
        return makeError(area.error());
    }
    area_ = *area;
    if (area_.width < 2 || area_.height < 2) {
        return makeError(ErrorCode::Unavailable, "capture area is off screen");
    }
    auto pixels = grabber_->grab(area_);
    if (!pixels) {
        return makeError(pixels.error());
    }
    ++grabs_;
    if (config_.drawCursor) {
        drawCursor(*pixels, area_);
    }
    const uint8_t* before = grabber_->previous();
    const size_t bytes = size_t(area_.width) * area_.height * 4;
    std::shared_ptr<VideoFrame> frame;
    if (last_ && before && std::memcmp(before, *pixels, bytes) == 0) {
        frame = std::make_shared<VideoFrame>(*last_);  // same picture: one memcpy, no conversion
        ++reused_;
    } else {
        auto converted = converter_.convert(*pixels, area_.width, area_.height, config_.canvasWidth,
                                            config_.canvasHeight);
        if (!converted) {
            return makeError(converted.error());
        }
        frame = std::move(*converted);
        ++conversions_;
    }
    frame->sequence = sequence;
    frame->pts = videoPts(sequence);
    last_ = frame;
    return VideoFramePtr(frame);
}

MediaTime ScreenSource::videoPts(int64_t sequence) const {
    return MediaTime{
        rescaleTicks(sequence, config_.fpsNum, int64_t(kVideoTimescale) * config_.fpsDen),
        kVideoTimescale};
}

Result<void> ScreenSource::start(SourceCallbacks callbacks) {
    ThreadFailure onFailure = callbacks.onError;  // a throw in the loop ends the source
    return thread_.start(
        describe(), [this, cb = std::move(callbacks)](std::stop_token stop) { run(stop, cb); },
        std::move(onFailure));
}

void ScreenSource::stop() {
    thread_.stop();
}

void ScreenSource::run(const std::stop_token& stop, const SourceCallbacks& cb) {
    RateLimitedLog failures(describe());
    int64_t sequence = 0;
    while (thread_.waitUntil(videoPts(sequence), stop)) {
        auto frame = captureFrame(sequence);
        if (!frame) {  // e.g. the window closed for a moment: repeat the last picture
            failures.hit(LogLevel::Warning, frame.error().toString());
            if (!last_) {
                if (cb.onError) {
                    cb.onError(frame.error().withContext(describe()));
                }
                return;
            }
            auto copy = std::make_shared<VideoFrame>(*last_);
            copy->sequence = sequence;
            copy->pts = videoPts(sequence);
            frame = VideoFramePtr(copy);
        }
        if (cb.onVideo && !stop.stop_requested()) {
            cb.onVideo(std::move(*frame));
        }
        // Stay live: when a grab overran, skip the frames whose time has already passed.
        const MediaTime now = clock_.now();
        const int64_t current =
            rescaleTicks(now.value, int64_t(now.timescale) * config_.fpsDen, config_.fpsNum);
        sequence = std::max(sequence + 1, current);
    }
}

}  // namespace podium::capture

#include "portal_screen_source.h"

#include <algorithm>
#include <utility>

#include <opencv2/imgproc.hpp>

#include "core/log.h"

namespace podium::capture {
namespace {

constexpr const char* kSlateText = "screen sharing ended";
constexpr int64_t kMaxPlausibleAgeNs = 2'000'000'000;

AVPixelFormat avFormatOf(PixelLayout layout) {
    switch (layout) {
        case PixelLayout::Bgrx:
            return AV_PIX_FMT_BGR0;
        case PixelLayout::Rgbx:
            return AV_PIX_FMT_RGB0;
        case PixelLayout::Xrgb:
            return AV_PIX_FMT_0RGB;
        case PixelLayout::Xbgr:
            return AV_PIX_FMT_0BGR;
        case PixelLayout::Bgra:
            return AV_PIX_FMT_BGRA;
        case PixelLayout::Rgba:
            return AV_PIX_FMT_RGBA;
    }
    return AV_PIX_FMT_NONE;
}

Result<DbusConnection> openBus(const std::string& address) {
    return address.empty() ? DbusConnection::openSession() : DbusConnection::openAddress(address);
}

}  // namespace

MediaTime captureTimeOnClock(int64_t ptsNs, int64_t arrivalNs, MediaTime arrivalOnClock) {
    int64_t ageNs = ptsNs > 0 ? arrivalNs - ptsNs : 0;
    if (ageNs < 0 || ageNs > kMaxPlausibleAgeNs) {
        ageNs = 0;
    }
    return arrivalOnClock - MediaTime{ageNs / 1000, 1000000};
}

PortalScreenSource::PortalScreenSource(PortalScreenConfig config, const Clock& clock,
                                       std::unique_ptr<PortalScreenCast> portal,
                                       PortalStream stream)
    : config_(std::move(config)),
      clock_(clock),
      portal_(std::move(portal)),
      stream_(std::move(stream)),
      converter_(config_.canvasWidth, config_.canvasHeight),
      view_(av_frame_alloc()),
      thread_(clock) {}

PortalScreenSource::~PortalScreenSource() {
    stop();
}

Result<std::unique_ptr<PortalScreenSource>> PortalScreenSource::open(PortalScreenConfig config,
                                                                     const Clock& clock,
                                                                     const std::stop_token& stop) {
    config.canvasWidth &= ~1;
    config.canvasHeight &= ~1;
    if (config.canvasWidth < 2 || config.canvasHeight < 2 || config.fpsNum <= 0 ||
        config.fpsDen <= 0) {
        return makeError(ErrorCode::InvalidArgument,
                         "portal screen: bad canvas size or frame rate");
    }
    auto bus = openBus(config.busAddress);
    if (!bus) {
        return makeError(bus.error());
    }
    auto portal = PortalScreenCast::connect(std::move(*bus), config.request.requestTimeout);
    if (!portal) {
        return makeError(portal.error());
    }
    auto stream = (*portal)->start(config.request, stop);
    if (!stream) {
        return makeError(stream.error());
    }
    return std::unique_ptr<PortalScreenSource>(
        new PortalScreenSource(std::move(config), clock, std::move(*portal), std::move(*stream)));
}

std::string PortalScreenSource::describe() const {
    // (Not "window" vs "screen" from source_type: portals disagree on its values.)
    std::string text =
        "screen via the desktop portal (PipeWire node " + std::to_string(stream_.nodeId);
    if (stream_.width > 0 && stream_.height > 0) {
        text += ", " + std::to_string(stream_.width) + "x" + std::to_string(stream_.height);
    }
    return text + ")";
}

SourceFormat PortalScreenSource::format() const {
    SourceFormat f;
    f.width = config_.canvasWidth;
    f.height = config_.canvasHeight;
    f.fpsNum = config_.fpsNum;
    f.fpsDen = config_.fpsDen;
    f.hasAudio = false;
    return f;
}

PortalScreenSource::Stats PortalScreenSource::stats() const {
    return {received_.load(), emitted_.load(), repeated_.load(), slate_.load(), lastAgeMs_.load()};
}

MediaTime PortalScreenSource::videoPts(int64_t sequence) const {
    return MediaTime{
        rescaleTicks(sequence, config_.fpsNum, int64_t(kVideoTimescale) * config_.fpsDen),
        kVideoTimescale};
}

std::shared_ptr<VideoFrame> PortalScreenSource::makeSlate() const {
    const int w = config_.canvasWidth;
    const int h = config_.canvasHeight;
    cv::Mat bgr(h, w, CV_8UC3, cv::Scalar(48, 24, 24));
    const double scale = std::max(0.3, w / 1280.0 * 1.6);
    const int thickness = std::max(1, int(scale * 2));
    int baseline = 0;
    const cv::Size size =
        cv::getTextSize(kSlateText, cv::FONT_HERSHEY_SIMPLEX, scale, thickness, &baseline);
    const cv::Point origin(std::max(0, (w - size.width) / 2), (h + size.height) / 2);
    cv::putText(bgr, kSlateText, origin, cv::FONT_HERSHEY_SIMPLEX, scale, cv::Scalar(255, 255, 255),
                thickness, cv::LINE_AA);
    auto frame = std::make_shared<VideoFrame>(VideoFrame::makeI420(w, h));
    cv::Mat i420(h * 3 / 2, w, CV_8UC1, frame->data.data());
    cv::cvtColor(bgr, i420, cv::COLOR_BGR2YUV_I420);
    return frame;
}

void PortalScreenSource::onFrame(const PipeWireFrame& frame) {
    AVFrame& view = *view_;
    view.format = avFormatOf(frame.layout);
    view.width = frame.width;
    view.height = frame.height;
    view.data[0] = const_cast<uint8_t*>(frame.pixels);  // read only: swscale's source
    view.linesize[0] = frame.stride;
    auto converted = converter_.convert(view);
    view.data[0] = nullptr;
    if (!converted) {
        static RateLimitedLog failures("portal screen");
        failures.hit(LogLevel::Warning, converted.error().toString());
        return;
    }
    const MediaTime captured = captureTimeOnClock(frame.ptsNs, frame.arrivalNs, clock_.now());
    ++received_;
    std::lock_guard lock(pendingMutex_);
    pending_ = std::move(*converted);
    pendingCaptured_ = captured;
}

Result<void> PortalScreenSource::start(SourceCallbacks callbacks) {
    if (thread_.running()) {
        return makeError(ErrorCode::InvalidArgument, describe() + ": already started");
    }
    if (auto ended = portal_->poll()) {
        return makeError(ended->withContext(describe()));
    }
    auto remote = portal_->openPipeWireRemote(config_.request.requestTimeout);
    if (!remote) {
        return makeError(remote.error().withContext(describe()));
    }
    PipeWireStreamConfig pw;
    pw.remote = std::move(*remote);
    pw.nodeId = stream_.nodeId;
    pw.maxFpsNum = config_.fpsNum;
    pw.maxFpsDen = config_.fpsDen;
    auto stream =
        PipeWireStream::connect(std::move(pw), [this](const PipeWireFrame& f) { onFrame(f); });
    if (!stream) {
        return makeError(stream.error().withContext(describe()));
    }
    pipewire_ = std::move(*stream);
    lost_ = false;
    ThreadFailure onFailure = callbacks.onError;  // a throw in the loop ends the source
    return thread_.start(
        describe(), [this, cb = std::move(callbacks)](std::stop_token stop) { run(stop, cb); },
        std::move(onFailure));
}

void PortalScreenSource::stop() {
    thread_.stop();
    pipewire_.reset();  // stops PipeWire's loop: no onFrame after this
    std::lock_guard lock(pendingMutex_);
    pending_.reset();
}

std::optional<Status> PortalScreenSource::checkEnded() {
    if (auto closed = portal_->poll()) {
        return closed;
    }
    return pipewire_->ended();
}

void PortalScreenSource::run(const std::stop_token& stop, const SourceCallbacks& cb) {
    const std::shared_ptr<const VideoFrame> slate = makeSlate();
    const std::shared_ptr<const VideoFrame> black = std::make_shared<VideoFrame>(
        VideoFrame::makeI420(config_.canvasWidth, config_.canvasHeight));
    int64_t sequence = 0;
    while (thread_.waitUntil(videoPts(sequence), stop)) {
        if (!lost_) {
            if (auto ended = checkEnded()) {
                lost_ = true;
                logWarning(describe(), ended->toString() +
                                           "; showing the \"screen sharing ended\" slate (Stop "
                                           "and Start again to choose what to share)");
            }
        }
        std::shared_ptr<VideoFrame> frame;
        if (lost_) {
            frame = std::make_shared<VideoFrame>(*slate);
            ++slate_;
        } else {
            std::shared_ptr<VideoFrame> fresh;
            MediaTime captured;
            {
                std::lock_guard lock(pendingMutex_);
                fresh = std::exchange(pending_, nullptr);
                captured = pendingCaptured_;
            }
            if (fresh) {
                lastAgeMs_ = (clock_.now() - captured).seconds() * 1000.0;
                frame = std::move(fresh);  // new picture: sent as is, kept for repeats
            } else {
                ++repeated_;
                // The last picture again (before the first one arrives: black, negotiation
                // takes a moment).
                frame = std::make_shared<VideoFrame>(last_ ? *last_ : *black);
            }
        }
        frame->sequence = sequence;
        frame->pts = videoPts(sequence);
        if (!lost_) {
            last_ = frame;  // read only from here on (a repeat copies it)
        }
        if (cb.onVideo && !stop.stop_requested()) {
            ++emitted_;
            cb.onVideo(std::move(frame));
        }
        const MediaTime now = clock_.now();  // stay live: skip frames whose time has passed
        sequence = std::max(
            sequence + 1,
            rescaleTicks(now.value, int64_t(now.timescale) * config_.fpsDen, config_.fpsNum));
    }
}

}  // namespace podium::capture

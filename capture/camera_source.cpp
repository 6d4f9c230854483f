#include "camera_source.h"

#include <linux/videodev2.h>

#include <exception>
#include <utility>

#include <opencv2/imgproc.hpp>
#include <opencv2/videoio.hpp>

#include "capture/compositor.h"
#include "core/log.h"

namespace podium::capture {
namespace {

constexpr const char* kSlateText = "camera lost - reconnecting";

}  // namespace

/// The OpenCV side, touched only by the source's thread.
struct CameraSource::Capture {
    cv::VideoCapture video;
    cv::Mat bgr;
    cv::Mat canvasBgr;
    cv::Mat i420;
};

Result<CameraConfig> CameraConfig::fromSpec(const std::string& spec) {
    CameraConfig config;
    if (spec == "camera") {
        return config;
    }
    if (spec.rfind("camera:", 0) != 0 || spec.size() == 7) {
        return makeError(ErrorCode::InvalidArgument,
                         "bad source \"" + spec + "\": expected camera[:/dev/videoN]");
    }
    config.path = spec.substr(7);
    return config;
}

Result<std::unique_ptr<CameraSource>> CameraSource::create(CameraConfig config,
                                                           const Clock& clock) {
    config.canvasWidth &= ~1;
    config.canvasHeight &= ~1;
    if (config.canvasWidth < 2 || config.canvasHeight < 2 || config.fpsNum <= 0 ||
        config.fpsDen <= 0) {
        return makeError(ErrorCode::InvalidArgument, "camera: bad canvas size or frame rate");
    }
    return std::unique_ptr<CameraSource>(new CameraSource(std::move(config), clock));
}

CameraSource::CameraSource(CameraConfig config, const Clock& clock)
    : config_(std::move(config)),
      clock_(clock),
      capture_(std::make_unique<Capture>()),
      thread_(clock) {}

CameraSource::~CameraSource() {
    stop();
}

std::string CameraSource::describe() const {
    return (config_.isFile ? "camera (file) " : "camera ") + config_.path;
}

SourceFormat CameraSource::format() const {
    SourceFormat f;
    f.width = config_.canvasWidth;
    f.height = config_.canvasHeight;
    f.fpsNum = config_.fpsNum;
    f.fpsDen = config_.fpsDen;
    f.hasAudio = false;
    return f;
}

MediaTime CameraSource::videoPts(int64_t sequence) const {
    return MediaTime{
        rescaleTicks(sequence, config_.fpsNum, int64_t(kVideoTimescale) * config_.fpsDen),
        kVideoTimescale};
}

CameraSource::TextArea CameraSource::slateTextArea() const {
    const int w = config_.canvasWidth;
    const int h = config_.canvasHeight;
    return {w / 10, h * 2 / 5, w * 8 / 10, h / 5};
}

std::shared_ptr<VideoFrame> CameraSource::makeSlate() const {
    const int w = config_.canvasWidth;
    const int h = config_.canvasHeight;
    cv::Mat bgr(h, w, CV_8UC3, cv::Scalar(48, 24, 24));
    const TextArea a = slateTextArea();
    const double scale = std::max(0.3, w / 1280.0 * 1.6);
    const int thickness = std::max(1, int(scale * 2));
    int baseline = 0;
    const cv::Size size =
        cv::getTextSize(kSlateText, cv::FONT_HERSHEY_SIMPLEX, scale, thickness, &baseline);
    const cv::Point origin(a.x + std::max(0, (a.width - size.width) / 2),
                           a.y + (a.height + size.height) / 2);
    cv::putText(bgr, kSlateText, origin, cv::FONT_HERSHEY_SIMPLEX, scale, cv::Scalar(255, 255, 255),
                thickness, cv::LINE_AA);
    auto frame = std::make_shared<VideoFrame>(VideoFrame::makeI420(w, h));
    cv::Mat i420(h * 3 / 2, w, CV_8UC1, frame->data.data());
    cv::cvtColor(bgr, i420, cv::COLOR_BGR2YUV_I420);
    return frame;
}

Result<void> CameraSource::start(SourceCallbacks callbacks) {
    ThreadFailure onFailure = callbacks.onError;  // a throw in the loop ends the source
    return thread_.start(
        describe(), [this, cb = std::move(callbacks)](std::stop_token stop) { run(stop, cb); },
        std::move(onFailure));
}

void CameraSource::stop() {
    thread_.stop();
}

namespace {

/// Opens the device (V4L2, asking for the chosen mode) or the file. OpenCV may throw.
bool openCapture(cv::VideoCapture& video, const CameraConfig& config) {
    if (config.isFile) {
        return video.open(config.path, cv::CAP_ANY);
    }
    if (!video.open(config.path, cv::CAP_V4L2)) {
        return false;
    }
    std::optional<CameraMode> mode = config.mode;
    if (!mode) {
        if (auto io = V4l2DeviceIo::open(config.path)) {
            if (auto device = probeCamera(**io, config.path)) {
                mode = chooseMode(device->modes, config.canvasWidth, config.canvasHeight,
                                  double(config.fpsNum) / config.fpsDen);
            }
        }
    }
    if (mode) {
        video.set(cv::CAP_PROP_FOURCC, double(mode->fourcc));
        video.set(cv::CAP_PROP_FRAME_WIDTH, mode->width);
        video.set(cv::CAP_PROP_FRAME_HEIGHT, mode->height);
        video.set(cv::CAP_PROP_FPS, mode->fps);
    }
    return true;
}

/// BGR camera picture -> I420 canvas with the aspect kept.
std::shared_ptr<VideoFrame> toCanvas(const cv::Mat& bgr, cv::Mat& canvasBgr, int w, int h) {
    canvasBgr.create(h, w, CV_8UC3);
    canvasBgr.setTo(cv::Scalar(0, 0, 0));
    const CanvasRect r = Compositor::fit(bgr.cols, bgr.rows, {0, 0, w, h});
    cv::Mat target = canvasBgr(cv::Rect(r.x, r.y, r.width, r.height));
    cv::resize(bgr, target, target.size(), 0, 0,
               r.width < bgr.cols ? cv::INTER_AREA : cv::INTER_LINEAR);
    auto frame = std::make_shared<VideoFrame>(VideoFrame::makeI420(w, h));
    cv::Mat i420(h * 3 / 2, w, CV_8UC1, frame->data.data());
    cv::cvtColor(canvasBgr, i420, cv::COLOR_BGR2YUV_I420);
    return frame;
}

}  // namespace

void CameraSource::run(const std::stop_token& stop, const SourceCallbacks& cb) {
    Capture& c = *capture_;
    const std::shared_ptr<const VideoFrame> slate = makeSlate();
    MediaTime nextRetry{0, kVideoTimescale};
    RateLimitedLog problems(describe());
    int64_t sequence = 0;
    while (thread_.waitUntil(videoPts(sequence), stop)) {
        std::shared_ptr<VideoFrame> frame;
        try {
            if (!c.video.isOpened() && clock_.now() >= nextRetry) {
                nextRetry = clock_.now() + MediaTime{config_.retryMs, 1000};
                if (openCapture(c.video, config_)) {
                    logInfo(describe(), lost_ ? "camera back" : "camera opened");
                    lost_ = false;
                }
            }
            if (c.video.isOpened() && c.video.read(c.bgr) && !c.bgr.empty()) {
                frame = toCanvas(c.bgr, c.canvasBgr, config_.canvasWidth, config_.canvasHeight);
            } else if (c.video.isOpened()) {
                c.video.release();
                nextRetry = clock_.now() + MediaTime{config_.retryMs, 1000};
            }
        } catch (const std::exception& e) {  // cv::Exception included
            problems.hit(LogLevel::Warning, std::string("OpenCV: ") + e.what());
            c.video.release();
        }
        if (!frame) {
            if (!lost_.exchange(true)) {
                logWarning(describe(), "camera lost; showing the slate and retrying every " +
                                           std::to_string(config_.retryMs) + " ms");
            }
            frame = std::make_shared<VideoFrame>(*slate);
        }
        frame->sequence = sequence;
        frame->pts = videoPts(sequence);
        if (cb.onVideo && !stop.stop_requested()) {
            cb.onVideo(std::move(frame));
        }
        const MediaTime now = clock_.now();  // stay live: skip frames whose time has passed
        sequence = std::max(
            sequence + 1,
            rescaleTicks(now.value, int64_t(now.timescale) * config_.fpsDen, config_.fpsNum));
    }
}

}  // namespace podium::capture

#include "test_pattern_source.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <exception>
#include <numbers>
#include <utility>

#include <opencv2/imgproc.hpp>

#include "capture/latency_strip.h"
#include "core/log.h"

namespace podium::capture {
namespace {

constexpr int kNoiseAmplitude = 8;     ///< luma noise is +-8 around the background
constexpr int kNoiseShiftRange = 256;  ///< horizontal range the noise window moves through
constexpr int kFlashLuma = 235;
constexpr double kBeepHz = 1000.0;
constexpr double kToneHz = 440.0;
constexpr double kBeepLevel = 0.5;
constexpr double kToneLevel = 0.05;

struct Yuv {
    uint8_t y, u, v;
};

/// BT.601 limited range, r/g/b in 0..1.
Yuv toYuv(double r, double g, double b) {
    auto clamp8 = [](double x) {
        return static_cast<uint8_t>(std::lround(std::clamp(x, 0.0, 255.0)));
    };
    return {clamp8(16 + 65.481 * r + 128.553 * g + 24.966 * b),
            clamp8(128 - 37.797 * r - 74.203 * g + 112.0 * b),
            clamp8(128 + 112.0 * r - 93.786 * g - 18.214 * b)};
}

struct Planes {
    cv::Mat y, u, v;
};

/// OpenCV views over a frame's planes (no copy).
Planes wrap(VideoFrame& f) {
    return {cv::Mat(f.height, f.width, CV_8UC1, f.plane(0)),
            cv::Mat(f.chromaHeight(), f.chromaWidth(), CV_8UC1, f.plane(1)),
            cv::Mat(f.chromaHeight(), f.chromaWidth(), CV_8UC1, f.plane(2))};
}

Planes wrap(const VideoFrame& f) {
    return wrap(const_cast<VideoFrame&>(f));
}  // read-only use

/// Fills a luma rectangle and the matching chroma rectangle with one colour.
void fillRect(Planes& p, cv::Rect r, Yuv c) {
    r &= cv::Rect(0, 0, p.y.cols, p.y.rows);
    p.y(r).setTo(c.y);
    cv::Rect rc(r.x / 2, r.y / 2, (r.width + 1) / 2, (r.height + 1) / 2);
    rc &= cv::Rect(0, 0, p.u.cols, p.u.rows);
    p.u(rc).setTo(c.u);
    p.v(rc).setTo(c.v);
}

/// Sine sample of an integer frequency at sample index `s`, exact phase for any length of run.
double tone(int64_t s, int sampleRate, double hz) {
    const int64_t period = sampleRate;
    const double phase = std::fmod(hz * double(s % period), double(period)) / double(period);
    return std::sin(2.0 * std::numbers::pi * phase);
}

std::string timeOfDay(int64_t wallMs) {
    const std::time_t secs = wallMs / 1000;
    std::tm tm{};
    localtime_r(&secs, &tm);
    char buf[32];
    std::snprintf(buf, sizeof buf, "%02d:%02d:%02d.%03d", tm.tm_hour, tm.tm_min, tm.tm_sec,
                  int(wallMs % 1000));
    return buf;
}

}  // namespace

TestPatternSource::TestPatternSource(TestPatternConfig config, const Clock& clock, Pacing pacing)
    : config_(std::move(config)),
      pacing_(pacing),
      clock_(clock),
      wallEpochMs_(wallClockMillis() - clock.now().rescaled(1000).value),
      thread_(clock) {
    const int w = config_.width;
    const int h = config_.height;
    background_ = VideoFrame::makeI420(w, h);
    Planes p = wrap(background_);
    static const double kBars[7][3] = {{.75, .75, .75}, {.75, .75, 0}, {0, .75, .75}, {0, .75, 0},
                                       {.75, 0, .75},   {.75, 0, 0},   {0, 0, .75}};
    const int barsHeight = h * 2 / 3;
    for (int i = 0; i < 7; ++i) {
        const int x0 = (w * i / 7) & ~1;
        const int x1 = (w * (i + 1) / 7) & ~1;
        fillRect(p, cv::Rect(x0, 0, (i == 6 ? w : x1) - x0, barsHeight),
                 toYuv(kBars[i][0], kBars[i][1], kBars[i][2]));
    }
    for (int x = 0; x < w; ++x) {  // bottom third: a luma ramp, neutral chroma
        const auto luma = static_cast<uint8_t>(16 + (219 * x) / std::max(1, w - 1));
        p.y(cv::Rect(x, barsHeight, 1, h - barsHeight)).setTo(luma);
    }
    cv::subtract(p.y, cv::Scalar(kNoiseAmplitude), p.y);
    noiseStride_ = w + kNoiseShiftRange;
    noise_.resize(size_t(noiseStride_) * h);
    cv::Mat noise(h, noiseStride_, CV_8UC1, noise_.data());
    cv::RNG rng(0x9d1u);  // fixed seed: frames are deterministic
    rng.fill(noise, cv::RNG::UNIFORM, 0, 2 * kNoiseAmplitude + 1);
}

TestPatternSource::~TestPatternSource() {
    stop();
}

std::string TestPatternSource::describe() const {
    char buf[96];
    const double fps = double(config_.fpsNum) / config_.fpsDen;
    std::snprintf(buf, sizeof buf, "test pattern %dx%d@%g", config_.width, config_.height, fps);
    return buf;
}

SourceFormat TestPatternSource::format() const {
    return {config_.width,     config_.height,     config_.fpsNum,  config_.fpsDen,
            config_.withAudio, config_.sampleRate, config_.channels};
}

bool TestPatternSource::isFlashTime(MediaTime t) {
    const int64_t ts = t.timescale;
    const int64_t inSecond = ((t.value % ts) + ts) % ts;
    return inSecond * 10 < ts;
}

MediaTime TestPatternSource::videoPts(int64_t sequence) const {
    return MediaTime{
        rescaleTicks(sequence, config_.fpsNum, int64_t(kVideoTimescale) * config_.fpsDen),
        kVideoTimescale};
}

VideoFramePtr TestPatternSource::renderFrame(int64_t sequence) const {
    auto frame = std::make_shared<VideoFrame>(VideoFrame::makeI420(config_.width, config_.height));
    frame->sequence = sequence;
    frame->pts = videoPts(sequence);
    drawBackground(*frame, sequence);
    drawMotion(*frame, sequence);
    drawText(*frame, sequence);
    // The latency probe: the wall clock this picture stands for, as the text shows it.
    drawLatencyStrip(*frame, wallEpochMs_ + frame->pts.rescaled(1000).value);
    return frame;
}

void TestPatternSource::drawBackground(VideoFrame& frame, int64_t sequence) const {
    Planes p = wrap(frame);
    if (isFlashTime(frame.pts)) {
        p.y.setTo(kFlashLuma);
        return;  // chroma is already neutral
    }
    const Planes bg = wrap(background_);
    const int shift = static_cast<int>((sequence * 13) % kNoiseShiftRange);
    const cv::Mat noise(frame.height, noiseStride_, CV_8UC1, const_cast<uint8_t*>(noise_.data()));
    cv::add(bg.y, noise(cv::Rect(shift, 0, frame.width, frame.height)), p.y);
    bg.u.copyTo(p.u);
    bg.v.copyTo(p.v);
}

void TestPatternSource::drawMotion(VideoFrame& frame, int64_t /*sequence*/) const {
    Planes p = wrap(frame);
    const int w = frame.width;
    const int h = frame.height;
    const int64_t ms = frame.pts.rescaled(1000).value;
    // A box sweeping left to right every 4 s across the bars.
    const int boxW = std::max(2, w / 8) & ~1;
    const int boxH = std::max(2, h / 6) & ~1;
    const int boxX = static_cast<int>((ms % 4000) * (w - boxW) / 4000) & ~1;
    fillRect(p, cv::Rect(boxX, (h / 2 - boxH) & ~1, boxW, boxH), toYuv(1.0, 0.5, 0.0));
    // A hand turning once per second; it points up on every whole second (the flash).
    const double angle = 2.0 * std::numbers::pi * double(ms % 1000) / 1000.0;
    const int radius = h / 7;
    const cv::Point centre(w - radius - w / 20, h - radius - h / 12);
    const cv::Point tip(centre.x + int(radius * std::sin(angle)),
                        centre.y - int(radius * std::cos(angle)));
    const int thickness = std::max(2, h / 180);
    cv::circle(p.y, centre, radius, cv::Scalar(16), cv::FILLED);
    cv::circle(p.u, centre / 2, radius / 2, cv::Scalar(128), cv::FILLED);
    cv::circle(p.v, centre / 2, radius / 2, cv::Scalar(128), cv::FILLED);
    cv::line(p.y, centre, tip, cv::Scalar(235), thickness, cv::LINE_AA);
}

void TestPatternSource::drawText(VideoFrame& frame, int64_t sequence) const {
    Planes p = wrap(frame);
    const double scale = std::max(0.4, frame.height / 720.0);
    const int thickness = std::max(1, int(std::lround(2 * scale)));
    const int lineH = int(40 * scale);
    char counter[32];
    std::snprintf(counter, sizeof counter, "frame %06lld", static_cast<long long>(sequence));
    const int64_t ms = frame.pts.rescaled(1000).value;
    const std::string lines[] = {config_.title, counter, timeOfDay(wallEpochMs_ + ms)};
    const int plateW = std::min(frame.width, int(520 * scale)) & ~1;
    fillRect(p, cv::Rect(0, 0, plateW, (lineH * 3 + lineH / 2) & ~1), Yuv{16, 128, 128});
    for (int i = 0; i < 3; ++i) {
        cv::putText(p.y, lines[i], cv::Point(int(12 * scale), lineH * (i + 1)),
                    cv::FONT_HERSHEY_SIMPLEX, scale, cv::Scalar(235), thickness, cv::LINE_AA);
    }
}

AudioFramePtr TestPatternSource::renderAudio(int64_t firstSample, int count) const {
    auto audio = std::make_shared<AudioFrame>();
    audio->sampleRate = config_.sampleRate;
    audio->channels = config_.channels;
    audio->pts = MediaTime{firstSample, config_.sampleRate};
    audio->samples.resize(size_t(count) * config_.channels);
    for (int i = 0; i < count; ++i) {
        const int64_t s = firstSample + i;
        const bool beep = isFlashTime(MediaTime{s, config_.sampleRate});
        const double value = beep ? kBeepLevel * tone(s, config_.sampleRate, kBeepHz)
                                  : kToneLevel * tone(s, config_.sampleRate, kToneHz);
        for (int c = 0; c < config_.channels; ++c) {
            audio->samples[size_t(i) * config_.channels + c] = static_cast<float>(value);
        }
    }
    return audio;
}

Result<void> TestPatternSource::start(SourceCallbacks callbacks) {
    wallEpochMs_ = wallClockMillis() - clock_.now().rescaled(1000).value;
    ThreadFailure onFailure = callbacks.onError;  // a throw in the loop ends the source
    return thread_.start(
        describe(), [this, cb = std::move(callbacks)](std::stop_token stop) { run(stop, cb); },
        std::move(onFailure));
}

void TestPatternSource::stop() {
    thread_.stop();
}

void TestPatternSource::run(const std::stop_token& stop, const SourceCallbacks& cb) const {
    const int chunk = std::max(1, config_.sampleRate / 100);  // 10 ms audio frames
    int64_t sequence = 0;
    int64_t sample = 0;
    try {
        while (!stop.stop_requested()) {
            const MediaTime videoDue = videoPts(sequence);
            const MediaTime audioDue{sample, config_.sampleRate};
            const bool audioNext = config_.withAudio && audioDue < videoDue;
            if (pacing_ == Pacing::RealTime &&
                !thread_.waitUntil(audioNext ? audioDue : videoDue, stop)) {
                break;
            }
            if (audioNext) {
                auto audio = renderAudio(sample, chunk);
                sample += chunk;
                if (cb.onAudio && !stop.stop_requested()) {
                    cb.onAudio(std::move(audio));
                }
            } else {
                auto video = renderFrame(sequence++);
                if (cb.onVideo && !stop.stop_requested()) {
                    cb.onVideo(std::move(video));
                }
            }
        }
    } catch (const std::exception& e) {
        if (cb.onError) {
            cb.onError(Status(ErrorCode::Internal, std::string("rendering failed: ") + e.what())
                           .withContext(describe()));
        }
    }
}

}  // namespace podium::capture

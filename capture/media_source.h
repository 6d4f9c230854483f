#pragma once

#include <functional>
#include <string>

#include "core/status.h"
#include "core/video_frame.h"

namespace podium::capture {

/// What a source delivers. Video is always I420 at width x height; audio (when hasAudio) is
/// interleaved float at sampleRate Hz with `channels` channels. Frame rate fpsNum/fpsDen.
struct SourceFormat {
    int width = 0;
    int height = 0;
    int fpsNum = 30;
    int fpsDen = 1;
    bool hasAudio = false;
    int sampleRate = 48000;
    int channels = 2;
};

/// The consumer's side of a source. Every callback is called on the source's own thread, in
/// timeline order; a callback may block (that is how a bench run applies back-pressure), but
/// must not call MediaSource::stop() and wait for it.
struct SourceCallbacks {
    std::function<void(VideoFramePtr)> onVideo;
    std::function<void(AudioFramePtr)> onAudio;
    std::function<void()> onEnd;                 ///< a finite source reached its end (no loop)
    std::function<void(const Status&)> onError;  ///< fatal: the source has stopped
};

/// How a source spends time between frames.
enum class Pacing {
    RealTime = 1,      ///< waits (Clock::sleepUntil) until each frame's pts: live speed
    AsFastAsPossible,  ///< never sleeps; callbacks are expected to block when downstream is full
};

/// A capture source (test pattern, file, screen, camera...). Video frames carry
/// sequence 0,1,2.. and pts = sequence * frame duration in kVideoTimescale (90 kHz), starting
/// at 0; audio frames carry pts = index of their first sample (timescale = sample rate), on the
/// same timeline. describe()/format() may be called from any thread; start()/stop() from the
/// owning thread only.
class MediaSource {
public:
    virtual ~MediaSource() = default;

    /// For logs and the UI, e.g. "test pattern 1280x720@30", "file clip.mp4".
    [[nodiscard]] virtual std::string describe() const = 0;
    /// Valid after construction / open.
    [[nodiscard]] virtual SourceFormat format() const = 0;
    /// Spawns the source thread. Fails if already running.
    [[nodiscard]] virtual Result<void> start(SourceCallbacks callbacks) = 0;
    /// Stops and joins the thread; idempotent. No callback runs after it returns.
    virtual void stop() = 0;
};

}  // namespace podium::capture

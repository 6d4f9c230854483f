#pragma once

#include <atomic>
#include <cstdint>
#include <string>
#include <vector>

#include "capture/media_source.h"
#include "capture/source_thread.h"
#include "core/clock.h"

namespace podium::capture {

struct TestPatternConfig {
    int width = 1280;
    int height = 720;
    int fpsNum = 30;
    int fpsDen = 1;
    bool withAudio = true;
    int sampleRate = 48000;
    int channels = 2;
    std::string title = "Podium test pattern";
};

/// A synthetic live source for demos, tests and benches: colour bars with moving noise, a box
/// sweeping across, a rotating line, a burned-in frame counter, wall-clock time and title, and
/// the latency probe strip (capture/latency_strip.h) with the same wall clock, top right.
/// A/V sync marker: during [k s, k s + 100 ms) of the timeline the picture flashes white and the
/// audio beeps at 1 kHz; otherwise the audio is a quiet 440 Hz tone (about -26 dBFS).
/// Audio comes in 10 ms frames. One thread produces video and audio interleaved in timeline
/// order (the earlier pts first), so both are paced by the same Clock. renderFrame() and
/// renderAudio() are pure (deterministic for a given construction) and may be called from any
/// thread. Rendering 1920x1080 costs well under 1 ms per frame on one core (0.3-0.5 ms,
/// printed by tst_test_pattern_source::renderSpeed1080p).
class TestPatternSource final : public MediaSource {
public:
    TestPatternSource(TestPatternConfig config, const Clock& clock, Pacing pacing);
    ~TestPatternSource() override;

    [[nodiscard]] std::string describe() const override;
    [[nodiscard]] SourceFormat format() const override;
    [[nodiscard]] Result<void> start(SourceCallbacks callbacks) override;
    void stop() override;

    /// True during the first 100 ms of every whole second of the timeline.
    static bool isFlashTime(MediaTime t);

    /// Video frame `sequence` (pts = sequence * frame duration, 90 kHz).
    [[nodiscard]] VideoFramePtr renderFrame(int64_t sequence) const;
    /// `count` samples per channel starting at sample index `firstSample` (pts = firstSample).
    [[nodiscard]] AudioFramePtr renderAudio(int64_t firstSample, int count) const;

    /// pts of video frame `sequence`: sequence * 90000 * fpsDen / fpsNum, rounded down.
    [[nodiscard]] MediaTime videoPts(int64_t sequence) const;

private:
    void run(const std::stop_token& stop, const SourceCallbacks& callbacks) const;
    void drawBackground(VideoFrame& frame, int64_t sequence) const;
    void drawMotion(VideoFrame& frame, int64_t sequence) const;
    void drawText(VideoFrame& frame, int64_t sequence) const;

    TestPatternConfig config_;
    Pacing pacing_;
    const Clock& clock_;
    /// Wall clock (Unix ms) of the clock's zero: the burned-in time of day and the latency
    /// strip. Taken again at start(), after the session has moved the clock's zero to its own
    /// epoch (the PROGRAM-DATE-TIME anchor), so both say the same time.
    std::atomic<int64_t> wallEpochMs_;
    VideoFrame background_;       ///< bars + luma ramp; luma lowered by the noise amplitude
    std::vector<uint8_t> noise_;  ///< height rows of noiseStride_; a shifting window is added
    int noiseStride_ = 0;
    SourceThread thread_;
};

}  // namespace podium::capture

#pragma once

#include <cstdint>

namespace podium::gui {

/// Tells when the microphone has given nothing louder than kThreshold for `holdMs`: a muted
/// headset or a wrong input is noticed while live, not after the talk. Fed with the newest
/// peak a few times per second. Pure (times are given), any single thread.
class SilenceDetector {
public:
    /// Peak magnitude 0.003 is about -50 dBFS: room noise of a live microphone is above it,
    /// a muted or unplugged one (digital silence or a noise floor near -90 dBFS) is below.
    static constexpr float kThreshold = 0.003f;
    static constexpr int64_t kDefaultHoldMs = 10000;

    explicit SilenceDetector(int64_t holdMs = kDefaultHoldMs) : holdMs_(holdMs) {}

    /// The newest peak (0..1, linear) seen at `nowMs` (a monotonic clock in milliseconds).
    void observe(float peak, int64_t nowMs);
    /// Forget everything (Start, unmute, another input).
    void reset();
    /// Silent for at least holdMs as of the last observe().
    [[nodiscard]] bool isSilent() const;
    /// How long it has been silent, as of the last observe() (milliseconds).
    [[nodiscard]] int64_t silentForMs() const;

private:
    int64_t holdMs_;
    bool started_ = false;
    int64_t lastLoudMs_ = 0;
    int64_t lastSeenMs_ = 0;
};

}  // namespace podium::gui

#pragma once

#include <cstddef>
#include <deque>

namespace podium::capture {

/// Keeps a capture device's sample-count timeline on the session clock. After each block the
/// source reports where its output timeline says the block ends (`outputSeconds`, from the
/// number of samples emitted) and when the clock says that sample was captured
/// (`clockSeconds`, now minus the reported latency: noisy). The controller averages the error
/// over a sliding window and answers a resampling correction (output/input rate - 1) that
/// pulls the error back to zero over `settleSeconds`: a device running 200 ppm fast or slow
/// ends up a couple of milliseconds off, never drifting away. Pure; one thread.
class DriftController {
public:
    struct Settings {
        double windowSeconds = 2.0;    ///< error averaged over this much recent audio
        double settleSeconds = 10.0;   ///< proportional gain: error corrected over this time
        double maxCorrection = 0.002;  ///< +-2000 ppm at most (inaudible pitch change)
        double resyncSeconds = 0.04;   ///< a larger averaged error (full window) is snapped
                                       ///< at once by the caller (insert silence / drop)
    };

    DriftController() : DriftController(Settings{}) {}
    explicit DriftController(Settings settings) : settings_(settings) {}

    /// One observation per block; `blockSeconds` is the block's input duration.
    void observe(double outputSeconds, double clockSeconds, double blockSeconds);
    /// The averaged error (output timeline minus clock), seconds; positive = audio ahead.
    [[nodiscard]] double error() const;
    /// Rate correction to apply now: output samples = input samples * (1 + correction()).
    [[nodiscard]] double correction() const;
    /// True when the window is full and its error is beyond resyncSeconds (start-up offset, a
    /// stall, lost samples): the caller inserts or drops samples, then reset()s.
    [[nodiscard]] bool needsResync() const;
    /// Forgets the history (after a re-base).
    void reset();

private:
    Settings settings_;
    std::deque<double> errors_;
    double windowFill_ = 0;  ///< seconds of audio the window holds
    double sum_ = 0;
    std::deque<double> durations_;
};

}  // namespace podium::capture

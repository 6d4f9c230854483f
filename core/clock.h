#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>

#include "media_time.h"

namespace podium {

/// Session time source. `now()` is media time since the clock's epoch (session start);
/// sources stamp frames with it and pace themselves against it. Thread-safe.
class Clock {
public:
    virtual ~Clock() = default;
    [[nodiscard]] virtual MediaTime now() const = 0;
    /// Blocks until `now() >= t` (or returns at once if already past).
    virtual void sleepUntil(MediaTime t) const = 0;
};

/// std::chrono::steady_clock, epoch = construction. Time in microseconds.
class SteadyClock final : public Clock {
public:
    SteadyClock();
    /// Moves the epoch to now. Only while no other thread uses the clock (before sources start).
    void restart();
    [[nodiscard]] MediaTime now() const override;
    void sleepUntil(MediaTime t) const override;

private:
    std::chrono::steady_clock::time_point epoch_;
};

/// A clock tests move by hand; sleepUntil returns at once and advances it.
class ManualClock final : public Clock {
public:
    [[nodiscard]] MediaTime now() const override { return MediaTime{micros_.load(), 1000000}; }
    void sleepUntil(MediaTime t) const override;
    void advance(MediaTime by);

private:
    mutable std::atomic<int64_t> micros_{0};
};

/// Wall-clock milliseconds since the Unix epoch (for PROGRAM-DATE-TIME and status lines only).
int64_t wallClockMillis();

}  // namespace podium

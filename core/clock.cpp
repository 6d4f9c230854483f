#include "clock.h"

#include <thread>

namespace podium {

SteadyClock::SteadyClock() : epoch_(std::chrono::steady_clock::now()) {}

void SteadyClock::restart() { epoch_ = std::chrono::steady_clock::now(); }

MediaTime SteadyClock::now() const {
    const auto us = std::chrono::duration_cast<std::chrono::microseconds>(
        std::chrono::steady_clock::now() - epoch_);
    return MediaTime{us.count(), 1000000};
}

void SteadyClock::sleepUntil(MediaTime t) const {
    const auto us = t.rescaled(1000000, Rounding::Up).value;
    std::this_thread::sleep_until(epoch_ + std::chrono::microseconds(us));
}

void ManualClock::sleepUntil(MediaTime t) const {
    const int64_t target = t.rescaled(1000000, Rounding::Up).value;
    int64_t current = micros_.load();
    while (current < target && !micros_.compare_exchange_weak(current, target)) {
    }
}

void ManualClock::advance(MediaTime by) { micros_ += by.rescaled(1000000).value; }

int64_t wallClockMillis() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

}  // namespace podium

#pragma once

#include <functional>
#include <stop_token>
#include <string>
#include <thread>

#include "core/clock.h"
#include "core/media_time.h"
#include "core/status.h"
#include "core/thread.h"

namespace podium::capture {

/// The worker thread a source runs on, with a stop-aware paced wait. Sources own one and give
/// it their loop body; the body must poll its stop_token (waitUntil does). start()/stop() from
/// the owning thread; stop() may also be called from the body itself (it then only requests the
/// stop, and the owner's later stop() or the destructor joins).
class SourceThread {
public:
    /// Longest single sleep, so a stop request is noticed within this time (milliseconds).
    static constexpr int64_t kSleepSliceMs = 20;

    explicit SourceThread(const Clock& clock) : clock_(clock) {}
    ~SourceThread() { stop(); }
    SourceThread(const SourceThread&) = delete;
    SourceThread& operator=(const SourceThread&) = delete;

    /// Runs `body` on a new thread. Fails if a previous run has not been stopped. When the body
    /// throws, `onFailure` gets the reason on the source's thread (sources pass their
    /// SourceCallbacks::onError, so the consumer shows the slate and says why).
    [[nodiscard]] Result<void> start(std::string name, std::function<void(std::stop_token)> body,
                                     ThreadFailure onFailure = {});
    /// Requests the stop and joins. Idempotent.
    void stop();
    [[nodiscard]] bool running() const { return thread_.joinable(); }

    /// Sleeps (in slices of <= kSleepSliceMs) until the clock reaches `t`. Returns false as soon
    /// as a stop is requested, true when `t` is reached.
    [[nodiscard]] bool waitUntil(MediaTime t, const std::stop_token& stop) const;

private:
    const Clock& clock_;
    std::jthread thread_;
};

}  // namespace podium::capture

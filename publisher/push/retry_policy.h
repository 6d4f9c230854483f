#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "core/status.h"

namespace podium::publisher::push {

/// Backoff parameters. Times are wall-clock durations.
struct RetryConfig {
    std::chrono::milliseconds initialDelay{1000};
    double factor = 1.5;
    std::chrono::milliseconds maxDelay{10000};
    double jitter = 0.1;  ///< each delay is scaled by a random factor in [1 - jitter, 1 + jitter]

    /// For live pushes: the cap is 2 s so a receiver that comes back is reconnected to within
    /// ~2 s (1 s, 1.5 s, 2 s, 2 s, ...).
    static RetryConfig live() {
        return {std::chrono::milliseconds(1000), 1.5, std::chrono::milliseconds(2000), 0.1};
    }
};

/// True for failures worth retrying: Unavailable (refused, timeouts, 5xx), Io, Internal and
/// FailedPrecondition (412: resend the header). False for PermissionDenied (401/403, TLS),
/// NotFound (404), Unsupported (415), InvalidArgument (other 4xx, bad URL), Cancelled.
bool isTransient(const Status& status);

/// The delay before retry number `attempt` (0 = the first retry): initialDelay * factor^attempt,
/// scaled by jitter (`unit` in [0, 1) picks the point in the jitter range), capped at maxDelay.
/// Pure.
std::chrono::milliseconds backoffDelay(const RetryConfig& config, int attempt, double unit);

/// ONE reconnect policy for every push sink: which URL to use next and how long to wait.
/// Backup URLs are tried in order, at once, after the current one fails (IIS style); once every
/// URL failed in a row, the delays back off exponentially with jitter up to the cap. A success
/// resets the policy (but stays on the URL that works). Not thread-safe (one sink worker);
/// deterministic for a given seed.
class RetryPolicy {
public:
    RetryPolicy(RetryConfig config, std::vector<std::string> urls, uint64_t seed = 1);

    struct Decision {
        bool retry = false;  ///< false: permanent failure, stop this destination
        std::chrono::milliseconds delay{0};
        std::string url;  ///< where the next attempt goes
    };

    /// A connection or request failed with `status`.
    Decision onFailure(const Status& status);
    void onSuccess();

    [[nodiscard]] const std::string& currentUrl() const { return urls_[current_]; }
    [[nodiscard]] uint64_t retries() const { return retries_; }  ///< total, never reset

private:
    double nextUnit();

    RetryConfig config_;
    std::vector<std::string> urls_;
    size_t current_ = 0;
    int failuresInRow_ = 0;
    uint64_t retries_ = 0;
    uint64_t rng_;
};

}  // namespace podium::publisher::push

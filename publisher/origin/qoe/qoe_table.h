#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include "publisher/origin/qoe/qoe_beacon.h"

namespace podium::publisher::origin {

/// What bounds one channel's table of viewers' reports (issue #7's rule: every resource a
/// client can make the origin hold has a limit with a default and a flag).
struct QoeLimits {
    std::size_t maxViewers = 10000;  ///< viewers held per channel; new ones beyond are refused
    /// A viewer's beacons closer together than this are refused (the page sends one every 5 s).
    std::chrono::milliseconds minInterval{1000};
    /// A viewer is watching while its last beacon is younger than this; older ones are dropped.
    std::chrono::milliseconds watching{15000};
};

/// One channel's audience as its viewers report it. Latencies in seconds; quantiles by nearest
/// rank over the viewers that reported the figure.
struct QoeSummary {
    std::size_t viewers = 0;  ///< beaconed within QoeLimits::watching
    std::optional<double> behindLiveP50;
    std::optional<double> behindLiveP95;
    std::optional<double> glassToGlassP50;
    std::optional<double> glassToGlassP95;
    /// Time stalled over time stalled plus time playing, summed over the viewers (0 to 1).
    double stallRatio = 0;
    std::map<std::string, std::size_t> viewersByRendition;  ///< "" = not said
};

/// The latest beacon of each viewer of one channel. add() from the origin's I/O threads,
/// summary() from any thread (one mutex; each call is linear in the viewers held).
class QoeTable {
public:
    using Clock = std::chrono::steady_clock;

    enum class Outcome {
        Counted = 1,  ///< the viewer's report now stands
        Left,         ///< the viewer said it leaves: forgotten
        TooSoon,      ///< closer to its last beacon than minInterval: refused (429)
        Full,         ///< a new viewer while maxViewers are watching: refused (429)
    };

    explicit QoeTable(QoeLimits limits = {}) : limits_(limits) {}

    Outcome add(const QoeBeacon& beacon, Clock::time_point now);
    [[nodiscard]] QoeSummary summary(Clock::time_point now) const;
    [[nodiscard]] const QoeLimits& limits() const { return limits_; }

private:
    struct Entry {
        QoeBeacon beacon;
        Clock::time_point at;
    };
    void expire(Clock::time_point now) const;  ///< with mutex_ held

    const QoeLimits limits_;
    mutable std::mutex mutex_;
    mutable std::unordered_map<std::string, Entry> viewers_;  ///< by viewer id
};

}  // namespace podium::publisher::origin

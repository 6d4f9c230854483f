#include "publisher/origin/qoe/qoe_table.h"

#include <algorithm>
#include <cmath>
#include <vector>

namespace podium::publisher::origin {

namespace {

/// Nearest-rank quantile q (0 < q <= 1) of `values` (sorted here), or nullopt when empty.
std::optional<double> quantile(std::vector<double>& values, double q) {
    if (values.empty()) {
        return std::nullopt;
    }
    std::sort(values.begin(), values.end());
    const auto rank = std::size_t(std::ceil(q * double(values.size())));
    return values[std::clamp<std::size_t>(rank, 1, values.size()) - 1];
}

}  // namespace

void QoeTable::expire(Clock::time_point now) const {
    std::erase_if(viewers_,
                  [&](const auto& item) { return now - item.second.at > limits_.watching; });
}

QoeTable::Outcome QoeTable::add(const QoeBeacon& beacon, Clock::time_point now) {
    std::lock_guard lock(mutex_);
    expire(now);
    const auto it = viewers_.find(beacon.viewer);
    if (beacon.leaving) {
        if (it != viewers_.end()) {
            viewers_.erase(it);
        }
        return Outcome::Left;
    }
    if (it != viewers_.end()) {
        if (now - it->second.at < limits_.minInterval) {
            return Outcome::TooSoon;
        }
        it->second = Entry{beacon, now};
        return Outcome::Counted;
    }
    if (viewers_.size() >= limits_.maxViewers) {
        return Outcome::Full;
    }
    viewers_.emplace(beacon.viewer, Entry{beacon, now});
    return Outcome::Counted;
}

QoeSummary QoeTable::summary(Clock::time_point now) const {
    std::lock_guard lock(mutex_);
    expire(now);
    QoeSummary out;
    out.viewers = viewers_.size();
    std::vector<double> behind;
    std::vector<double> g2g;
    double stalled = 0;
    double played = 0;
    for (const auto& [id, entry] : viewers_) {
        const QoeBeacon& b = entry.beacon;
        if (b.behindLiveSeconds) {
            behind.push_back(*b.behindLiveSeconds);
        }
        if (b.glassToGlassSeconds) {
            g2g.push_back(*b.glassToGlassSeconds);
        }
        stalled += b.stallSeconds;
        played += b.watchSeconds;
        out.viewersByRendition[b.rendition] += 1;
    }
    out.behindLiveP50 = quantile(behind, 0.5);
    out.behindLiveP95 = quantile(behind, 0.95);
    out.glassToGlassP50 = quantile(g2g, 0.5);
    out.glassToGlassP95 = quantile(g2g, 0.95);
    out.stallRatio = stalled + played > 0 ? stalled / (stalled + played) : 0.0;
    return out;
}

}  // namespace podium::publisher::origin

#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <map>
#include <string>

#include "publisher/origin/channel_store.h"
#include "publisher/origin/origin_limits.h"
#include "publisher/origin/server/viewer_table.h"

namespace podium::publisher::origin {

/// A snapshot of the origin's counters (what /metrics prints).
struct OriginMetrics {
    std::map<std::string, uint64_t> requestsByKind;  ///< routeKind() → count
    uint64_t requestsTotal = 0;
    uint64_t bytesOut = 0;          ///< response body bytes written
    int viewers = 0;                ///< distinct IP + User-Agent on media URLs in the last 10 s
    std::size_t viewerEntries = 0;  ///< entries in the viewer table (bounded)
    int openConnections = 0;
    uint64_t waitingRequests = 0;  ///< requests parked on a blocking reload right now
    uint64_t refused = 0;          ///< connections or requests refused by a limit (429/503)
    uint64_t acceptErrors = 0;     ///< accept() failures for lack of descriptors or memory
};

/// The origin's counters. Updated from every connection's strand, read by /metrics and
/// OriginServer::metrics(); thread-safe (atomics, and the viewer table's mutex).
class OriginStats {
public:
    static constexpr int64_t kViewerWindowMs = 10000;

    /// `maxViewerEntries`: the bound of the viewer table (OriginLimits::maxViewerEntries).
    explicit OriginStats(int maxViewerEntries = OriginLimits{}.maxViewerEntries)
        : viewers_(maxViewerEntries) {}

    void countRequest(const char* kind);
    void addBytesOut(uint64_t bytes) { bytesOut_.fetch_add(bytes, std::memory_order_relaxed); }
    void sawViewer(const std::string& clientIp, const std::string& userAgent, int64_t nowMs);
    void connectionOpened() { connections_.fetch_add(1, std::memory_order_relaxed); }
    void connectionClosed() { connections_.fetch_sub(1, std::memory_order_relaxed); }
    /// Counts one more parked request if fewer than `max` are parked; false otherwise.
    [[nodiscard]] bool tryStartWait(int max);
    void waitEnded() { waiting_.fetch_sub(1, std::memory_order_relaxed); }
    void countRefused() { refused_.fetch_add(1, std::memory_order_relaxed); }
    void countAcceptError() { acceptErrors_.fetch_add(1, std::memory_order_relaxed); }

    [[nodiscard]] OriginMetrics snapshot(int64_t nowMs) const;
    /// Prometheus text exposition (version 0.0.4) of the counters plus, per track of every
    /// channel in `store`, ingest bytes and the newest segment's age (wall clock `nowMs`).
    [[nodiscard]] std::string renderPrometheus(const ChannelStore& store, int64_t nowMs) const;

private:
    static constexpr std::array<const char*, 16> kKinds = {
        "not_found",       "page",     "api",  "time",    "health", "metrics", "asset",
        "multivariant",    "playlist", "init", "segment", "part",   "mpd",     "smooth_manifest",
        "smooth_fragment", "ingest"};

    std::array<std::atomic<uint64_t>, kKinds.size()> requests_{};
    std::atomic<uint64_t> bytesOut_{0};
    std::atomic<int> connections_{0};
    std::atomic<uint64_t> waiting_{0};
    std::atomic<uint64_t> refused_{0};
    std::atomic<uint64_t> acceptErrors_{0};
    mutable ViewerTable viewers_;
};

}  // namespace podium::publisher::origin

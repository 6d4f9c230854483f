#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <unordered_map>

#include "publisher/origin/segment_store.h"

namespace podium::publisher::origin {

/// A snapshot of the origin's counters (what /metrics prints).
struct OriginMetrics {
    std::map<std::string, uint64_t> requestsByKind;  ///< routeKind() → count
    uint64_t requestsTotal = 0;
    uint64_t bytesOut = 0;  ///< response body bytes written
    int viewers = 0;        ///< distinct IP + User-Agent on media URLs in the last 10 s
    int openConnections = 0;
    uint64_t waitingRequests = 0;  ///< requests parked on a blocking reload right now
};

/// The origin's counters. Updated from every connection's strand, read by /metrics and
/// OriginServer::metrics(); thread-safe (atomics, and a mutex for the viewer table).
class OriginStats {
public:
    static constexpr int64_t kViewerWindowMs = 10000;

    void countRequest(const char* kind);
    void addBytesOut(uint64_t bytes) { bytesOut_.fetch_add(bytes, std::memory_order_relaxed); }
    void sawViewer(const std::string& clientIp, const std::string& userAgent, int64_t nowMs);
    void connectionOpened() { connections_.fetch_add(1, std::memory_order_relaxed); }
    void connectionClosed() { connections_.fetch_sub(1, std::memory_order_relaxed); }
    void waitStarted() { waiting_.fetch_add(1, std::memory_order_relaxed); }
    void waitEnded() { waiting_.fetch_sub(1, std::memory_order_relaxed); }

    [[nodiscard]] OriginMetrics snapshot(int64_t nowMs) const;
    /// Prometheus text exposition (version 0.0.4) of the counters plus, per track of every
    /// channel in `store`, ingest bytes and the newest segment's age (wall clock `nowMs`).
    [[nodiscard]] std::string renderPrometheus(const SegmentStore& store, int64_t nowMs) const;

private:
    static constexpr std::array<const char*, 16> kKinds = {
        "not_found",       "page",     "api",  "time",    "health", "metrics", "asset",
        "multivariant",    "playlist", "init", "segment", "part",   "mpd",     "smooth_manifest",
        "smooth_fragment", "ingest"};

    std::array<std::atomic<uint64_t>, kKinds.size()> requests_{};
    std::atomic<uint64_t> bytesOut_{0};
    std::atomic<int> connections_{0};
    std::atomic<uint64_t> waiting_{0};
    mutable std::mutex viewersMutex_;
    mutable std::unordered_map<std::string, int64_t> viewers_;  ///< key → last seen (Unix ms)
};

}  // namespace podium::publisher::origin

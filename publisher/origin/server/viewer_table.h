#pragma once

#include <cstdint>
#include <list>
#include <mutex>
#include <string_view>
#include <unordered_map>

namespace podium::publisher::origin {

/// The distinct viewers (client IP + User-Agent) seen recently, for podium_origin_viewers.
/// Bounded: at most `maxEntries` entries (OriginLimits::maxViewerEntries); a new viewer beyond
/// that evicts the least recently seen one, so 20,000 made-up User-Agents cost a fixed amount
/// of memory. Entries are 64-bit hashes, never the header text. Thread-safe.
class ViewerTable {
public:
    explicit ViewerTable(int maxEntries) : maxEntries_(maxEntries > 0 ? maxEntries : 1) {}

    /// Records a request of a viewer at `nowMs` (Unix ms).
    void saw(std::string_view clientIp, std::string_view userAgent, int64_t nowMs);
    /// Viewers seen at or after `sinceMs`; forgets the older ones.
    [[nodiscard]] int countSince(int64_t sinceMs);
    [[nodiscard]] std::size_t size() const;

private:
    struct Entry {
        uint64_t key;
        int64_t lastSeenMs;
    };

    const std::size_t maxEntries_;
    mutable std::mutex mutex_;
    std::list<Entry> byAge_;  ///< least recently seen first
    std::unordered_map<uint64_t, std::list<Entry>::iterator> index_;
};

}  // namespace podium::publisher::origin

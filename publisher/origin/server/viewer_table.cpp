#include "publisher/origin/server/viewer_table.h"

#include <functional>
#include <string>

namespace podium::publisher::origin {

void ViewerTable::saw(std::string_view clientIp, std::string_view userAgent, int64_t nowMs) {
    const uint64_t key = std::hash<std::string_view>{}(clientIp)*0x9e3779b97f4a7c15ull ^
                         std::hash<std::string_view>{}(userAgent);
    std::lock_guard lock(mutex_);
    if (auto it = index_.find(key); it != index_.end()) {
        it->second->lastSeenMs = nowMs;
        byAge_.splice(byAge_.end(), byAge_, it->second);
        return;
    }
    if (index_.size() >= maxEntries_) {
        index_.erase(byAge_.front().key);
        byAge_.pop_front();
    }
    byAge_.push_back(Entry{key, nowMs});
    index_.emplace(key, std::prev(byAge_.end()));
}

int ViewerTable::countSince(int64_t sinceMs) {
    std::lock_guard lock(mutex_);
    while (!byAge_.empty() && byAge_.front().lastSeenMs < sinceMs) {
        index_.erase(byAge_.front().key);
        byAge_.pop_front();
    }
    return static_cast<int>(index_.size());
}

std::size_t ViewerTable::size() const {
    std::lock_guard lock(mutex_);
    return index_.size();
}

}  // namespace podium::publisher::origin

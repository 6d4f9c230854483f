#include "publisher/origin/ingest/ingest_registry.h"

namespace podium::publisher::origin {

uint64_t IngestRegistry::connect(const std::string& channel, const std::string& streamId) {
    std::lock_guard lock(mutex_);
    const uint64_t generation = nextGeneration_++;
    owners_[{channel, streamId}] = generation;
    return generation;
}

bool IngestRegistry::isCurrent(const std::string& channel, const std::string& streamId,
                               uint64_t generation) const {
    std::lock_guard lock(mutex_);
    const auto it = owners_.find({channel, streamId});
    return it != owners_.end() && it->second == generation;
}

void IngestRegistry::disconnect(const std::string& channel, const std::string& streamId,
                                uint64_t generation) {
    std::lock_guard lock(mutex_);
    const auto it = owners_.find({channel, streamId});
    if (it != owners_.end() && it->second == generation) {
        owners_.erase(it);
    }
}

}  // namespace podium::publisher::origin

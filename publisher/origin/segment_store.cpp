#include "publisher/origin/segment_store.h"

namespace podium::publisher::origin {

std::shared_ptr<Channel> SegmentStore::getOrCreate(const std::string& name,
                                                   const ChannelConfig* config) {
    std::lock_guard lock(mutex_);
    auto it = channels_.find(name);
    if (it != channels_.end()) {
        return it->second;
    }
    ChannelConfig c = config ? *config : defaults_;
    c.name = name;
    auto channel = std::make_shared<Channel>(c);
    channels_.emplace(name, channel);
    return channel;
}

std::shared_ptr<Channel> SegmentStore::recreate(const ChannelConfig& config) {
    std::lock_guard lock(mutex_);
    auto channel = std::make_shared<Channel>(config);
    channels_[config.name] = channel;
    return channel;
}

std::shared_ptr<Channel> SegmentStore::find(const std::string& name) const {
    std::lock_guard lock(mutex_);
    auto it = channels_.find(name);
    return it == channels_.end() ? nullptr : it->second;
}

std::size_t SegmentStore::channelCount() const {
    std::lock_guard lock(mutex_);
    return channels_.size();
}

std::vector<std::string> SegmentStore::channelNames() const {
    std::lock_guard lock(mutex_);
    std::vector<std::string> names;
    for (const auto& [name, channel] : channels_) {
        names.push_back(name);
    }
    return names;
}

}  // namespace podium::publisher::origin

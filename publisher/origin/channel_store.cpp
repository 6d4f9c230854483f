#include "publisher/origin/channel_store.h"

namespace podium::publisher::origin {

std::shared_ptr<Channel> ChannelStore::getOrCreate(const std::string& name,
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

std::shared_ptr<Channel> ChannelStore::recreate(const ChannelConfig& config) {
    std::lock_guard lock(mutex_);
    auto channel = std::make_shared<Channel>(config);
    channels_[config.name] = channel;
    return channel;
}

std::shared_ptr<Channel> ChannelStore::find(const std::string& name) const {
    std::lock_guard lock(mutex_);
    auto it = channels_.find(name);
    return it == channels_.end() ? nullptr : it->second;
}

std::size_t ChannelStore::channelCount() const {
    std::lock_guard lock(mutex_);
    return channels_.size();
}

std::vector<std::string> ChannelStore::channelNames() const {
    std::lock_guard lock(mutex_);
    std::vector<std::string> names;
    for (const auto& [name, channel] : channels_) {
        names.push_back(name);
    }
    return names;
}

std::vector<std::string> ChannelStore::expireIdle(int64_t nowMs, int64_t idleMs) {
    std::vector<std::shared_ptr<Channel>> toEnd;
    std::vector<std::string> removed;
    {
        std::lock_guard lock(mutex_);
        if (lastSweepMs_ != 0 && nowMs - lastSweepMs_ < 1000 && nowMs >= lastSweepMs_) {
            return removed;
        }
        lastSweepMs_ = nowMs;
        for (auto it = channels_.begin(); it != channels_.end();) {
            const Channel& channel = *it->second;
            const int64_t idle = nowMs - channel.lastMediaMs();
            const int64_t window = int64_t(channel.config().dvrWindow.seconds() * 1000.0 + 0.5);
            if (!channel.config().expiresWhenIdle || idle < idleMs) {
                ++it;
                continue;
            }
            if (idle >= idleMs + window) {
                removed.push_back(it->first);
                it = channels_.erase(it);  // holders (a late viewer) keep their snapshot
                continue;
            }
            toEnd.push_back(it->second);
            ++it;
        }
    }
    for (const auto& channel : toEnd) {
        if (!channel->view()->ended) {
            channel->end();  // outside the store's lock: end() wakes the channel's waiters
        }
    }
    return removed;
}

}  // namespace podium::publisher::origin

#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "publisher/origin/channel.h"

namespace podium::publisher::origin {

/// Every channel the origin serves, by name. Channels are created by the in-process feed
/// (OriginSink) or by the first ingest POST that carries a header. A channel whose config says
/// expiresWhenIdle (ingest) ends when no media came for the idle time and is removed after the
/// idle time plus its DVR window (expireIdle); the others stay until the origin stops (an ended
/// channel keeps serving its last window as a finished stream). Thread-safe.
class ChannelStore {
public:
    /// `defaults` supplies the DVR window and targets for channels created by ingest.
    explicit ChannelStore(ChannelConfig defaults) : defaults_(std::move(defaults)) {}

    /// The channel `name`, created with `config` (or the defaults, name replaced) if new.
    std::shared_ptr<Channel> getOrCreate(const std::string& name,
                                         const ChannelConfig* config = nullptr);
    /// Replaces a channel with a fresh one (a new session under the same name).
    std::shared_ptr<Channel> recreate(const ChannelConfig& config);
    [[nodiscard]] std::shared_ptr<Channel> find(const std::string& name) const;
    [[nodiscard]] std::vector<std::string> channelNames() const;
    [[nodiscard]] std::size_t channelCount() const;
    [[nodiscard]] const ChannelConfig& defaults() const { return defaults_; }

    /// Ends the expiring channels without media for `idleMs` and removes those without media
    /// for `idleMs` + their DVR window. Does nothing when the last sweep was less than a second
    /// before `nowMs` (callers sweep on every ingest and media request). Returns the removed
    /// channels' names.
    std::vector<std::string> expireIdle(int64_t nowMs, int64_t idleMs);

private:
    const ChannelConfig defaults_;
    mutable std::mutex mutex_;
    std::map<std::string, std::shared_ptr<Channel>> channels_;
    int64_t lastSweepMs_ = 0;
};

}  // namespace podium::publisher::origin

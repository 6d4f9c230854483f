#include "publisher/relay/channel_relay.h"

#include <cstdio>

#include "core/thread.h"
#include "publisher/relay/channel_forwarder.h"

namespace podium::publisher::relay {

namespace {

bool hasProtocolPrefix(const std::string& spec) {
    const auto eq = spec.find('=');
    const auto scheme = spec.find("://");
    return eq != std::string::npos && (scheme == std::string::npos || eq < scheme);
}

std::string humanBytes(uint64_t bytes) {
    char text[32];
    if (bytes >= 1000 * 1000) {
        std::snprintf(text, sizeof text, "%.1f MB", double(bytes) / 1e6);
    } else {
        std::snprintf(text, sizeof text, "%.1f kB", double(bytes) / 1e3);
    }
    return text;
}

}  // namespace

Result<std::unique_ptr<ChannelRelay>> ChannelRelay::start(origin::ChannelStore& store,
                                                          const std::string& spec,
                                                          const std::string& token,
                                                          RelayOptions options) {
    // The original topology relays to Smooth publishing points: that is the default.
    const std::string full = hasProtocolPrefix(spec) ? spec : "smooth=" + spec;
    auto target = push::PushTarget::parse(full, token);
    if (!target) {
        return tl::unexpected(target.error());
    }
    std::unique_ptr<ChannelRelay> relay(new ChannelRelay(store, *target, std::move(options)));
    auto thread = startThread("relay", [r = relay.get()](std::stop_token) { r->run(); });
    if (!thread) {
        return makeError(thread.error().withContext("relay"));
    }
    relay->thread_ = std::move(*thread);
    return relay;
}

ChannelRelay::ChannelRelay(origin::ChannelStore& store, push::PushTarget target,
                           RelayOptions options)
    : store_(store), target_(std::move(target)), options_(std::move(options)) {}

ChannelRelay::~ChannelRelay() {
    stop();
}

push::PushTarget ChannelRelay::channelTarget(const push::PushTarget& base,
                                             const std::string& channel) {
    const bool ingest = base.protocol == push::PushTarget::Protocol::Smooth ||
                        base.protocol == push::PushTarget::Protocol::Cmaf;
    const std::string suffix = "/" + channel + (ingest ? ".isml" : "");
    push::PushTarget t = base;
    t.url += suffix;
    for (auto& backup : t.backupUrls) {
        while (!backup.empty() && backup.back() == '/') {
            backup.pop_back();
        }
        backup += suffix;
    }
    return t;
}

std::string ChannelRelay::destination() const {
    return std::string(push::protocolName(target_.protocol)) + " " + target_.url;
}

void ChannelRelay::stop() {
    std::map<std::string, std::unique_ptr<ChannelForwarder>> forwarders;
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_all();
    if (thread_.joinable()) {
        thread_.join();
    }
    {
        std::lock_guard lock(mutex_);
        for (auto& [name, f] : forwarders_) {
            f->stop();  // keeps the entry (and its final status) in place
        }
    }
}

std::vector<RelayChannelStatus> ChannelRelay::status() const {
    std::lock_guard lock(mutex_);
    std::vector<RelayChannelStatus> out;
    for (const auto& [name, f] : forwarders_) {
        out.push_back(f->status());
    }
    return out;
}

void ChannelRelay::run() {
    std::unique_lock lock(mutex_);
    while (!stopping_) {
        lock.unlock();
        scan();
        lock.lock();
        wake_.wait_for(lock, options_.pollInterval, [&] { return stopping_; });
    }
}

void ChannelRelay::scan() {
    for (const auto& name : store_.channelNames()) {
        auto channel = store_.find(name);
        if (!channel) {
            continue;
        }
        std::unique_ptr<ChannelForwarder> replaced;
        {
            std::lock_guard lock(mutex_);
            if (stopping_) {
                return;
            }
            auto& slot = forwarders_[name];
            if (slot && slot->channel() == channel) {
                continue;
            }
            // New channel, or a new session under the same name (ChannelStore::recreate).
            replaced = std::move(slot);
            slot =
                std::make_unique<ChannelForwarder>(channel, channelTarget(target_, name), options_);
        }
        replaced.reset();  // closes the old session's push outside the lock
    }
}

std::string formatRelayStatus(const std::vector<RelayChannelStatus>& channels) {
    std::string line;
    for (const auto& c : channels) {
        if (!line.empty()) {
            line += ", ";
        }
        line += c.channel + " " +
                (c.ended && c.push.state != push::PushState::Failed
                     ? std::string("ended")
                     : std::string(push::pushStateName(c.push.state)));
        line += " " + humanBytes(c.push.bytesSent) + " sent";
        if (c.push.segmentsDropped > 0) {
            line += ", " + std::to_string(c.push.segmentsDropped) + " dropped";
        }
        if (c.push.retries > 0) {
            line += ", " + std::to_string(c.push.retries) + " retries";
        }
        if (!c.push.lastError.empty()) {
            line += ": " + c.push.lastError;
        }
    }
    return line.empty() ? "no channel yet" : line;
}

}  // namespace podium::publisher::relay

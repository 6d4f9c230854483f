#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "publisher/origin/channel.h"
#include "publisher/push/push_status.h"
#include "publisher/push/push_target.h"
#include "publisher/relay/channel_relay.h"
#include "publisher/sinks/sink_fanout.h"

namespace podium::publisher::relay {

/// Forwards ONE channel to ONE publishing point (a piece of ChannelRelay): its own thread waits
/// on Channel::waitForChange (no polling), then hands the new inits and complete segments (the
/// channel's own, shared), in (sequence, track) order, to a SinkFanout holding one push sink,
/// whose spool is the destination's one queue.
/// The push sink is created once every track has its header and a complete segment; a changed
/// track list re-opens it. Constructed/stopped/queried from any thread.
class ChannelForwarder {
public:
    ChannelForwarder(std::shared_ptr<origin::Channel> channel, push::PushTarget target,
                     RelayOptions options);
    ~ChannelForwarder();
    ChannelForwarder(const ChannelForwarder&) = delete;
    ChannelForwarder& operator=(const ChannelForwarder&) = delete;

    /// Closes the push (bounded by finishDeadline) and joins the thread. Idempotent.
    void stop();
    [[nodiscard]] const std::shared_ptr<origin::Channel>& channel() const { return channel_; }
    [[nodiscard]] RelayChannelStatus status() const;

private:
    struct Signal;

    void run();
    void process(const manifest::ChannelView& view);
    bool ready(const manifest::ChannelView& view) const;
    void open(const manifest::ChannelView& view);
    void close(bool endOfStream);
    void forwardInits(const manifest::ChannelView& view);
    void forwardSegments(const manifest::ChannelView& view);

    const std::shared_ptr<origin::Channel> channel_;
    const push::PushTarget target_;
    const RelayOptions options_;
    const std::shared_ptr<Signal> signal_;

    // Worker-thread state.
    std::vector<std::string> trackIds_;               ///< the open fanout's tracks, in order
    std::map<std::string, int64_t> lastSent_;         ///< per track id: last sequence forwarded
    std::map<std::string, InitSegmentPtr> sentInit_;  ///< per track id: the stored init sent
    bool failed_ = false;

    mutable std::mutex mutex_;  ///< guards the members below (read by status())
    std::unique_ptr<SinkFanout> fanout_;
    push::PushSink* sink_ = nullptr;  ///< owned by fanout_
    push::PushStatus lastStatus_;     ///< kept when the sink goes away
    uint64_t forwarded_ = 0;
    bool ended_ = false;

    std::jthread thread_;
};

}  // namespace podium::publisher::relay

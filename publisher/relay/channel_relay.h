#pragma once

#include <chrono>
#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "core/status.h"
#include "publisher/origin/channel_store.h"
#include "publisher/push/push_status.h"
#include "publisher/push/push_target.h"

namespace podium::publisher::relay {

class ChannelForwarder;

/// Tuning of a relay. Times are wall-clock durations.
struct RelayOptions {
    push::PushOptions push;  ///< handed to every push sink
    /// How often the store is asked for new channels.
    std::chrono::milliseconds pollInterval{1000};
    /// Complete segments already in a channel's window when the relay first sees it that are
    /// forwarded (the newest ones); -1 = the whole window.
    int startBacklogSegments = 3;
    /// Wait for the sink to drain this long when a channel ends or the relay stops.
    std::chrono::milliseconds finishDeadline{5000};
};

/// The state of one relayed channel, for the status line.
struct RelayChannelStatus {
    std::string channel;
    std::string url;  ///< the publishing point this channel goes to
    push::PushStatus push;
    uint64_t segmentsForwarded = 0;  ///< handed to the push sink's queue
    bool ended = false;              ///< the channel ended and the sink was closed
};

/// `podium-origin --push-to [PROTOCOL=]URL`: forwards every channel of a ChannelStore (those
/// present at start and those created later) to one publishing point. Each channel gets its
/// own push sink (push::makePushSink) for `<URL>/<channel>.isml` (Smooth, the default, and
/// CMAF) or `<URL>/<channel>` (HLS/DASH PUT), behind a drop-oldest SinkFanout queue, so a slow
/// or dead destination never blocks the origin. A thread per destination looks for new channels
/// every pollInterval; a thread per channel waits on Channel::waitForChange and forwards the
/// tracks' inits and complete segments in order. start/stop/status may be called from any
/// thread; the store must outlive the relay.
class ChannelRelay {
public:
    /// `spec` = "[smooth|cmaf|hls|dash=]URL[,BACKUP_URL...]" (no prefix: Smooth); `token` as
    /// for --publish-token. Errors: InvalidArgument (bad spec).
    static Result<std::unique_ptr<ChannelRelay>> start(origin::ChannelStore& store,
                                                       const std::string& spec,
                                                       const std::string& token,
                                                       RelayOptions options = {});
    ~ChannelRelay();
    ChannelRelay(const ChannelRelay&) = delete;
    ChannelRelay& operator=(const ChannelRelay&) = delete;

    /// Stops looking for channels, ends every channel's push (a graceful close, bounded by
    /// finishDeadline) and joins the threads. Idempotent.
    void stop();

    /// "smooth http://host/live" — the destination as given.
    [[nodiscard]] std::string destination() const;
    /// One entry per channel relayed so far, by channel name.
    [[nodiscard]] std::vector<RelayChannelStatus> status() const;

    /// The push target of `channel` under the destination `base` (URL and backups extended).
    static push::PushTarget channelTarget(const push::PushTarget& base, const std::string& channel);

private:
    ChannelRelay(origin::ChannelStore& store, push::PushTarget target, RelayOptions options);
    void run();
    void scan();

    origin::ChannelStore& store_;
    const push::PushTarget target_;
    const RelayOptions options_;
    mutable std::mutex mutex_;  ///< guards forwarders_, stopping_
    std::condition_variable wake_;
    bool stopping_ = false;
    std::map<std::string, std::unique_ptr<ChannelForwarder>> forwarders_;
    std::jthread thread_;
};

/// A one-line summary of a relay's channels ("a live 1.2 MB sent, b retrying: cannot connect").
std::string formatRelayStatus(const std::vector<RelayChannelStatus>& channels);

}  // namespace podium::publisher::relay

#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "core/status.h"
#include "publisher/origin/channel_store.h"
#include "publisher/origin/origin_limits.h"
#include "publisher/push/retry_policy.h"
#include "publisher/relay/playlist_parser.h"

namespace podium::publisher::relay {

/// Tuning of a pull. Times are wall-clock durations.
struct PullOptions {
    push::RetryConfig retry = push::RetryConfig::live();
    std::chrono::milliseconds connectTimeout{3000};
    std::chrono::milliseconds requestTimeout{10000};  ///< a whole GET, body included
    std::chrono::milliseconds minReload{250};         ///< floor of the playlist reload period
    /// Complete segments of the upstream window pulled at the first connection (the newest
    /// ones); -1 = the whole window.
    int startBacklogSegments = -1;
    std::string userAgent = "Podium/0.1";
    /// The upstream is another server: what it can make this one hold is bounded. Larger
    /// bodies end the GET with a LimitExceeded error (then a retry).
    uint64_t maxBodyBytes = origin::OriginLimits{}.maxPullBodyBytes;  ///< init or segment GET
    uint64_t maxPlaylistBytes = 4ull << 20;                           ///< playlist GET
    size_t maxTracks = 32;  ///< renditions of the multivariant playlist
    long maxRedirects = 3;  ///< followed per GET, to the same scheme only; 0 = none
};

enum class PullState { Connecting = 1, Live, Retrying, Failed, Finished };
const char* pullStateName(PullState state);

/// A pull's state for the status line. Sizes in bytes.
struct PullStatus {
    PullState state = PullState::Connecting;
    std::string channel;
    std::string url;  ///< the upstream in use (primary or a backup)
    uint64_t segments = 0;
    uint64_t bytes = 0;
    uint64_t retries = 0;
    std::string lastError;
};

/// `podium-origin --pull-from URL[,BACKUP_URL...]`: a distribution server. One thread fetches
/// an upstream origin's multivariant playlist (`http://host/live/<channel>/index.m3u8`), each
/// media playlist (reloaded every half target duration), the CMAF headers and every new
/// segment (libcurl), and feeds a local Channel of the same name: tracks rebuilt from the
/// playlist attributes and the init's moov, segments byte-identical with their tfdt start and
/// trun duration. On failure: push::RetryPolicy over the primary then the backups in order;
/// a gap in the upstream sequence becomes a discontinuity. start/stop/status from any thread;
/// the store must outlive the client.
///
/// A hostile or broken upstream ends in a logged error and a retry, never a crash: only http
/// and https URLs are fetched (also after a playlist's absolute URI or a redirect, which
/// keeps the scheme and is followed at most maxRedirects times), bodies are bounded
/// (maxBodyBytes, maxPlaylistBytes), playlists and headers are parsed as untrusted input, and
/// every failure but refused credentials (401/403) is retried. Track ids taken from playlist
/// URIs are made URL-safe (they name the channel's URLs and archive folders).
class PullClient {
public:
    /// Errors: InvalidArgument (not http(s), no `/<channel>/index.m3u8` path).
    static Result<std::unique_ptr<PullClient>> start(origin::ChannelStore& store,
                                                     const std::string& spec,
                                                     PullOptions options = {});
    ~PullClient();
    PullClient(const PullClient&) = delete;
    PullClient& operator=(const PullClient&) = delete;

    /// Stops the thread (an ongoing GET is aborted). The channel stays as it is. Idempotent.
    void stop();
    [[nodiscard]] PullStatus status() const;

    /// "<ch>" of ".../<ch>/index.m3u8". Errors: InvalidArgument.
    static Result<std::string> channelFromUrl(const std::string& url);

private:
    struct Track {
        std::string id;
        std::string playlistUrl;
        PlaylistVariant variant;
        MediaPlaylist playlist;
        TrackInfo info;
        int64_t lastSequence = INT64_MIN;  ///< last segment stored
    };

    PullClient(origin::ChannelStore& store, std::string channel, std::vector<std::string> urls,
               PullOptions options);
    void run();
    Result<void> connect(const std::string& url);
    Result<void> reload();
    Result<bool> ingest();  ///< true once every track ended and nothing is left
    Result<void> storeSegment(Track& track, int trackIndex, const PlaylistSegment& segment);
    Result<std::vector<uint8_t>> fetch(const std::string& url, uint64_t maxBytes);
    Result<bool> attempt(bool connected, const std::string& url);
    bool sleepFor(std::chrono::milliseconds delay);  ///< false when stopping
    template <typename F>
    void update(F&& f) {
        std::lock_guard lock(mutex_);
        f(status_);
    }

    origin::ChannelStore& store_;
    const std::string channelName_;
    const std::vector<std::string> urls_;
    const PullOptions options_;
    std::shared_ptr<origin::Channel> channel_;
    std::vector<Track> tracks_;  ///< worker-thread state
    bool seenBefore_ = false;    ///< a connection already fed the channel

    std::atomic<bool> stopping_{false};
    mutable std::mutex mutex_;  ///< guards status_ and the sleep
    std::condition_variable wake_;
    PullStatus status_;
    std::jthread thread_;
};

}  // namespace podium::publisher::relay

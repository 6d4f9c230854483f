#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <thread>
#include <vector>

#include "publisher/push/curl_handle.h"
#include "publisher/push/push_status.h"
#include "publisher/push/push_target.h"
#include "publisher/push/retry_policy.h"
#include "publisher/push/segment_spool.h"

namespace podium::publisher::push {

/// One track of a request push: its header, where the receiver stands, and its spool.
struct PushTrack {
    PushTrack(TrackInfo i, MediaTime spoolLimit, const std::filesystem::path& spoolDirectory)
        : info(std::move(i)), spool(spoolLimit, 0, spoolDirectory) {}
    TrackInfo info;
    InitSegmentPtr init;
    bool headerSent = false;
    bool headerJustSent = false;  ///< the last request of this track was its header
    /// The receiver answered 412 right after the header: it keeps no state between
    /// requests (our own origin's ingest), so every request carries the header first.
    bool headerInline = false;
    int forbidden = 0;
    std::optional<Status> error;  ///< the track stopped for good
    SegmentSpool spool;
};

/// Makes one HTTP request for a protocol, with its push's curl settings and counters.
class Requester {
public:
    virtual ~Requester() = default;
    /// One request; a non-2xx answer or a transport failure becomes the Status.
    virtual Result<HttpResponse> request(const std::string& method, const std::string& url,
                                         std::span<const uint8_t> body,
                                         const std::string& contentType) = 0;
};

/// What one interface sends (DASH-IF Interface-1 CMAF ingest, Interface-2 HLS/DASH PUT): the
/// requests for a header, a segment and the end of the stream. Owned by its RequestPush: open()
/// runs on the caller's thread before the worker starts, the send* calls on the worker, one at
/// a time and without the push's lock; it is destroyed after the worker has stopped. `baseUrl`
/// is the URL in use (the primary or a backup).
class RequestProtocol {
public:
    virtual ~RequestProtocol() = default;
    [[nodiscard]] virtual std::string name() const = 0;
    virtual Result<void> open(const StreamDescription& stream) = 0;
    virtual Result<void> sendHeader(Requester& http, PushTrack& track,
                                    const std::string& baseUrl) = 0;
    virtual Result<void> sendSegment(Requester& http, PushTrack& track, const SegmentPtr& segment,
                                     const std::string& baseUrl) = 0;
    /// After the last segment of every track (the stream ended).
    virtual Result<void> sendEnd(Requester& http, const std::string& baseUrl) = 0;
};

/// The push sink of the protocols that send one object per request. deliver() only queues into
/// per-track SegmentSpools (the destination's one queue); the sink's own worker thread sends,
/// one request at a time, each track's header then its segments through its RequestProtocol,
/// and applies the reactions shared by both interfaces: 412 → header again, then the segment;
/// 401 → stop the track; 403 → `forbiddenRetries` backed-off retries, then stop; 404/415/
/// other 4xx → stop the track; 5xx, refused, timeouts → RetryPolicy (backoff, backup URLs)
/// and the spooled segments are re-sent. status()/stats(): any thread. Final: the worker calls
/// only the protocol it owns, never a subclass.
class RequestPush final : public PushSink, private Requester {
public:
    RequestPush(PushTarget target, PushOptions options, std::unique_ptr<RequestProtocol> protocol);
    ~RequestPush() override;

    [[nodiscard]] std::string name() const override { return protocol_->name(); }
    Result<void> open(const StreamDescription& stream) override;
    Result<void> deliver(const SinkItem& item) override;
    /// Waits (bounded) until every spooled segment and the end were sent.
    Result<void> close() override;
    [[nodiscard]] SinkStats stats() const override { return {items_.load(), bytes_.load()}; }
    [[nodiscard]] PushStatus status() const override { return board_.get(); }

private:
    enum class Work { None = 1, Header, Segment, End };

    Result<HttpResponse> request(const std::string& method, const std::string& url,
                                 std::span<const uint8_t> body,
                                 const std::string& contentType) override;
    void stopWorker();
    void run();
    Work pick(size_t& index, SegmentPtr& segment);  ///< with mutex_ held
    void onFailure(PushTrack* track, const Status& status);
    void refreshState();

    const PushTarget target_;
    const PushOptions options_;
    const RequestSettings settings_;
    const std::unique_ptr<RequestProtocol> protocol_;
    std::vector<std::unique_ptr<PushTrack>> tracks_;
    RetryPolicy policy_;
    std::chrono::steady_clock::time_point nextAttempt_{};
    mutable std::mutex mutex_;
    std::condition_variable cv_;
    bool ending_ = false;
    bool endSent_ = false;
    bool stop_ = false;
    bool retrying_ = false;
    bool live_ = false;
    std::optional<Status> endError_;
    StatusBoard board_;
    std::atomic<uint64_t> items_{0};
    std::atomic<uint64_t> bytes_{0};
    std::jthread worker_;
};

}  // namespace podium::publisher::push

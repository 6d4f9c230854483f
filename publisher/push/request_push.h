#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "publisher/push/curl_handle.h"
#include "publisher/push/push_status.h"
#include "publisher/push/push_target.h"
#include "publisher/push/retry_policy.h"
#include "publisher/push/segment_spool.h"

namespace podium::publisher::push {

/// Base of the push sinks that send one object per request (DASH-IF Interface-1 CMAF ingest,
/// Interface-2 HLS/DASH PUT). deliver() only queues into per-track SegmentSpools; the sink's
/// own worker thread sends, one request at a time, each track's header then its segments, and
/// applies the reactions shared by both interfaces: 412 → header again, then the segment;
/// 401 → stop the track; 403 → `forbiddenRetries` backed-off retries, then stop; 404/415/
/// other 4xx → stop the track; 5xx, refused, timeouts → RetryPolicy (backoff, backup URLs)
/// and the spooled segments are re-sent. status()/stats(): any thread.
class RequestPush : public PushSink {
public:
    ~RequestPush() override;

    Result<void> open(const StreamDescription& stream) override;
    Result<void> deliver(const SinkItem& item) override;
    /// Waits (bounded) until every spooled segment and the end were sent.
    Result<void> close() override;
    [[nodiscard]] SinkStats stats() const override { return {items_.load(), bytes_.load()}; }
    [[nodiscard]] PushStatus status() const override { return board_.get(); }

protected:
    struct TrackState {
        TrackState(TrackInfo i, MediaTime spoolLimit, const std::filesystem::path& spoolDirectory)
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

    RequestPush(PushTarget target, PushOptions options);

    /// Called on the worker thread, without the lock. `baseUrl` = the URL currently in use.
    virtual Result<void> sendHeader(TrackState& track, const std::string& baseUrl) = 0;
    virtual Result<void> sendSegment(TrackState& track, const SegmentPtr& segment,
                                     const std::string& baseUrl) = 0;
    /// After the last segment of every track (the stream ended).
    virtual Result<void> sendEnd(const std::string& baseUrl) = 0;

    /// Stops and joins the worker: every derived destructor calls it first (the worker calls
    /// the derived class's virtuals).
    void stopWorker();

    /// One request; a non-2xx answer or a transport failure becomes the Status.
    Result<HttpResponse> request(const std::string& method, const std::string& url,
                                 std::span<const uint8_t> body, const std::string& contentType);

    const PushTarget target_;
    const PushOptions options_;
    const RequestSettings settings_;
    int64_t epochMs_ = 0;  ///< the stream's epoch from open() (0 = not known)

private:
    enum class Work { None = 1, Header, Segment, End };

    void run();
    Work pick(size_t& index, SegmentPtr& segment);  ///< with mutex_ held
    void onFailure(TrackState* track, const Status& status);
    void refreshState();

    std::vector<std::unique_ptr<TrackState>> tracks_;
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

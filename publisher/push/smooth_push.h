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

/// Live Smooth Streaming ingest (MS-SSTR / Azure fMP4 live ingest): per track one long-running
/// HTTP/1.1 chunked POST to `<url>[/Events(<id>)]/Streams(<track id>)` whose body is the
/// Smooth header (ftyp isml, Live Server Manifest, moov — buildSmoothHeader) then one
/// moof+mdat with tfxd per segment (buildSmoothFragment), and on a graceful stop an empty mfra
/// and the zero-length chunk. Optional empty probe POST before each stream (in the multi handle
/// like the streams: a slow probe answer holds up no other track).
///
/// Threads: deliver() only queues into a per-track SegmentSpool and returns (never blocks on
/// the network); one worker thread owned by the sink drives every track's transfer through a
/// libcurl multi handle. On a transport failure or a 5xx the track reconnects under the
/// RetryPolicy (same URL or the next backup, byte-identical header, the last sent fragments
/// re-sent, then the spooled ones: the timeline continues). Permanent errors (401/403/404/415)
/// stop the track and the sink reports Failed with the reason. stats()/status(): any thread.
class SmoothPush final : public PushSink {
public:
    SmoothPush(PushTarget target, PushOptions options);
    ~SmoothPush() override;

    SmoothPush(const SmoothPush&) = delete;
    SmoothPush& operator=(const SmoothPush&) = delete;

    [[nodiscard]] std::string name() const override;
    Result<void> open(const StreamDescription& stream) override;
    Result<void> deliver(const SinkItem& item) override;
    /// Waits (bounded: connect + stall timeouts) for every track to send its end and read the
    /// final answer.
    Result<void> close() override;
    [[nodiscard]] SinkStats stats() const override;
    [[nodiscard]] PushStatus status() const override;

    /// The URL a track's stream is POSTed to.
    [[nodiscard]] std::string streamUrl(const std::string& baseUrl,
                                        const std::string& trackId) const;

private:
    struct Track;

    void run();
    void startDue(std::chrono::steady_clock::time_point now);
    /// A fresh easy handle for the track (URL, auth, TLS, timeouts applied), owned by it.
    Result<CURL*> newTransfer(Track& track);
    /// The empty probe POST, in the multi handle (when PushOptions::smoothProbe).
    Result<void> startProbe(Track& track);
    void onProbeDone(Track& track, CURLcode code, long httpStatus);
    /// The long-running chunked POST: header, resent and spooled fragments, then live.
    Result<void> startStream(Track& track);
    /// Backs off and reconnects under the track's RetryPolicy, or stops the track for good.
    void retryOrFail(Track& track, const Status& failure);
    void feed(Track& track);
    void onDone(Track& track, CURLcode code);
    void fail(Track& track, const Status& status);
    void refreshState();
    static size_t onRead(char* out, size_t size, size_t count, void* user);

    const PushTarget target_;
    const PushOptions options_;
    const RequestSettings settings_;
    std::optional<CurlMulti> multi_;
    std::vector<std::unique_ptr<Track>> tracks_;

    mutable std::mutex mutex_;  ///< guards every Track's spool/header/ending, ending_, stop_
    std::condition_variable doneCv_;
    bool ending_ = false;
    bool stop_ = false;
    StatusBoard board_;
    std::atomic<uint64_t> items_{0};
    std::atomic<uint64_t> bytes_{0};
    std::jthread worker_;
};

}  // namespace podium::publisher::push

#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "core/status.h"
#include "publisher/packager_listener.h"
#include "publisher/sinks/segment_sink.h"

namespace podium::publisher {

class SinkWorker;

enum class SinkOverflow {
    Lossless = 1,       ///< the packager waits for the sink: only for sinks that cannot be slow
    DropOldestSegment,  ///< the oldest queued segment goes, as a whole; inits never (network
                        ///< destinations, the archive: a gap rather than a stalled stream)
    /// No queue and no thread of the fan-out: deliver() is called on the producer's thread and
    /// must only hand the item to the sink's own bounded queue (a push's SegmentSpool, which
    /// drops by its own rule) without blocking, so the destination has one queue and one
    /// thread. close() runs on a thread of its own at finish().
    SinkQueues,
};

/// How one sink's queue behaves. Capacity in queue items (inits, chunks, segments).
struct SinkQueuePolicy {
    SinkOverflow overflow = SinkOverflow::Lossless;
    size_t capacityItems = 64;

    static SinkQueuePolicy lossless(size_t capacityItems = 64) {
        return {SinkOverflow::Lossless, capacityItems};
    }
    static SinkQueuePolicy dropOldestSegment(size_t capacityItems = 16) {
        return {SinkOverflow::DropOldestSegment, capacityItems};
    }
    static SinkQueuePolicy sinkQueues() { return {SinkOverflow::SinkQueues, 0}; }
};

enum class SinkState {
    Live = 1,  ///< receiving
    Failed,    ///< deliver()/close() failed or the sink missed the finish deadline; see error
    Finished,  ///< close() succeeded after the end of the stream
};

/// A snapshot of one sink, for the UI and logs. Sizes in bytes.
struct SinkStatus {
    std::string name;
    SinkState state = SinkState::Live;
    uint64_t itemsQueued = 0;  ///< waiting in the sink's queue now
    uint64_t bytesQueued = 0;
    uint64_t itemsDelivered = 0;  ///< accepted by deliver()
    uint64_t bytesDelivered = 0;
    /// Items the queue dropped (counted at once, even while the sink is stuck).
    uint64_t itemsDropped = 0;
    /// Whole segments lost on this sink's queue (chunks of a segment are lost together with
    /// it); counted when the sink's thread reaches the gap, so it may lag itemsDropped.
    uint64_t segmentsDropped = 0;
    std::optional<Status> lastError;
    SinkStats sink;  ///< the sink's own counters
};

/// Hands the packager's output to every sink (SinkFanout = "tee" with one queue + one
/// std::jthread per sink, or none for a sink that queues itself: SinkOverflow::SinkQueues),
/// so a slow or dead sink never stalls the others. The
/// PackagerListener calls come from the packager thread; addSink(), stats() and finish()
/// may be called from any thread. A failed sink is stopped and its queue closed; the others
/// go on. Nothing thrown by a sink escapes its thread (it becomes the sink's Status).
class SinkFanout final : public PackagerListener {
public:
    /// `stream` is what every sink's open() receives.
    explicit SinkFanout(StreamDescription stream);
    /// Finishes with a 30 s deadline if finish() was not called.
    ~SinkFanout() override;

    SinkFanout(const SinkFanout&) = delete;
    SinkFanout& operator=(const SinkFanout&) = delete;

    /// Opens the sink here, on the caller's thread (fail fast: its Status is returned and
    /// the sink is dropped), then starts its worker. A sink added while streaming first
    /// receives the latest init of every track (possibly twice if an init is being
    /// broadcast at that moment; sinks ignore an identical init).
    Result<void> addSink(std::unique_ptr<SegmentSink> sink, SinkQueuePolicy policy);

    void onInitSegment(const InitSegmentPtr& init) override;
    void onChunk(const ChunkPtr& chunk) override;
    void onSegment(const SegmentPtr& segment) override;
    void onEndOfStream() override;

    /// Closes every queue (queued items still drain), waits for each worker until `deadline`
    /// from now, and returns each sink's final state. A sink still busy at the deadline is
    /// marked Failed (Cancelled) and abandoned. Idempotent.
    std::vector<SinkStatus> finish(std::chrono::milliseconds deadline);

    [[nodiscard]] std::vector<SinkStatus> stats() const;

private:
    void broadcast(const SinkItem& item, bool isChunk);

    const StreamDescription stream_;
    mutable std::mutex mutex_;  ///< guards workers_, inits_, finished_
    std::vector<std::shared_ptr<SinkWorker>> workers_;
    std::map<int, InitSegmentPtr> inits_;  ///< latest init per track index (for late sinks)
    bool finished_ = false;
};

}  // namespace podium::publisher

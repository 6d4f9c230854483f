#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <thread>
#include <utility>

#include "core/bounded_queue.h"
#include "core/log.h"
#include "publisher/sinks/segment_sink.h"
#include "publisher/sinks/sink_fanout.h"

namespace podium::publisher {

/// One sink's queue and thread inside SinkFanout (not used elsewhere). push() is called by
/// the fan-out (packager thread); the worker thread pops, filters dropped segments and calls
/// the sink; status() from any thread. For SinkOverflow::SinkQueues there is neither: push()
/// calls deliver() itself (one call at a time) and closeQueue() starts a thread for close(). Keeps
/// itself alive (shared_ptr) while its thread runs, so an abandoned worker can finish on its own
/// after the fan-out is gone.
class SinkWorker : public std::enable_shared_from_this<SinkWorker> {
public:
    SinkWorker(std::unique_ptr<SegmentSink> sink, SinkQueuePolicy policy);

    /// Starts the thread. Call once, after the sink was opened.
    void start();
    /// Queues an item (blocks for Lossless when full; drops the oldest segment otherwise).
    void push(SinkItem item);
    /// No more items: the worker drains its queue, closes the sink and stops.
    void closeQueue();
    /// Waits until the thread ended or `until`; true if it ended. On false the worker is
    /// marked Failed (Cancelled), told to stop, and detached.
    bool waitUntil(std::chrono::steady_clock::time_point until);

    [[nodiscard]] bool wantsChunks() const { return wantsChunks_; }
    [[nodiscard]] SinkStatus status() const;

private:
    /// (track index, segment number): the unit that is dropped as a whole.
    using SegmentKey = std::pair<int, int64_t>;
    struct Envelope {
        uint64_t sequence = 0;
        SinkItem item;
    };
    struct Pending {
        uint64_t bytes = 0;
        std::optional<SegmentKey> key;
    };

    void run(const std::stop_token& stop);
    void deliverHere(const SinkItem& item);  ///< SinkQueues: on the caller's thread
    bool deliverOne(const SinkItem& item);   ///< deliver() + counters; false: the sink failed
    void closeSink();                        ///< close() unless failed, then done
    bool admit(const Envelope& envelope);    ///< accounting + whole-segment filter
    void poison(const SegmentKey& key);      ///< under mutex_
    Result<void> call(const char* what, const std::function<Result<void>()>& fn);
    void markFailed(Status status);
    void markDone();
    static std::optional<SegmentKey> keyOf(const SinkItem& item);

    std::unique_ptr<SegmentSink> sink_;
    const std::string name_;
    const bool wantsChunks_;
    const bool direct_;  ///< SinkQueues: no queue or worker here
    BoundedQueue<Envelope> queue_;
    RateLimitedLog dropLog_;
    std::jthread thread_;

    std::mutex deliverMutex_;   ///< SinkQueues: one deliver() at a time (replay vs broadcast)
    bool closing_ = false;      ///< SinkQueues: closeQueue() was called (under deliverMutex_)
    mutable std::mutex mutex_;  ///< guards everything below
    std::condition_variable doneChanged_;
    uint64_t nextSequence_ = 0;
    std::map<uint64_t, Pending> pending_;  ///< queued (or dropped, not yet noticed) items
    std::set<SegmentKey> poisoned_;        ///< segments partly dropped: skip the rest
    SinkStatus status_;
    bool done_ = false;
};

}  // namespace podium::publisher

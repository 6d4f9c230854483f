#include "publisher/sinks/sink_worker.h"
#include "core/thread.h"

#include <exception>
#include <type_traits>

namespace podium::publisher {
namespace {

bool isProtectedItem(const SinkItem& item) {
    return std::holds_alternative<InitSegmentPtr>(item) ||
           std::holds_alternative<EndOfStream>(item);
}

OverflowPolicy queuePolicy(SinkOverflow overflow) {
    return overflow == SinkOverflow::Lossless ? OverflowPolicy::Block : OverflowPolicy::DropOldest;
}

}  // namespace

uint64_t sinkItemBytes(const SinkItem& item) {
    return std::visit(
        [](const auto& value) -> uint64_t {
            if constexpr (std::is_same_v<std::decay_t<decltype(value)>, EndOfStream>) {
                return 0;
            } else {
                return value ? value->bytes.size() : 0;
            }
        },
        item);
}

SinkWorker::SinkWorker(std::unique_ptr<SegmentSink> sink, SinkQueuePolicy policy)
    : sink_(std::move(sink)),
      name_(sink_->name()),
      wantsChunks_(sink_->wantsChunks()),
      direct_(policy.overflow == SinkOverflow::SinkQueues),
      queue_(policy.capacityItems, queuePolicy(policy.overflow), "sink " + name_,
             [](const Envelope& e) { return isProtectedItem(e.item); }),
      dropLog_("sink " + name_) {
    status_.name = name_;
}

void SinkWorker::start() {
    if (direct_) {
        return;  // the sink queues itself; a thread only for close()
    }
    auto thread = startThread(
        "sink " + name_, [self = shared_from_this()](std::stop_token stop) { self->run(stop); },
        [this](const Status& s) { markFailed(s); });
    if (!thread) {
        markFailed(thread.error());
        return;
    }
    thread_ = std::move(*thread);
}

std::optional<SinkWorker::SegmentKey> SinkWorker::keyOf(const SinkItem& item) {
    if (const auto* chunk = std::get_if<ChunkPtr>(&item); chunk && *chunk) {
        return SegmentKey{(*chunk)->trackIndex, (*chunk)->segmentNumber};
    }
    if (const auto* segment = std::get_if<SegmentPtr>(&item); segment && *segment) {
        return SegmentKey{(*segment)->trackIndex, (*segment)->number};
    }
    return std::nullopt;
}

void SinkWorker::deliverHere(const SinkItem& item) {
    std::lock_guard serial(deliverMutex_);
    {
        std::lock_guard lock(mutex_);
        if (closing_ || status_.state != SinkState::Live) {
            return;
        }
    }
    (void)deliverOne(item);
}

bool SinkWorker::deliverOne(const SinkItem& item) {
    auto delivered = call("deliver()", [&] { return sink_->deliver(item); });
    if (!delivered) {
        markFailed(delivered.error());
        return false;
    }
    std::lock_guard lock(mutex_);
    status_.itemsDelivered += 1;
    status_.bytesDelivered += sinkItemBytes(item);
    return true;
}

void SinkWorker::closeQueue() {
    if (!direct_) {
        queue_.close();
        return;
    }
    {
        std::lock_guard serial(deliverMutex_);
        if (closing_) {
            return;
        }
        closing_ = true;
    }
    // close() waits (bounded) for the sink to drain: on a thread of its own, so that finish()
    // closes every sink at once and keeps its deadline.
    auto thread = startThread(
        "sink " + name_ + " close",
        [self = shared_from_this()](std::stop_token) { self->closeSink(); },
        [this](const Status& s) {
            markFailed(s);
            markDone();
        });
    if (!thread) {
        markFailed(thread.error());
        markDone();
        return;
    }
    thread_ = std::move(*thread);
}

void SinkWorker::closeSink() {
    if (status().state == SinkState::Live) {
        auto result = call("close()", [&] { return sink_->close(); });
        if (!result) {
            markFailed(result.error());
        } else {
            std::lock_guard lock(mutex_);
            if (status_.state == SinkState::Live) {  // not abandoned at the deadline meanwhile
                status_.state = SinkState::Finished;
            }
        }
    }
    markDone();
}

void SinkWorker::push(SinkItem item) {
    if (direct_) {
        deliverHere(item);
        return;
    }
    Envelope envelope;
    envelope.item = std::move(item);
    const Pending pending{sinkItemBytes(envelope.item), keyOf(envelope.item)};
    {
        std::lock_guard lock(mutex_);
        if (status_.state != SinkState::Live) {
            return;
        }
        envelope.sequence = nextSequence_++;
        pending_[envelope.sequence] = pending;
        status_.itemsQueued += 1;
        status_.bytesQueued += pending.bytes;
    }
    const uint64_t sequence = envelope.sequence;
    const PushOutcome outcome = queue_.push(std::move(envelope));
    if (outcome == PushOutcome::Accepted || outcome == PushOutcome::AcceptedDroppedOldest) {
        if (outcome == PushOutcome::AcceptedDroppedOldest) {
            dropLog_.hit(LogLevel::Warning, "sink too slow, dropping its oldest segments");
        }
        return;
    }
    // Rejected (everything queued is protected) or Closed (failed / finishing).
    std::lock_guard lock(mutex_);
    if (pending_.erase(sequence) > 0) {
        status_.itemsQueued -= 1;
        status_.bytesQueued -= pending.bytes;
    }
    if (outcome == PushOutcome::Rejected && pending.key) {
        poison(*pending.key);
    }
}

void SinkWorker::poison(const SegmentKey& key) {
    if (poisoned_.insert(key).second) {
        status_.segmentsDropped += 1;
    }
    while (poisoned_.size() > 64) {  // keys of segments whose last item was dropped too
        poisoned_.erase(poisoned_.begin());
    }
}

bool SinkWorker::admit(const Envelope& envelope) {
    std::lock_guard lock(mutex_);
    // FIFO: anything queued before this item and not popped was dropped by the queue.
    for (auto it = pending_.begin(); it != pending_.end() && it->first <= envelope.sequence;) {
        status_.itemsQueued -= 1;
        status_.bytesQueued -= it->second.bytes;
        if (it->first != envelope.sequence && it->second.key) {
            poison(*it->second.key);
        }
        it = pending_.erase(it);
    }
    const auto key = keyOf(envelope.item);
    if (!key || !poisoned_.count(*key)) {
        return true;
    }
    if (std::holds_alternative<SegmentPtr>(envelope.item)) {
        poisoned_.erase(*key);  // the segment's last item: nothing more to skip
    }
    return false;
}

Result<void> SinkWorker::call(const char* what, const std::function<Result<void>()>& fn) {
    try {
        return fn();
    } catch (const std::exception& e) {
        return makeError(ErrorCode::Internal, std::string(what) + " threw: " + e.what());
    } catch (...) {
        return makeError(ErrorCode::Internal, std::string(what) + " threw an unknown exception");
    }
}

void SinkWorker::markFailed(Status status) {
    logError("sink " + name_, status.toString());
    {
        std::lock_guard lock(mutex_);
        if (status_.state == SinkState::Live) {
            status_.state = SinkState::Failed;
            status_.lastError = std::move(status);
        }
    }
    queue_.close();  // the producer never blocks on a dead sink
}

void SinkWorker::markDone() {
    {
        std::lock_guard lock(mutex_);
        done_ = true;
    }
    doneChanged_.notify_all();
}

void SinkWorker::run(const std::stop_token& stop) {
    while (auto envelope = queue_.pop()) {
        if (stop.stop_requested()) {
            break;
        }
        if (!admit(*envelope)) {
            continue;
        }
        const SinkItem& item = envelope->item;
        if (!deliverOne(item)) {
            break;
        }
        if (std::holds_alternative<EndOfStream>(item)) {
            break;
        }
    }
    if (stop.stop_requested()) {
        markDone();
        return;
    }
    // End of stream, or the queue was closed without one (finish() before EOS).
    closeSink();
}

bool SinkWorker::waitUntil(std::chrono::steady_clock::time_point until) {
    if (!thread_.joinable()) {
        std::lock_guard lock(mutex_);
        return done_;  // joined before, or abandoned at an earlier deadline
    }
    std::unique_lock lock(mutex_);
    const bool ended = doneChanged_.wait_until(lock, until, [&] { return done_; });
    lock.unlock();
    if (ended) {
        thread_.join();
        return true;
    }
    markFailed(Status(ErrorCode::Cancelled, "did not finish before the shutdown deadline"));
    thread_.request_stop();
    thread_.detach();
    return false;
}

SinkStatus SinkWorker::status() const {
    SinkStatus copy;
    {
        std::lock_guard lock(mutex_);
        copy = status_;
    }
    copy.itemsDropped = queue_.droppedCount();
    copy.sink = sink_->stats();
    return copy;
}

}  // namespace podium::publisher

#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <utility>

namespace podium {

/// What a full queue does with one more item. Zero is not a policy.
enum class OverflowPolicy {
    Block = 1,     ///< the producer waits (never loses data; use where loss is worse than delay)
    DropOldest,    ///< the oldest droppable item goes (viewers prefer fresh media to late media)
    RejectNewest,  ///< the new item is refused
};

enum class PushOutcome { Accepted = 1, AcceptedDroppedOldest, Rejected, Closed };

/// The one kind of hand-over between pipeline threads: a named, bounded FIFO with its
/// overflow policy stated where it is made, e.g.
///   BoundedQueue<SegmentPtr> q{8, OverflowPolicy::DropOldest, "sink archive"};
/// It counts what it drops. close() wakes every waiter: push returns Closed, pop drains what
/// is left and then returns nullopt. Thread-safe; any number of producers and consumers.
template <typename T>
class BoundedQueue {
public:
    /// `isProtected` marks items DropOldest must never drop (e.g. a segment's first frame).
    BoundedQueue(size_t capacity, OverflowPolicy policy, std::string name,
                 std::function<bool(const T&)> isProtected = {})
        : capacity_(capacity ? capacity : 1),
          policy_(policy),
          name_(std::move(name)),
          isProtected_(std::move(isProtected)) {}

    BoundedQueue(const BoundedQueue&) = delete;
    BoundedQueue& operator=(const BoundedQueue&) = delete;

    PushOutcome push(T item) {
        std::unique_lock lock(mutex_);
        if (closed_) {
            return PushOutcome::Closed;
        }
        PushOutcome outcome = PushOutcome::Accepted;
        if (items_.size() >= capacity_) {
            switch (policy_) {
                case OverflowPolicy::Block:
                    notFull_.wait(lock, [&] { return closed_ || items_.size() < capacity_; });
                    if (closed_) {
                        return PushOutcome::Closed;
                    }
                    break;
                case OverflowPolicy::RejectNewest:
                    ++dropped_;
                    return PushOutcome::Rejected;
                case OverflowPolicy::DropOldest:
                    if (!dropOldestDroppable()) {
                        // Everything queued is protected: refuse the newcomer unless it is
                        // protected too, in which case the queue stretches by one.
                        if (!isProtected_ || !isProtected_(item)) {
                            ++dropped_;
                            return PushOutcome::Rejected;
                        }
                    } else {
                        outcome = PushOutcome::AcceptedDroppedOldest;
                    }
                    break;
            }
        }
        items_.push_back(std::move(item));
        notEmpty_.notify_one();
        return outcome;
    }

    /// Waits for an item; nullopt once the queue is closed and empty.
    std::optional<T> pop() {
        std::unique_lock lock(mutex_);
        notEmpty_.wait(lock, [&] { return closed_ || !items_.empty(); });
        return takeFront();
    }

    /// Waits at most `timeout` for an item; nullopt on timeout or when closed and empty.
    template <typename Rep, typename Period>
    std::optional<T> popFor(std::chrono::duration<Rep, Period> timeout) {
        std::unique_lock lock(mutex_);
        notEmpty_.wait_for(lock, timeout, [&] { return closed_ || !items_.empty(); });
        return takeFront();
    }

    std::optional<T> tryPop() {
        std::lock_guard lock(mutex_);
        return takeFront();
    }

    void close() {
        {
            std::lock_guard lock(mutex_);
            closed_ = true;
        }
        notEmpty_.notify_all();
        notFull_.notify_all();
    }

    [[nodiscard]] bool isClosed() const {
        std::lock_guard lock(mutex_);
        return closed_;
    }
    [[nodiscard]] size_t size() const {
        std::lock_guard lock(mutex_);
        return items_.size();
    }
    [[nodiscard]] uint64_t droppedCount() const {
        std::lock_guard lock(mutex_);
        return dropped_;
    }
    [[nodiscard]] size_t capacity() const { return capacity_; }
    [[nodiscard]] OverflowPolicy policy() const { return policy_; }
    [[nodiscard]] const std::string& name() const { return name_; }

    /// Visits the queued items, oldest first, under the lock (for byte accounting).
    void forEach(const std::function<void(const T&)>& visit) const {
        std::lock_guard lock(mutex_);
        for (const auto& item : items_) {
            visit(item);
        }
    }

private:
    bool dropOldestDroppable() {
        for (auto it = items_.begin(); it != items_.end(); ++it) {
            if (!isProtected_ || !isProtected_(*it)) {
                items_.erase(it);
                ++dropped_;
                return true;
            }
        }
        return false;
    }

    std::optional<T> takeFront() {
        if (items_.empty()) {
            return std::nullopt;
        }
        T item = std::move(items_.front());
        items_.pop_front();
        notFull_.notify_one();
        return item;
    }

    const size_t capacity_;
    const OverflowPolicy policy_;
    const std::string name_;
    const std::function<bool(const T&)> isProtected_;
    mutable std::mutex mutex_;
    std::condition_variable notEmpty_;
    std::condition_variable notFull_;
    std::deque<T> items_;
    bool closed_ = false;
    uint64_t dropped_ = 0;
};

}  // namespace podium

#include "encoder/frame_fanout.h"

#include <algorithm>

namespace podium::encoder {

FrameFanout::FrameFanout(int renditionCount, size_t capacity, FanoutPolicy policy, std::string name)
    : capacity_(capacity ? capacity : 1),
      policy_(policy),
      name_(std::move(name)),
      queues_(static_cast<size_t>(renditionCount)) {}

bool FrameFanout::anyFull() const {
    return std::any_of(queues_.begin(), queues_.end(),
                       [&](const auto& q) { return q.size() >= capacity_; });
}

// The frames every rendition still holds are exactly those in the shortest queue (each worker
// consumes in order, so a longer queue holds those frames plus older ones). Drop the oldest of
// them that does not start a segment, from every queue.
bool FrameFanout::dropOldestCommon() {
    const auto shortest =
        std::min_element(queues_.begin(), queues_.end(),
                         [](const auto& a, const auto& b) { return a.size() < b.size(); });
    for (const auto& candidate : *shortest) {
        if (candidate.startsSegment) {
            continue;
        }
        const int64_t sequence = candidate.frame->sequence;
        for (auto& q : queues_) {
            std::erase_if(q,
                          [&](const ScheduledFrame& f) { return f.frame->sequence == sequence; });
        }
        ++dropped_;
        return true;
    }
    return false;
}

bool FrameFanout::push(ScheduledFrame frame) {
    std::unique_lock lock(mutex_);
    if (closed_) {
        return false;
    }
    if (anyFull()) {
        if (policy_ == FanoutPolicy::Block) {
            changed_.wait(lock, [&] { return closed_ || !anyFull(); });
            if (closed_) {
                return false;
            }
        } else if (!dropOldestCommon() && !frame.startsSegment) {
            ++dropped_;
            return false;
        }
    }
    for (auto& q : queues_) {
        q.push_back(frame);
    }
    lock.unlock();
    changed_.notify_all();
    return true;
}

std::optional<ScheduledFrame> FrameFanout::pop(int index) {
    std::unique_lock lock(mutex_);
    auto& q = queues_[static_cast<size_t>(index)];
    changed_.wait(lock, [&] { return closed_ || !q.empty(); });
    if (q.empty()) {
        return std::nullopt;
    }
    ScheduledFrame f = std::move(q.front());
    q.pop_front();
    lock.unlock();
    changed_.notify_all();
    return f;
}

void FrameFanout::close() {
    {
        std::lock_guard lock(mutex_);
        closed_ = true;
    }
    changed_.notify_all();
}

uint64_t FrameFanout::droppedFrames() const {
    std::lock_guard lock(mutex_);
    return dropped_;
}

size_t FrameFanout::queuedFrames(int index) const {
    std::lock_guard lock(mutex_);
    return queues_[static_cast<size_t>(index)].size();
}

}  // namespace podium::encoder

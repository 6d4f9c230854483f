#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "core/video_frame.h"

namespace podium::encoder {

/// A source frame on its way to every rendition, with the one alignment decision made once.
struct ScheduledFrame {
    VideoFramePtr frame;
    bool startsSegment = false;  ///< force an IDR here, in every rendition
};

enum class FanoutPolicy {
    Block = 1,         ///< the producer waits for the slowest rendition (files, benchmarks)
    DropOldestCommon,  ///< live: drop the oldest frame no rendition has started on
};

/// The thread boundary between capture and the rendition encoders ("ladder/frames"): one
/// bounded FIFO per rendition behind one lock, so that a drop removes the SAME frame from every
/// rendition (a rendition never gets a frame its siblings lost, which keeps GOPs, segment
/// boundaries and frame counts identical across the ladder). Frames that start a segment are
/// never dropped; when only those are queued, an ordinary newcomer is dropped instead.
/// Capacity is per rendition, in frames. push() from the capture thread; pop(i) from worker i.
class FrameFanout {
public:
    FrameFanout(int renditionCount, size_t capacity, FanoutPolicy policy, std::string name);

    /// Returns false when the frame was dropped (or the fan-out is closed).
    bool push(ScheduledFrame frame);
    /// Blocks until rendition `index` has a frame; nullopt once closed and drained.
    std::optional<ScheduledFrame> pop(int index);
    /// Wakes everyone; queued frames are still delivered, later pushes are refused.
    void close();

    [[nodiscard]] uint64_t droppedFrames() const;
    [[nodiscard]] size_t queuedFrames(int index) const;
    [[nodiscard]] const std::string& name() const { return name_; }

private:
    bool anyFull() const;
    bool dropOldestCommon();

    const size_t capacity_;
    const FanoutPolicy policy_;
    const std::string name_;
    mutable std::mutex mutex_;
    std::condition_variable changed_;
    std::vector<std::deque<ScheduledFrame>> queues_;
    bool closed_ = false;
    uint64_t dropped_ = 0;
};

}  // namespace podium::encoder

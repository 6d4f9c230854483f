#pragma once

#include <cstdint>
#include <deque>
#include <filesystem>

#include "core/media_time.h"
#include "publisher/segment.h"

namespace podium::publisher::push {

/// Per-track media waiting to be sent, plus the last few sent segments kept for resending after
/// a reconnect. Bounded by media duration: when the unsent part exceeds `limit`, the oldest
/// unsent segment is dropped whole (and counted). With a `directory`, segment bytes live in
/// files there (in a folder of this spool's own, removed with it) and only their metadata in
/// memory, so a long spool (minutes of a flaky uplink) costs disk, not RAM; a file that cannot
/// be written keeps that segment in memory instead (never lost). Not thread-safe (the sink
/// locks around it).
class SegmentSpool {
public:
    SegmentSpool(MediaTime limit, size_t keepSent, const std::filesystem::path& directory = {});
    ~SegmentSpool();
    SegmentSpool(const SegmentSpool&) = delete;
    SegmentSpool& operator=(const SegmentSpool&) = delete;

    /// Appends; returns how many segments were dropped to stay within the limit.
    uint64_t push(SegmentPtr segment);
    /// The oldest unsent segment (read back from disk when spooled there), or null.
    [[nodiscard]] SegmentPtr next() const;
    /// The oldest unsent segment's metadata (no disk read: bytes may be empty), or null.
    [[nodiscard]] SegmentPtr peek() const { return idle() ? nullptr : items_[cursor_].segment; }
    /// True when `segment` is still the oldest unsent one (it was not dropped meanwhile).
    [[nodiscard]] bool isNext(const Segment& segment) const;
    /// The oldest unsent segment was sent.
    void markSent();
    /// Makes the last `count` sent segments unsent again (resend after a reconnect).
    void rewind(size_t count);
    [[nodiscard]] bool idle() const { return cursor_ == items_.size(); }
    [[nodiscard]] uint64_t bytesUnsent() const;
    /// Bytes of spooled media held in memory (all of it without a directory).
    [[nodiscard]] uint64_t bytesInMemory() const;
    [[nodiscard]] bool isOnDisk() const { return !folder_.empty(); }

private:
    struct Item {
        SegmentPtr segment;          ///< the segment; on disk: its metadata with empty bytes
        std::filesystem::path file;  ///< empty: bytes are in `segment`
        uint64_t size = 0;
    };
    Item store(SegmentPtr segment);
    void erase(std::deque<Item>::iterator it);

    MediaTime limit_;
    size_t keepSent_;
    std::filesystem::path folder_;  ///< this spool's own folder; empty = in memory
    uint64_t nextFile_ = 0;
    std::deque<Item> items_;
    size_t cursor_ = 0;  ///< index of the first unsent item
};

}  // namespace podium::publisher::push

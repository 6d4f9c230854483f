#pragma once

#include <cstddef>
#include <cstdint>
#include <iterator>
#include <memory>
#include <vector>

#include "core/media_time.h"
#include "publisher/segment.h"

namespace podium::publisher::manifest {

using Bytes = std::shared_ptr<const std::vector<uint8_t>>;

/// One CMAF chunk of a stored segment (an LL-HLS part). Bytes are moof+mdat (the first part of
/// a segment also carries the segment's styp).
struct StoredPart {
    MediaTime duration;
    bool isIndependent = false;
    Bytes bytes;
};

/// A segment in a live window (what the playlists list and the origin serves): the window's
/// entry for one publisher::Segment, whose bytes it shares (never copies). `sequence` is the
/// HLS media sequence number (and the DASH $Number$): consecutive per track, identical across the
/// tracks of a channel for the same media time (it is the SegmentSchedule number for in-process
/// feeds); in a window numbered by its feed (a recording) it is the feed's number, and a jump is
/// a gap. While a segment is being built `bytes` is null and `parts` grows; once complete, `bytes`
/// holds the whole segment (the concatenation of its parts).
struct StoredSegment {
    int64_t sequence = 0;
    MediaTime start;     ///< tfdt of the first sample, track timescale
    MediaTime duration;  ///< sum of sample durations (for an in-progress segment: of its parts)
    int64_t programDateTimeMs = 0;  ///< wall clock (Unix ms) of `start`
    bool discontinuity = false;     ///< first segment after an encoder restart / new init
    std::vector<StoredPart> parts;
    Bytes bytes;
    uint64_t size = 0;  ///< bytes of the complete segment (also when the window let them go)
    /// The segment as it arrived whole (a feed without chunks, or the packager's finished
    /// segment): what a relay forwards as it is. Null while in progress or when cut short.
    std::shared_ptr<const Segment> source;

    [[nodiscard]] bool isComplete() const { return bytes != nullptr; }
    /// Bytes held for this segment: the whole segment plus parts that are separate buffers.
    [[nodiscard]] uint64_t footprintBytes() const;
};

inline uint64_t StoredSegment::footprintBytes() const {
    uint64_t total = bytes ? bytes->size() : 0;
    for (const StoredPart& p : parts) {
        if (p.bytes && p.bytes != bytes) {
            total += p.bytes->size();
        }
    }
    return total;
}

using StoredSegmentPtr = std::shared_ptr<const StoredSegment>;

/// The segments of a track in one snapshot, oldest first: reads like a
/// std::vector<StoredSegment> (range-for, size, [], front, back, rbegin), but copying it copies
/// one pointer. The list and its segments are immutable; a writer makes a new list that shares
/// the unchanged segments (copy-on-write of the pointers, never of the media bytes).
class SegmentList {
public:
    using Items = std::vector<StoredSegmentPtr>;

    class const_iterator {
    public:
        using iterator_category = std::random_access_iterator_tag;
        using value_type = StoredSegment;
        using difference_type = std::ptrdiff_t;
        using pointer = const StoredSegment*;
        using reference = const StoredSegment&;

        const_iterator() = default;
        explicit const_iterator(Items::const_iterator it) : it_(it) {}
        reference operator*() const { return **it_; }
        pointer operator->() const { return it_->get(); }
        reference operator[](difference_type n) const { return *it_[n]; }
        const_iterator& operator++() {
            ++it_;
            return *this;
        }
        const_iterator operator++(int) { return const_iterator(it_++); }
        const_iterator& operator--() {
            --it_;
            return *this;
        }
        const_iterator operator--(int) { return const_iterator(it_--); }
        const_iterator& operator+=(difference_type n) {
            it_ += n;
            return *this;
        }
        const_iterator& operator-=(difference_type n) {
            it_ -= n;
            return *this;
        }
        friend const_iterator operator+(const_iterator a, difference_type n) { return a += n; }
        friend const_iterator operator+(difference_type n, const_iterator a) { return a += n; }
        friend const_iterator operator-(const_iterator a, difference_type n) { return a -= n; }
        friend difference_type operator-(const const_iterator& a, const const_iterator& b) {
            return a.it_ - b.it_;
        }
        friend bool operator==(const const_iterator& a, const const_iterator& b) = default;
        friend auto operator<=>(const const_iterator& a, const const_iterator& b) = default;

    private:
        Items::const_iterator it_;
    };
    using iterator = const_iterator;
    using const_reverse_iterator = std::reverse_iterator<const_iterator>;

    SegmentList() = default;
    explicit SegmentList(std::shared_ptr<const Items> items) : items_(std::move(items)) {}
    /// A list holding copies of `segments` (tests and one-off views; writers share pointers).
    [[nodiscard]] static SegmentList of(std::vector<StoredSegment> segments) {
        auto items = std::make_shared<Items>();
        for (auto& s : segments) {
            items->push_back(std::make_shared<const StoredSegment>(std::move(s)));
        }
        return SegmentList(std::move(items));
    }

    [[nodiscard]] std::size_t size() const { return items_ ? items_->size() : 0; }
    [[nodiscard]] bool empty() const { return size() == 0; }
    const StoredSegment& operator[](std::size_t i) const { return *(*items_)[i]; }
    [[nodiscard]] const StoredSegment& front() const { return *items_->front(); }
    [[nodiscard]] const StoredSegment& back() const { return *items_->back(); }
    [[nodiscard]] const_iterator begin() const { return const_iterator(items().begin()); }
    [[nodiscard]] const_iterator end() const { return const_iterator(items().end()); }
    [[nodiscard]] const_reverse_iterator rbegin() const { return const_reverse_iterator(end()); }
    [[nodiscard]] const_reverse_iterator rend() const { return const_reverse_iterator(begin()); }

    /// The shared pointers themselves (a writer copies them to make the next list).
    [[nodiscard]] const Items& items() const {
        static const Items kEmpty;
        return items_ ? *items_ : kEmpty;
    }

private:
    std::shared_ptr<const Items> items_;
};

}  // namespace podium::publisher::manifest

#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "core/encoded_packet.h"
#include "core/media_time.h"
#include "publisher/segment.h"

namespace podium::publisher::origin {

using Bytes = std::shared_ptr<const std::vector<uint8_t>>;

/// One CMAF chunk of a stored segment (an LL-HLS part). Bytes are moof+mdat (the first part of
/// a segment also carries the segment's styp).
struct StoredPart {
    MediaTime duration;
    bool isIndependent = false;
    Bytes bytes;
};

/// A segment as the origin serves it. `sequence` is the HLS media sequence number (and the
/// DASH $Number$): consecutive per track, identical across the tracks of a channel for the
/// same media time (it is the SegmentSchedule number for in-process feeds). While a segment is
/// being built `bytes` is null and `parts` grows; once complete, `bytes` holds the whole segment
/// (the concatenation of its parts).
struct StoredSegment {
    int64_t sequence = 0;
    MediaTime start;     ///< tfdt of the first sample, track timescale
    MediaTime duration;  ///< sum of sample durations (for an in-progress segment: of its parts)
    int64_t programDateTimeMs = 0;  ///< wall clock (Unix ms) of `start`
    bool discontinuity = false;     ///< first segment after an encoder restart / new init
    std::vector<StoredPart> parts;
    Bytes bytes;

    [[nodiscard]] bool isComplete() const { return bytes != nullptr; }
};

/// An immutable snapshot of one track: what a manifest renderer or a GET handler needs.
struct TrackView {
    TrackInfo info;
    InitSegmentPtr init;                   ///< null until the track's header arrived
    std::vector<StoredSegment> segments;   ///< oldest first; the last may be in progress
    int64_t discontinuitySequence = 0;     ///< discontinuities already evicted from the window
    double peakBitrateBps = 0;             ///< max over complete segments (bytes*8/duration)
    double averageBitrateBps = 0;          ///< over the complete segments in the window
    uint64_t bytesIn = 0;                  ///< total bytes received for this track
};

/// An immutable snapshot of a channel, swapped atomically on every change: readers never lock
/// and never see a half-applied update.
struct ChannelView {
    std::string name;
    std::vector<TrackView> tracks;  ///< video renditions first (highest first), then audio
    MediaTime segmentTarget;        ///< nominal segment duration (preset / measured)
    MediaTime partTarget;           ///< nominal part duration; 0 = no parts (no LL-HLS)
    int64_t availabilityStartMs = 0;  ///< wall clock (Unix ms) of media time 0 (DASH AST)
    bool ended = false;               ///< the stream ended (HLS ENDLIST, DASH static)
    uint64_t version = 0;             ///< increments on every change

    [[nodiscard]] const TrackView* track(const std::string& id) const;
};

using ChannelViewPtr = std::shared_ptr<const ChannelView>;

struct ChannelConfig {
    std::string name;
    MediaTime segmentTarget{180000, 90000};
    MediaTime partTarget{45000, 90000};
    MediaTime dvrWindow{60 * 90000, 90000};  ///< complete segments older than this are evicted
    int64_t availabilityStartMs = 0;
};

/// One live channel in the origin: the tracks, their recent segments and parts (bounded by the
/// DVR window), and a way to wait for changes without blocking a thread (LL-HLS blocking
/// playlist reload). Writers: the in-process OriginSink (fan-out thread) or an ingest session
/// (server thread). Readers: any thread, through view(). Thread-safe.
class Channel {
public:
    explicit Channel(ChannelConfig config);

    [[nodiscard]] ChannelViewPtr view() const;
    [[nodiscard]] const std::string& name() const { return config_.name; }

    /// Declares (or re-declares) the channel's tracks, in order. Existing tracks with the same
    /// id keep their segments.
    void setTracks(const std::vector<TrackInfo>& tracks);
    /// A track's CMAF header. A header that differs from the current one starts a
    /// discontinuity on the track's next segment.
    void setInit(const InitSegmentPtr& init);
    /// A chunk of the in-progress segment `chunk.segmentNumber` (opens it on partIndex 0).
    void addChunk(const ChunkPtr& chunk);
    /// A finished segment: completes the in-progress one with the same number (or appends it
    /// whole, for feeds without chunks), then evicts what left the DVR window.
    void addSegment(const SegmentPtr& segment);
    /// Marks the next segment of every track as a discontinuity (encoder restart).
    void markDiscontinuity();
    /// The stream ended: no more segments; blocked readers are released.
    void end();

    /// Calls `onChange` once, on the writer's thread, at the next change (or at once if the
    /// channel already changed past `seenVersion`). The callback must only post work elsewhere.
    /// Returns an id for cancelWaiter (e.g. when the waiting request times out).
    uint64_t waitForChange(uint64_t seenVersion, std::function<void()> onChange);
    void cancelWaiter(uint64_t id);

private:
    struct Waiter {
        uint64_t id;
        std::function<void()> onChange;
    };
    struct TrackState;

    void publish();  ///< builds a new view from the state; call with mutex_ held
    TrackState* findTrack(int trackIndex);
    void evict(TrackState& track);

    const ChannelConfig config_;
    mutable std::mutex mutex_;
    std::vector<std::shared_ptr<TrackState>> tracks_;
    bool ended_ = false;
    uint64_t version_ = 0;
    std::shared_ptr<const ChannelView> view_;
    std::vector<Waiter> waiters_;
    uint64_t nextWaiterId_ = 1;
};

}  // namespace podium::publisher::origin

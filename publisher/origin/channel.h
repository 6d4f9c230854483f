#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/encoded_packet.h"
#include "core/log.h"
#include "core/media_time.h"
#include "publisher/origin/origin_limits.h"
#include "publisher/origin/segment_list.h"
#include "publisher/segment.h"

namespace podium::publisher::origin {

/// An immutable snapshot of one track: what a manifest renderer or a GET handler needs.
struct TrackView {
    TrackInfo info;
    InitSegmentPtr init;                ///< null until the track's header arrived
    SegmentList segments;               ///< oldest first; the last may be in progress
    int64_t discontinuitySequence = 0;  ///< discontinuities already evicted from the window
    double peakBitrateBps = 0;          ///< max over complete segments (bytes*8/duration)
    double averageBitrateBps = 0;       ///< over the complete segments in the window
    uint64_t bytesIn = 0;               ///< total bytes received for this track
    uint64_t windowBytes = 0;           ///< bytes held for the segments in the window
};

/// An immutable snapshot of a channel, swapped atomically on every change: readers never lock
/// and never see a half-applied update.
struct ChannelView {
    std::string name;
    std::vector<TrackView> tracks;    ///< video renditions first (highest first), then audio
    MediaTime segmentTarget;          ///< nominal segment duration (preset / measured)
    MediaTime partTarget;             ///< nominal part duration; 0 = no parts (no LL-HLS)
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
    /// Wall clock (Unix ms) of media time 0. 0 = anchored when the first media arrives (ingest,
    /// pull): its end is taken as "now", so PROGRAM-DATE-TIME, prft and the DASH AST say when
    /// the media reached this origin rather than 1970.
    int64_t availabilityStartMs = 0;
    /// Bytes held by the whole channel (all tracks); the oldest segments go beyond this.
    uint64_t maxBytes = OriginLimits{}.maxDvrBytesPerChannel;
    /// Segments kept per track; the oldest go beyond this (a flood of tiny fragments).
    int maxSegmentsPerTrack = OriginLimits{}.maxSegmentsPerTrack;
    /// Ended and removed by SegmentStore::expireIdle when no media came for a while (ingest).
    bool expiresWhenIdle = false;
};

/// One live channel in the origin: the tracks, their recent segments and parts, and a way to
/// wait for changes without blocking a thread (LL-HLS blocking playlist reload). The window is
/// bounded three ways: media time (dvrWindow; at least three complete segments stay), segments
/// per track and bytes per channel (the newest complete segment of a track always stays).
/// Writers: the in-process OriginSink (fan-out thread) or an ingest session (server thread).
/// Readers: any thread, through view(). Every change publishes a new view in time linear in
/// the number of tracks plus the changed track's segment count (pointers only: segments and
/// their bytes are shared between views, never copied). Thread-safe.
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
    /// Several tracks' headers at once: one new view, not one per track.
    void setInits(const std::vector<InitSegmentPtr>& inits);
    /// A chunk of the in-progress segment `chunk.segmentNumber` (opens it on partIndex 0).
    void addChunk(const ChunkPtr& chunk);
    /// A finished segment: completes the in-progress one with the same number (or appends it
    /// whole, for feeds without chunks), then evicts what left the DVR window.
    void addSegment(const SegmentPtr& segment);
    /// Wall clock (Unix ms) of the last chunk or segment taken (of the creation before any).
    [[nodiscard]] int64_t lastMediaMs() const { return lastMediaMs_.load(); }
    [[nodiscard]] const ChannelConfig& config() const { return config_; }
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
    void setInitLocked(const InitSegmentPtr& init);
    void evict(TrackState& track);
    /// Completes the open segment as it is when `number` (of the item arriving) is not its own.
    void closeCutShort(TrackState& track, SegmentList::Items& items, int64_t number);
    /// Sets anchorMs_ from the first media (ending at `end`) when the config gave none.
    void anchorAt(MediaTime end);
    void evictForBytes();
    uint64_t heldBytes() const;

    const ChannelConfig config_;
    mutable std::mutex mutex_;
    std::vector<std::shared_ptr<TrackState>> tracks_;
    std::unordered_map<int, TrackState*> byIndex_;  ///< trackIndex → tracks_ entry
    bool ended_ = false;
    uint64_t version_ = 0;
    std::shared_ptr<const ChannelView> view_;
    std::vector<Waiter> waiters_;
    uint64_t nextWaiterId_ = 1;
    RateLimitedLog windowCuts_;  ///< "window cut by a count or byte limit", per channel
    std::atomic<int64_t> lastMediaMs_{0};
    int64_t anchorMs_ = 0;     ///< the wall clock of media time 0 (config or first media)
    RateLimitedLog cutShort_;  ///< "a segment's end was lost on the way"
};

}  // namespace podium::publisher::origin

#pragma once

#include <cstdint>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/encoded_packet.h"
#include "core/log.h"
#include "core/media_time.h"
#include "publisher/manifest/segment_list.h"
#include "publisher/segment.h"

namespace podium::publisher::manifest {

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

/// An immutable snapshot of a live window (a channel's tracks): the one input of every
/// renderer (HLS, DASH, Smooth). Renderers are pure functions of it.
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

/// What bounds a window and how its times are told.
struct WindowConfig {
    std::string name;  ///< the channel's name (snapshots and log lines)
    MediaTime segmentTarget{180000, 90000};
    MediaTime partTarget{45000, 90000};
    /// Complete segments older than this are evicted; nullopt = none is (a recording).
    std::optional<MediaTime> dvrWindow = MediaTime{60 * 90000, 90000};
    /// Wall clock (Unix ms) of media time 0. 0 = anchored when the first media arrives (ingest,
    /// pull): its end is taken as "now", so PROGRAM-DATE-TIME, prft and the DASH AST say when
    /// the media reached us rather than 1970.
    int64_t availabilityStartMs = 0;
    /// Bytes held by the whole window (all tracks); the oldest segments go beyond this.
    uint64_t maxBytes = std::numeric_limits<uint64_t>::max();
    /// Segments kept per track; the oldest go beyond this (a flood of tiny fragments).
    int maxSegmentsPerTrack = std::numeric_limits<int>::max();
    /// Named in the log line when a count or byte limit cuts the window (e.g. the flag).
    std::string segmentLimitName = "the segment limit";
    std::string logComponent = "origin";  ///< the component of the window's log lines
    std::string byteLimitName = "the byte limit";
    /// false: a complete segment keeps only what a playlist of whole segments needs (its times
    /// and size); its bytes and parts are let go (a recording: they are on disk).
    bool keepMedia = true;
    /// true: a segment's sequence is its feed's number (Segment::number, the name of its file),
    /// and a jump in the numbers is a gap, marked as a discontinuity. false: consecutive.
    bool numberedByFeed = false;

    /// A window that keeps every segment and none of the bytes, numbered by the feed: the
    /// playlists of a recording (the archive), EVENT while it grows.
    [[nodiscard]] static WindowConfig recording(std::string name, MediaTime segmentTarget,
                                                int64_t availabilityStartMs);
};

/// The live window of one stream: its tracks, their recent segments and the parts of the
/// segment being built, discontinuities, the wall-clock anchor. Fed with the packager's chunks
/// and segments (or whole segments from ingest / a pull), it yields immutable snapshots that
/// share the segments and their bytes (never copied). Bounded three ways: media time
/// (dvrWindow; at least three complete segments stay), segments per track and bytes for the
/// window (the newest complete segment of a track always stays). Every change costs time
/// linear in the number of tracks plus the changed track's segment count (pointers only).
/// Single-threaded: the origin's Channel wraps it in a lock; HLS/DASH PUT owns one on its
/// worker thread, the archive one on its (WindowConfig::recording).
class SegmentWindow {
public:
    explicit SegmentWindow(WindowConfig config);

    [[nodiscard]] const WindowConfig& config() const { return config_; }
    /// Declares (or re-declares) the tracks, in order. Existing tracks with the same id keep
    /// their segments.
    void setTracks(const std::vector<TrackInfo>& tracks);
    /// A track's CMAF header. A header that differs from the current one starts a
    /// discontinuity on the track's next segment.
    void setInit(const InitSegmentPtr& init);
    /// A chunk of the in-progress segment `chunk.segmentNumber` (opens it on partIndex 0).
    /// False when nothing changed (unknown track, ended, joined mid-segment).
    bool addChunk(const ChunkPtr& chunk);
    /// A finished segment: completes the in-progress one with the same number (or appends it
    /// whole, for feeds without chunks), then evicts what left the window. False when nothing
    /// changed (unknown track, ended).
    bool addSegment(const SegmentPtr& segment);
    /// Marks the next segment of every track as a discontinuity (encoder restart).
    void markDiscontinuity();
    /// The stream ended: no more segments are taken.
    void end();
    [[nodiscard]] bool ended() const { return ended_; }

    /// A snapshot of the window as it is now, labelled `version`.
    [[nodiscard]] ChannelViewPtr snapshot(uint64_t version) const;

private:
    struct TrackState;

    TrackState* findTrack(int trackIndex);
    void evict(TrackState& track);
    /// Completes the open segment as it is when `number` (of the item arriving) is not its own.
    /// True when it did.
    bool closeCutShort(TrackState& track, SegmentList::Items& items, int64_t number);
    /// Starts a segment numbered `number` by its feed: its sequence and discontinuity.
    void startSegment(TrackState& track, StoredSegment& segment, int64_t number);
    /// What a complete segment keeps (keepMedia); adds it to the track's sums.
    void complete(TrackState& track, StoredSegment& segment);
    /// Sets anchorMs_ from the first media (ending at `end`) when the config gave none.
    void anchorAt(MediaTime end);
    void evictForBytes();
    [[nodiscard]] uint64_t heldBytes() const;

    const WindowConfig config_;
    std::vector<std::shared_ptr<TrackState>> tracks_;
    std::unordered_map<int, TrackState*> byIndex_;  ///< trackIndex → tracks_ entry
    bool ended_ = false;
    int64_t anchorMs_ = 0;       ///< the wall clock of media time 0 (config or first media)
    RateLimitedLog windowCuts_;  ///< "window cut by a count or byte limit"
    RateLimitedLog cutShort_;    ///< "a segment's end was lost on the way"
};

}  // namespace podium::publisher::manifest

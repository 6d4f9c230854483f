#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <utility>
#include <vector>

#include "core/encoded_packet.h"
#include "core/media_time.h"
#include "core/segment_schedule.h"

namespace podium::publisher {

/// CMAF header of one track: ftyp + moov. Immutable once published.
struct InitSegment {
    TrackInfo track;
    std::vector<uint8_t> bytes;
};

/// One CMAF chunk (an LL-HLS "part"): [styp] moof + mdat, a slice of a segment being built.
struct Chunk {
    int trackIndex = 0;
    int64_t segmentNumber = 0;  ///< the segment this chunk belongs to
    int partIndex = 0;          ///< 0-based position inside its segment
    MediaTime start;            ///< presentation start (track timescale)
    MediaTime duration;
    bool isIndependent = false;  ///< starts with a sync sample (IDR / any audio frame)
    std::vector<uint8_t> bytes;
};

/// Where a part sits inside its finished segment's bytes.
struct PartInfo {
    uint64_t offset = 0;
    uint64_t size = 0;
    MediaTime duration;
    bool isIndependent = false;
};

/// A finished CMAF segment: the concatenation of its chunks (the first carries styp).
/// `number` is the SegmentSchedule index (floor(start / segmentDuration)), identical across the
/// renditions for the same time.
struct Segment {
    int trackIndex = 0;
    int64_t number = 0;
    MediaTime start;     ///< presentation (= tfdt) start, track timescale
    MediaTime duration;  ///< sum of sample durations
    std::vector<uint8_t> bytes;
    std::vector<PartInfo> parts;
    bool isLast = false;  ///< the stream ended with this segment

    [[nodiscard]] double bitrateBps() const {
        const double s = duration.seconds();
        return s > 0 ? double(bytes.size()) * 8.0 / s : 0.0;
    }
};

using InitSegmentPtr = std::shared_ptr<const InitSegment>;
using ChunkPtr = std::shared_ptr<const Chunk>;
using SegmentPtr = std::shared_ptr<const Segment>;

/// What every sink is told when it opens: the tracks (codec details may still be missing: they
/// come with each InitSegment), the segment schedule when there is one (the session's preset;
/// none for a relayed stream), and the stream's epoch, the wall clock (Unix ms) of media time 0.
/// The epoch is the one anchor of PROGRAM-DATE-TIME, prft and availabilityStartTime; 0 = not
/// known (a sink that needs one takes it when the first media arrives).
struct StreamDescription {
    StreamDescription() = default;
    /// Tracks only, no schedule or epoch (a relay that has not seen media yet; tests).
    StreamDescription(std::vector<TrackInfo> t) : tracks(std::move(t)) {}  // NOLINT: implicit
    StreamDescription(std::vector<TrackInfo> t, std::optional<SegmentSchedule> s, int64_t epoch)
        : tracks(std::move(t)), schedule(std::move(s)), epochMs(epoch) {}

    std::vector<TrackInfo> tracks;
    std::optional<SegmentSchedule> schedule;
    int64_t epochMs = 0;
};

}  // namespace podium::publisher

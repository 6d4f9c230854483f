#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "core/encoded_packet.h"
#include "core/segment_schedule.h"
#include "core/status.h"
#include "publisher/segment.h"

namespace podium::publisher::mp4 {

/// What one Fragmenter call completed, in order: chunks before the segment they end.
struct FragmenterOutput {
    std::vector<Chunk> chunks;
    std::vector<Segment> segments;
};

/// Cuts ONE track's packets into CMAF chunks and segments where the SegmentSchedule says.
/// Not thread-safe: the packager thread owns it. Times are in the track timescale.
///
/// Timing: decode time = dts + D, D = the first packet's (pts - dts), so the first decode time
/// equals its pts and tfdt never goes negative with B-frames; composition offset = pts - decode
/// time (signed, trun v1); a sample's duration = next decode time - its decode time (one packet
/// is held back), the stream's last sample uses packet.duration.
/// Cuts: a segment starts before a packet whose pts lies in a later schedule segment than the
/// open one and (video) is a keyframe; a chunk (part) starts on a segment cut or before a packet
/// whose part index, counted from the open segment's schedule start, is above the open chunk's.
/// A chunk is returned as soon as the packet after it arrives. Segment/Chunk start = decode
/// time of their first sample (= the keyframe's pts with a constant reorder delay).
class Fragmenter {
public:
    Fragmenter(const TrackInfo& track, SegmentSchedule schedule);

    /// Packets in decode order. A non-increasing dts is an InvalidArgument error naming the
    /// track; video packets before the first keyframe are dropped (see droppedPackets()).
    Result<FragmenterOutput> addPacket(const EncodedPacket& packet);
    /// Flushes the held-back packet, the open chunk and the open segment (marked isLast).
    /// Afterwards addPacket() fails.
    Result<FragmenterOutput> finish();

    [[nodiscard]] int64_t droppedPackets() const { return droppedPackets_; }
    [[nodiscard]] const TrackInfo& track() const { return track_; }

private:
    struct PendingSample {
        int64_t pts = 0;
        int64_t decodeTime = 0;
        int64_t duration = 0;  ///< nominal until the next packet arrives
        bool isSync = false;
        std::vector<uint8_t> data;
    };

    Result<void> commit(PendingSample sample);
    [[nodiscard]] int64_t partIndexInOpenSegment(int64_t decodeTime) const;
    void openSegmentIfNeeded(const PendingSample& first);
    void closeChunk(FragmenterOutput& out);
    void closeSegment(FragmenterOutput& out, bool isLast);
    [[nodiscard]] Status error(ErrorCode code, const std::string& message) const;

    TrackInfo track_;
    SegmentSchedule schedule_;
    SegmentSchedule partSchedule_;  ///< parts of partDuration from a segment's start

    bool started_ = false;
    bool finished_ = false;
    int64_t decodeShift_ = 0;  ///< D
    int64_t lastDts_ = 0;
    int64_t droppedPackets_ = 0;
    std::optional<PendingSample> pending_;

    std::vector<PendingSample> chunkSamples_;  ///< committed samples of the open chunk
    int64_t openPartIndex_ = 0;                ///< schedule part index of the open chunk
    std::optional<Segment> segment_;           ///< the open segment (bytes of closed chunks)
    uint32_t nextSequence_ = 1;
};

}  // namespace podium::publisher::mp4

#pragma once

#include <cstdint>
#include <vector>

#include "core/encoded_packet.h"
#include "core/segment_schedule.h"
#include "core/status.h"
#include "publisher/mp4/fragmenter.h"
#include "publisher/packager_listener.h"

namespace podium::publisher {

/// Packages a session's tracks (the video ladder + audio) into CMAF: one mp4::Fragmenter per
/// track, all cutting on the same SegmentSchedule, so segment numbers and start times line up
/// across renditions. Reports everything to a PackagerListener as shared_ptr<const ...>.
/// Single-threaded: the caller's packager thread calls every method; the listener is called
/// synchronously on it and must outlive the Packager.
class Packager {
public:
    /// Packets are routed by TrackInfo::trackIndex (unique per track).
    Packager(std::vector<TrackInfo> tracks, SegmentSchedule schedule, PackagerListener& listener);

    /// Emits every track's init segment, in track order. Call once, before addPacket().
    void start();
    /// Routes to the packet's track; forwards completed chunks, then segments. Errors carry the
    /// track (unknown trackIndex, non-monotonic dts, ...); the packager stays usable.
    Result<void> addPacket(const EncodedPacket& packet);
    /// Flushes every track (its last Segment has isLast = true), then onEndOfStream() once.
    /// Idempotent. The first flush error is returned after every track has been flushed.
    Result<void> finish();

    [[nodiscard]] int64_t packetsIn() const { return packetsIn_; }
    [[nodiscard]] int64_t segmentsOut() const { return segmentsOut_; }
    [[nodiscard]] int64_t droppedPackets() const;  ///< before each video track's first keyframe

private:
    void forward(mp4::FragmenterOutput output);

    std::vector<TrackInfo> tracks_;
    std::vector<mp4::Fragmenter> fragmenters_;
    PackagerListener& listener_;
    bool finished_ = false;
    int64_t packetsIn_ = 0;
    int64_t segmentsOut_ = 0;
};

}  // namespace podium::publisher

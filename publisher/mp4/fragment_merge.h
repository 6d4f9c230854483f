#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "core/status.h"
#include "publisher/mp4/fragment_reader.h"
#include "publisher/mp4/piff.h"

namespace podium::publisher::mp4 {

/// What the merged fragment says besides the samples.
struct MergeOptions {
    uint32_t sequenceNumber = 1;  ///< mfhd sequence_number
    uint64_t decodeTime = 0;      ///< tfdt baseMediaDecodeTime, track ticks
    /// How samples are marked whose flags the segment leaves out (no trun sample flags, no
    /// first-sample flags, no tfhd default; Podium's own chunks always state them, a segment
    /// pulled from elsewhere may not): the segment's first sample is a sync sample (a CMAF
    /// segment starts with one), the later ones are sync samples for audio only.
    bool video = true;
    std::optional<FragmentTime> tfxd;  ///< Smooth: this fragment's time (tfxd v1)
    std::vector<FragmentTime> tfrf;    ///< Smooth: lookahead entries (tfrf v1, when non-empty)
    uint32_t maxSamples = 65536;       ///< most samples the merged fragment may hold
};

/// Merges the chunks of one single-track CMAF segment (styp? (moof mdat)+, as the packager
/// writes a low-latency segment, or as ingest stores one) into ONE fragment: moof(mfhd,
/// traf(tfhd default-base-is-moof, tfdt v1, trun v1 with every sample field, [tfxd], [tfrf])) +
/// mdat. For receivers that take one fragment per segment (Smooth ingest, Smooth GETs, DASH-IF
/// ingest). Samples are read with readFragment, so every offset and size is checked against
/// the bytes present; a tfhd base_data_offset counts from the first byte of `segment` (a
/// segment is its own stream: an offset into some larger file it was cut from is refused). Errors:
/// Parse (malformed boxes, a moof without its mdat, samples outside it, two tracks in one segment),
/// LimitExceeded (more than `maxSamples` samples). Pure: any thread.
Result<std::vector<uint8_t>> mergeFragments(std::span<const uint8_t> segment,
                                            const MergeOptions& options);

}  // namespace podium::publisher::mp4

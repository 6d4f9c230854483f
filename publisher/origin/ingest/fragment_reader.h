#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <vector>

#include "core/status.h"
#include "publisher/origin/ingest/box_stream_parser.h"
#include "publisher/origin/ingest/movie_header.h"

namespace podium::publisher::origin {

/// usertype of Smooth Streaming's TrackFragmentExtendedHeader box (tfxd, MS-SSTR 2.2.4.4).
inline constexpr std::array<uint8_t, 16> kTfxdUuid = {
    0x6D, 0x1D, 0x9B, 0x05, 0x42, 0xD5, 0x44, 0xE6, 0x80, 0xE2, 0x14, 0x1D, 0xAF, 0xF7, 0x57, 0xB2};

/// One sample of an ingested fragment; `data` points into the mdat it came from.
struct FragmentSample {
    uint32_t duration = 0;  ///< decode duration, track timescale ticks
    uint32_t flags = 0;     ///< trun sample_flags
    int32_t compositionOffset = 0;
    std::span<const uint8_t> data;

    [[nodiscard]] bool isSync() const { return (flags & 0x00010000u) == 0; }
};

/// One traf of a moof, resolved against its mdat.
struct TrackFragment {
    uint32_t trackId = 0;                ///< tfhd track_ID (the ingest stream's numbering)
    std::optional<uint64_t> decodeTime;  ///< tfdt baseMediaDecodeTime
    std::optional<int64_t> tfxdTime;     ///< Smooth tfxd absolute time, read as signed
    std::vector<FragmentSample> samples;
};

/// Resolves a moof + mdat pair (both whole top-level boxes, with their stream offsets) into
/// per-track sample lists: sample durations/sizes/flags from trun, else tfhd defaults, else the
/// trex defaults in `defaults` (by track_ID); data located by base-data-offset (a stream
/// offset), default-base-is-moof or the implicit moof base, plus trun data_offset; a trun
/// without data_offset starts right after the mdat header (first trun) or after the previous
/// trun's data. The returned spans point into `mdat.bytes`. Pure; callable from any thread.
///
/// Nothing read from the wire is trusted: offsets are resolved without wrapping (a negative
/// data_offset before the start of the stream or a base_data_offset anywhere outside the mdat
/// is refused), every sample must lie inside the mdat payload, and no two samples may share an
/// mdat byte (the runs of all trafs are disjoint), so the samples never add up to more bytes
/// than the mdat holds. Errors: Parse (any of these, naming the track and sample),
/// LimitExceeded (more than `maxSamples` samples in the moof, counted before any is stored).
Result<std::vector<TrackFragment>> readFragment(const StreamBox& moof, const StreamBox& mdat,
                                                const std::map<uint32_t, SampleDefaults>& defaults,
                                                uint32_t maxSamples = 65536);

}  // namespace podium::publisher::origin

#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <vector>

#include "core/status.h"
#include "publisher/mp4/fragment_flags.h"

namespace podium::publisher::mp4 {

/// Per-track sample defaults of a fragmented movie (moov/mvex/trex, ISO/IEC 14496-12 8.8.3).
struct SampleDefaults {
    uint32_t duration = 0;  ///< track timescale ticks
    uint32_t size = 0;      ///< bytes
    uint32_t flags = 0;     ///< trun sample_flags layout
};

/// A whole top-level box (header included) and the position of its first byte in the stream
/// it came from: an ingest POST body, or a stored segment (then the offset is the position in
/// the segment's bytes).
struct PlacedBox {
    std::span<const uint8_t> bytes;
    uint64_t offset = 0;
    uint32_t headerSize = 8;  ///< 8, or 16 with a 64-bit largesize
};

/// One sample of an ingested fragment; `data` points into the mdat it came from.
struct FragmentSample {
    uint32_t duration = 0;  ///< decode duration, track timescale ticks
    uint32_t flags = 0;     ///< trun sample_flags
    int32_t compositionOffset = 0;
    std::span<const uint8_t> data;

    [[nodiscard]] bool isSync() const { return (flags & kSampleIsNonSync) == 0; }
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
/// Used by ingest (each POSTed moof + mdat) and by fragment merging (each chunk of a segment).
///
/// Nothing read from the wire is trusted: offsets are resolved without wrapping (a negative
/// data_offset before the start of the stream or a base_data_offset anywhere outside the mdat
/// is refused), every sample must lie inside the mdat payload, and no two samples may share an
/// mdat byte (the runs of all trafs are disjoint), so the samples never add up to more bytes
/// than the mdat holds. Errors: Parse (any of these, naming the track and sample),
/// LimitExceeded (more than `maxSamples` samples in the moof, counted before any is stored).
Result<std::vector<TrackFragment>> readFragment(const PlacedBox& moof, const PlacedBox& mdat,
                                                const std::map<uint32_t, SampleDefaults>& defaults,
                                                uint32_t maxSamples = 65536);

}  // namespace podium::publisher::mp4

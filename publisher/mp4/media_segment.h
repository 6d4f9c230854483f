#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "publisher/mp4/fourcc.h"
#include "publisher/mp4/piff.h"

namespace podium::publisher::mp4 {

/// One sample of a chunk. Times in the track timescale; `data` is the sample payload
/// (length-prefixed NAL units / raw AAC frame) and must outlive the buildChunk() call.
struct Sample {
    uint32_t duration = 0;          ///< decode duration (next decode time - this one)
    bool isSync = false;            ///< IDR / any audio frame
    int32_t compositionOffset = 0;  ///< pts - decode time; may be negative (trun v1)
    std::span<const uint8_t> data;  ///< size = data.size()
    /// trun sample_flags as read from another fragment (kept as they were); nullopt =
    /// sampleFlags(isSync).
    std::optional<uint32_t> flags;
};

/// What a chunk needs besides its samples.
struct ChunkConfig {
    uint32_t sequenceNumber = 1;  ///< mfhd, per track, +1 per chunk from 1
    uint32_t trackId = 1;         ///< tfhd track_ID (trackIndex + 1)
    uint64_t baseDecodeTime = 0;  ///< tfdt, decode time of the first sample (track timescale)
    /// styp brands, major brand first (also listed as compatible); empty = no styp.
    std::vector<FourCC> stypBrands;
    std::optional<FragmentTime> tfxd;  ///< Smooth: a tfxd v1 after trun (the fragment's time)
    std::vector<FragmentTime> tfrf;    ///< Smooth: a tfrf v1 after it when non-empty (lookahead)
};

/// styp brands of the first chunk of a segment: major 'msdh' (a DASH media segment, ISO/IEC
/// 23009-1 6.3.4.2), compatible 'msdh', 'cmfs' (CMAF segment, ISO/IEC 23000-19 7.2), 'cmfl'
/// (its fragments may be split into chunks) and 'iso6'. No 'msix': we write no sidx.
std::vector<FourCC> segmentStypBrands();

/// trun sample_flags (ISO/IEC 14496-12 8.8.3.1): sync = sample_depends_on 2 (0x02000000);
/// non-sync = depends_on 1 + sample_is_non_sync_sample (0x01010000).
uint32_t sampleFlags(bool isSync);

/// One CMAF chunk: [styp] moof(mfhd, traf(tfhd, tfdt v1, trun v1, [tfxd], [tfrf])) mdat. The
/// one writer of movie fragments: the packager's chunks and mergeFragments() use it. Pure and
/// deterministic; callable from any thread. tfhd uses default-base-is-moof, so trun's
/// data_offset is counted from the first byte of moof to the first byte of mdat's payload.
std::vector<uint8_t> buildChunk(const ChunkConfig& config, std::span<const Sample> samples);

}  // namespace podium::publisher::mp4

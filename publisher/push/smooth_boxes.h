#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "core/encoded_packet.h"
#include "core/status.h"
#include "publisher/segment.h"

namespace podium::publisher::push {

inline constexpr std::array<uint8_t, 16> kTfxdUuid = {
    0x6D, 0x1D, 0x9B, 0x05, 0x42, 0xD5, 0x44, 0xE6, 0x80, 0xE2, 0x14, 0x1D, 0xAF, 0xF7, 0x57, 0xB2};
inline constexpr std::array<uint8_t, 16> kLsmUuid = {
    0xA5, 0xD4, 0x0B, 0x30, 0xE8, 0x14, 0x11, 0xDD, 0xBA, 0x2F, 0x08, 0x00, 0x20, 0x0C, 0x9A, 0x66};

/// The 8-byte empty `mfra` that ends a Smooth ingest stream (MS-SSTR 3.3.4.2).
std::vector<uint8_t> emptyMfra();

/// The Live Server Manifest XML (SMIL 2.0) of one track: systemBitrate, trackID (=
/// trackIndex + 1), trackName (= track id), timescale (the track's own: 90 kHz video, the
/// sample rate for audio — stated explicitly, so mdhd and the LSM agree), FourCC (H264/AACL),
/// CodecPrivateData (Annex-B SPS/PPS from avcC, or the AudioSpecificConfig) and the size/audio
/// params. Pure.
std::string liveServerManifestXml(const TrackInfo& track);

/// The header boxes of one Smooth ingest POST for one track: ftyp (isml, minor 1, compatible
/// isml piff iso2) + Live Server Manifest uuid + the moov of the track's CMAF header (mdhd in
/// the track timescale, mvex/trex). Byte-identical for the same init (reconnects). Errors:
/// Parse when the init has no moov.
Result<std::vector<uint8_t>> buildSmoothHeader(const InitSegment& init);

/// One Smooth fragment from a CMAF segment: its chunks merged into one moof(mfhd = segment
/// number + 1, traf(tfhd, tfdt, trun v1, tfxd v1 = start/duration in track ticks)) + mdat;
/// no styp, no tfrf (the server adds lookahead). Errors: Parse on unreadable segment bytes.
Result<std::vector<uint8_t>> buildSmoothFragment(const Segment& segment, bool isVideo);

/// The same merge without tfxd: one CMAF fragment (moof + mdat) for the whole segment, for
/// receivers that store one fragment per segment (DASH-IF ingest). Pure.
Result<std::vector<uint8_t>> mergeSegmentFragments(const Segment& segment, bool isVideo);

}  // namespace podium::publisher::push

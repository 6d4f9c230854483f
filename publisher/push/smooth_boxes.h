#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/encoded_packet.h"
#include "core/status.h"
#include "publisher/segment.h"

namespace podium::publisher::push {

/// The Smooth ingest framing of Podium's tracks and segments. The boxes themselves (tfxd, the
/// LSM usertype, mfra) and the merge of a segment's chunks live in publisher/mp4.

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

/// One Smooth fragment from a CMAF segment: mp4::mergeFragments with mfhd = segment number +
/// 1, tfdt and tfxd v1 = start/duration in track ticks; no styp, no tfrf (the server adds
/// lookahead). Errors: those of mergeFragments, with the segment number.
Result<std::vector<uint8_t>> buildSmoothFragment(const Segment& segment, bool isVideo);

/// The same merge without tfxd: one CMAF fragment (moof + mdat) for the whole segment, for
/// receivers that store one fragment per segment (DASH-IF ingest). Pure.
Result<std::vector<uint8_t>> mergeSegmentFragments(const Segment& segment, bool isVideo);

}  // namespace podium::publisher::push

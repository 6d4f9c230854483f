#pragma once

#include <cstdint>
#include <vector>

#include "core/encoded_packet.h"

namespace podium::publisher::mp4 {

/// The CMAF header (ISO/IEC 23000-19 7.3.2) of one track: ftyp + moov with an empty sample
/// table and mvex/trex, ready for fragments written by buildChunk(). Pure and deterministic
/// (creation/modification times 0, track ID = trackIndex + 1); callable from any thread.
/// Video tracks need TrackInfo::avcDecoderConfig; audio tracks audioSpecificConfig (AAC).
std::vector<uint8_t> buildInitSegment(const TrackInfo& track);

/// The track_ID a track gets in the files Podium writes (tkhd, trex, tfhd).
inline uint32_t trackIdOf(const TrackInfo& track) {
    return uint32_t(track.trackIndex) + 1;
}

}  // namespace podium::publisher::mp4

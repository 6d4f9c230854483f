#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "core/encoded_packet.h"
#include "core/status.h"
#include "publisher/mp4/fragment_reader.h"
#include "publisher/origin/ingest/lsm_parser.h"

namespace podium::publisher::origin {

/// One track declared by an ingest header: what the stream calls it and what Podium needs.
/// `info` is complete except for `id` and `trackIndex`, which the channel assigns.
struct IngestTrack {
    uint32_t sourceTrackId = 0;  ///< tkhd / tfhd track_ID in the ingest stream
    std::string name;            ///< LSM trackName, or empty
    TrackInfo info;
    mp4::SampleDefaults defaults;  ///< from trex
};

/// Reads the tracks of an ingest `moov` box (the whole box, header included): tkhd track_ID,
/// mdhd timescale, hdlr type, the first sample entry (avc1/avc3 + avcC, or mp4a + esds with
/// AAC) and trex defaults. Bitrates come from the LSM track with the same trackID (when given),
/// else from btrt, else 0. Errors: Parse (malformed boxes, missing avcC/esds), Unsupported
/// (another codec or handler, naming its fourcc) and LimitExceeded (more than `maxTracks` trak
/// boxes: counted before any track is read). Pure; callable from any thread.
Result<std::vector<IngestTrack>> parseMovieHeader(std::span<const uint8_t> moov,
                                                  const std::vector<LsmTrack>& lsm,
                                                  int maxTracks = 32);

}  // namespace podium::publisher::origin

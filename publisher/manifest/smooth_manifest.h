#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/encoded_packet.h"
#include "core/status.h"
#include "publisher/manifest/segment_window.h"

namespace podium::publisher::manifest {

/// The Smooth Streaming client manifest (/live/<ch>.isml/Manifest, MS-SSTR 2.2.2):
/// MajorVersion 2, MinorVersion 2, TimeScale 10^7 (DVRWindowLength in those ticks), IsLive TRUE,
/// LookAheadFragmentCount = `lookahead`; a video StreamIndex (TimeScale = the video track
/// timescale) with one QualityLevel per video track with an init (FourCC H264, CodecPrivateData
/// = 00000001 SPS 00000001 PPS from avcC) and an audio StreamIndex (AACL, CodecPrivateData =
/// AudioSpecificConfig). The `c` list of each StreamIndex comes from its FIRST track: complete
/// segments, explicit t on the first (and after a gap), d on each, the newest `lookahead` held
/// back while live (clients learn them from tfrf); all of them once the channel ended.
/// Pure: any thread.
std::string renderSmoothManifest(const ChannelView& view, int lookahead);

/// The QualityLevel Bitrate (and Fragments URL key) of a track: info.bitrateBps, or
/// info.maxBitrateBps when the target is unknown.
int64_t smoothBitrate(const TrackView& track);

/// `QualityLevels(<bitrate>[,k=v...])/Fragments(<type>=<time>)` after ".isml/".
struct SmoothFragmentRequest {
    int64_t bitrate = 0;
    std::string typeName;  ///< "video" / "audio" (the StreamIndex Name)
    int64_t time = 0;      ///< fragment start, StreamIndex TimeScale ticks
};

/// Parses the part of a Smooth fragment URL after "<ch>.isml/". InvalidArgument when it is not
/// of that form (-> 400/404 at the caller). Pure.
Result<SmoothFragmentRequest> parseSmoothFragmentPath(std::string_view path);

/// The track a QualityLevels(bitrate) + type name designates: a track of kind `typeName`
/// ("video" / "audio") with an init whose smoothBitrate() equals `bitrate`; nullptr if none.
const TrackView* findSmoothTrack(const ChannelView& view, std::string_view typeName,
                                 int64_t bitrate);

}  // namespace podium::publisher::manifest

#pragma once

#include <cstdint>
#include <vector>

#include "core/status.h"
#include "publisher/manifest/segment_window.h"

namespace podium::publisher::manifest {

/// One Smooth Streaming fragment (GET .../QualityLevels(b)/Fragments(video=t)), rebuilt from a
/// stored CMAF segment: its chunks merged into ONE moof(mfhd, traf(tfhd, tfdt, trun, tfxd,
/// tfrf)) + mdat, no styp. tfxd (v1) = segment start and duration in track ticks; tfrf (v1)
/// lists the (start, duration) of up to `lookahead` following complete segments.
/// NotFound when no complete segment starts at `startTicks` and the time is not in the future;
/// FailedPrecondition (-> 412) when the fragment is still being produced or is among the newest
/// `lookahead` complete ones not yet announced in the manifest (unless `ended`); Parse when the
/// stored bytes do not parse. Pure: any thread.
Result<std::vector<uint8_t>> buildSmoothFragment(const TrackView& track, int64_t startTicks,
                                                 int lookahead, bool ended = false);

}  // namespace podium::publisher::manifest

#pragma once

#include <cstdint>
#include <string>

#include "publisher/manifest/segment_window.h"

namespace podium::publisher::manifest {

struct DashOptions {
    /// UTCTiming value (urn:mpeg:dash:utc:http-iso:2014): the origin's own time endpoint, e.g.
    /// "/time" or "http://host:port/time". Empty = no UTCTiming element.
    std::string timeUrl = "/time";
    /// ServiceDescription Latency@target in ms; 0 = derived: segment target + 2 part targets
    /// with parts (low latency), 3 segment targets without.
    int64_t latencyTargetMs = 0;
    /// MPD@minimumUpdatePeriod in seconds; <= 0 = the channel's segment target.
    double minimumUpdatePeriodSeconds = 0;
};

/// The channel's MPD (/live/<ch>/index.mpd), ISO/IEC 23009-1 isoff-live profile.
/// Live: type "dynamic", availabilityStartTime = view.availabilityStartMs, publishTime = nowMs,
/// one Period "p0" at PT0S with presentationTimeOffset 0, so AST + t / timescale is the segment's
/// wall clock (StoredSegment::programDateTimeMs). Each Representation (id = track id) has its own
/// SegmentTemplate ($RepresentationID$/init.mp4, $RepresentationID$/seg_$Number$.m4s,
/// startNumber = first complete segment) whose SegmentTimeline lists the complete segments
/// exactly (S@t = start ticks, S@d = duration ticks, r for equal consecutive durations). With
/// parts: availabilityTimeOffset = segment target - part target, availabilityTimeComplete false,
/// the segment being cut and the next one listed last with their planned duration (so a player
/// can fetch the first while it grows and learns of the second before it opens: see
/// appendUpcoming), and ServiceDescription; ProducerReferenceTime per Representation; UTCTiming.
/// Ended: type "static" with mediaPresentationDuration, the window starting at 0
/// (presentationTimeOffset = first segment). Tracks without an init or complete segment are
/// left out. Pure: any thread; `nowMs` = Unix ms.
std::string renderDashMpd(const ChannelView& view, int64_t nowMs, const DashOptions& options);

}  // namespace podium::publisher::manifest

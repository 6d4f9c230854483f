#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "publisher/manifest/segment_window.h"

namespace podium::publisher::manifest {

/// How the origin renders a live media playlist.
struct LlHlsOptions {
    /// Render LL-HLS (parts, PART-INF, PRELOAD-HINT, rendition reports) when the channel has a
    /// part target and the track has parts. false = plain live HLS for clients that did not ask
    /// for low latency.
    bool lowLatency = true;
    /// Announce blocking playlist reload (EXT-X-SERVER-CONTROL with CAN-BLOCK-RELOAD and the
    /// hold-backs): an origin that answers _HLS_msn does; a plain web server (HLS PUT) cannot.
    bool blockingReload = true;
    /// A recording (the archive): EXT-X-PLAYLIST-TYPE EVENT while it grows, VOD once the
    /// channel ended (RFC 8216 4.3.3.5). Use with lowLatency and blockingReload false.
    bool recording = false;
    /// PART-HOLD-BACK in nominal part durations: 3 (the spec's recommendation) unless a preset
    /// asks for less delay; never under 2, and never under twice PART-TARGET (the spec's
    /// minimum) when a stretched part raised it.
    double partHoldBackParts = 3.0;
};

/// Where a track's live edge is: the newest segment that has a part (or the newest complete
/// segment) and, with parts, the index of its last part. What EXT-X-RENDITION-REPORT carries.
struct LivePosition {
    int64_t msn = 0;
    std::optional<int> part;  ///< last part index inside `msn`; nullopt without parts
};

/// The last position of `track` (nullopt while it has no segment). With `withParts` false, the
/// newest complete segment and no part.
std::optional<LivePosition> lastPosition(const TrackView& track, bool withParts);

/// True when the playlist of `track` is rendered as LL-HLS under `options`.
bool rendersParts(const ChannelView& view, const TrackView& track, const LlHlsOptions& options);

/// EXT-X-TARGETDURATION of a track: ceil of the channel's segment target, and never below any
/// complete segment's EXTINF rounded to the nearest integer (RFC 8216 4.3.3.1). Seconds.
int liveTargetDurationSeconds(const ChannelView& view, const TrackView& track);

/// EXT-X-PART-INF PART-TARGET in seconds: the channel's part target, raised (ceil at 5 decimals)
/// to the longest part in the track's window so that every part is <= it (AAC parts end on a
/// frame boundary and may run a frame past the nominal target). 0 without parts.
double livePartTargetSeconds(const ChannelView& view, const TrackView& track);

/// The channel's multivariant playlist (/live/<ch>/index.m3u8): every video track with an init
/// is a variant (URI "<id>/index.m3u8"), the first audio track with an init is the audio group.
/// BANDWIDTH = max(info.maxBitrateBps, measured peak) of video + audio; AVERAGE-BANDWIDTH from
/// the measured averages once known. Pure: any thread.
std::string renderLiveMultivariant(const ChannelView& view);

/// A track's live media playlist (/live/<ch>/<track>/index.m3u8), relative URIs "init.mp4",
/// "seg_<msn>.m4s", "part_<msn>_<i>.m4s", "../<other>/index.m3u8". LL-HLS (version 9) when
/// rendersParts(): SERVER-CONTROL (CAN-BLOCK-RELOAD, PART-HOLD-BACK = max(partHoldBackParts x
/// the nominal part, 2 x PART-TARGET), HOLD-BACK = 3 x TARGETDURATION), PART-INF, parts of the segments that start within the last
/// 3 target durations (and of the in-progress segment), one PRELOAD-HINT for the next part
/// unless ended, RENDITION-REPORT for every other track. Otherwise plain live HLS (version 7).
/// PROGRAM-DATE-TIME on every segment (same wall clock for the same media time in every
/// rendition); ENDLIST when the channel ended. Pure: any thread.
std::string renderLiveMediaPlaylist(const ChannelView& view, const TrackView& track,
                                    const LlHlsOptions& options);

}  // namespace podium::publisher::manifest

#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/status.h"

namespace podium::publisher::relay {

/// One rendition or audio group member of an HLS multivariant playlist.
struct PlaylistVariant {
    std::string uri;        ///< as written (relative to the multivariant playlist)
    bool isAudio = false;   ///< from #EXT-X-MEDIA:TYPE=AUDIO
    int64_t bandwidth = 0;  ///< BANDWIDTH, bits/s
    int64_t averageBandwidth = 0;
    std::string codecs;  ///< CODECS
    int width = 0;       ///< RESOLUTION
    int height = 0;
    double frameRate = 0;
};

/// One complete segment of a media playlist (in-progress LL-HLS parts are ignored).
struct PlaylistSegment {
    int64_t sequence = 0;  ///< EXT-X-MEDIA-SEQUENCE + position
    double duration = 0;   ///< EXTINF, seconds
    std::string uri;
    bool discontinuity = false;
};

struct MediaPlaylist {
    double targetDuration = 0;  ///< seconds
    std::string mapUri;         ///< EXT-X-MAP URI (the CMAF header)
    std::vector<PlaylistSegment> segments;
    bool ended = false;  ///< EXT-X-ENDLIST
};

/// The playlists come from another server: every number is checked (finite, in range) and
/// every list is bounded before it can grow with the text.
inline constexpr size_t kMaxPlaylistVariants = 64;
inline constexpr size_t kMaxPlaylistSegments = 100000;
/// Longest EXTINF / EXT-X-TARGETDURATION accepted, seconds.
inline constexpr double kMaxPlaylistSeconds = 86400;

/// Reads the variants of a multivariant playlist: video STREAM-INF entries first (in order),
/// then each distinct EXT-X-MEDIA audio URI. Attributes out of range are dropped (BANDWIDTH
/// below 0, FRAME-RATE not in (0, 1000], RESOLUTION beyond 65535). Errors: Parse (no #EXTM3U,
/// no variant), LimitExceeded (more than `maxVariants`). Pure.
Result<std::vector<PlaylistVariant>> parseMultivariant(const std::string& text,
                                                       size_t maxVariants = kMaxPlaylistVariants);

/// Reads a media playlist. Errors: Parse (no #EXTM3U, a media playlist without EXT-X-MAP,
/// EXT-X-MEDIA-SEQUENCE not an integer in [0, 2^62], EXTINF or EXT-X-TARGETDURATION not a
/// finite number of seconds in [0, kMaxPlaylistSeconds]), LimitExceeded (more than
/// `maxSegments` segments). Pure.
Result<MediaPlaylist> parseMediaPlaylist(const std::string& text,
                                         size_t maxSegments = kMaxPlaylistSegments);

/// `ref` resolved against the URL `base` (absolute URLs, "/path" and relative paths). Pure.
std::string resolveUrl(const std::string& base, const std::string& ref);

/// The last folder of a relative URI ("720p/index.m3u8" -> "720p"), or the file name without
/// its extension when there is no folder, made safe as a track id (it names URLs and archive
/// folders): characters other than [A-Za-z0-9_-] become '_', an empty one is "track". Pure.
std::string trackIdFromUri(const std::string& uri);

}  // namespace podium::publisher::relay

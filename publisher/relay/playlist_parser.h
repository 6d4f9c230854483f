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

/// Reads the variants of a multivariant playlist: video STREAM-INF entries first (in order),
/// then each distinct EXT-X-MEDIA audio URI. Errors: Parse (no #EXTM3U, no variant). Pure.
Result<std::vector<PlaylistVariant>> parseMultivariant(const std::string& text);

/// Reads a media playlist. Errors: Parse (no #EXTM3U, a media playlist without EXT-X-MAP). Pure.
Result<MediaPlaylist> parseMediaPlaylist(const std::string& text);

/// `ref` resolved against the URL `base` (absolute URLs, "/path" and relative paths). Pure.
std::string resolveUrl(const std::string& base, const std::string& ref);

/// The last folder of a relative URI ("720p/index.m3u8" -> "720p"), or the file name without
/// its extension when there is no folder. Pure.
std::string trackIdFromUri(const std::string& uri);

}  // namespace podium::publisher::relay

#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "core/media_time.h"
#include "core/status.h"
#include "publisher/manifest/segment_window.h"

namespace podium::publisher::manifest {

/// The LL-HLS delivery directives of a playlist request (`?_HLS_msn=M[&_HLS_part=N]`).
struct BlockingRequest {
    std::optional<int64_t> msn;
    std::optional<int> part;

    /// True when the request asks the server to hold the playlist (an _HLS_msn was given).
    [[nodiscard]] bool isBlocking() const { return msn.has_value(); }
};

/// Parses the query values (nullopt = parameter absent). InvalidArgument (-> HTTP 400) for a
/// value that is not a non-negative decimal integer, or `_HLS_part` without `_HLS_msn`
/// (draft-pantos-hls-rfc8216bis 6.2.5.2). Pure.
Result<BlockingRequest> parseBlockingQuery(std::optional<std::string_view> msnText,
                                           std::optional<std::string_view> partText);

enum class BlockDecision {
    ServeNow,    ///< the asked segment/part is in the playlist (or already left it), or ended
    Wait,        ///< hold the request until the channel changes, then decide again
    BadRequest,  ///< 400: negative, part without msn, msn > last complete + 2, part too far
};

/// The server's decision for a blocking playlist reload, per rfc8216bis 6.2.5.2: a part index
/// past the last part of a complete segment means part 0 of the next segment; once the stream
/// ended every request is served at once. `targetDuration` bounds the part index (no segment
/// holds more than ceil(TD / part duration) parts, plus the advance part limit). The caller
/// answers 503 when a Wait lasts longer than 3 target durations. Pure: any thread.
BlockDecision decideBlocking(const TrackView& track, bool ended, int64_t msn,
                             std::optional<int> part, MediaTime targetDuration);

/// Both steps for a playlist GET of `track` with the raw query values: ServeNow (no
/// _HLS_msn, or the asked media is there) or Wait; InvalidArgument (-> 400) for a malformed
/// query or a BadRequest decision. Pure: any thread.
Result<BlockDecision> decideBlockingQuery(const ChannelView& view, const TrackView& track,
                                          std::optional<std::string_view> msnText,
                                          std::optional<std::string_view> partText);

}  // namespace podium::publisher::manifest

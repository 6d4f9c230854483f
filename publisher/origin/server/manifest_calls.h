#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/status.h"
#include "publisher/origin/channel.h"

namespace podium::publisher::origin::calls {

// The server's only door into publisher/manifest (pure renderers of a ChannelView): keeps the
// responders independent of the renderers' option structs.

[[nodiscard]] std::string multivariant(const ChannelView& view);
[[nodiscard]] std::string mediaPlaylist(const ChannelView& view, const TrackView& track);

enum class Block { ServeNow, Wait };
/// The LL-HLS blocking-reload decision for `_HLS_msn` / `_HLS_part` (raw query text). An
/// error (InvalidArgument) is a bad request (400).
[[nodiscard]] Result<Block> blockingDecision(const ChannelView& view, const TrackView& track,
                                             const std::optional<std::string>& msn,
                                             const std::optional<std::string>& part);

/// `timeUrl`: the absolute URL of the origin's /time (UTCTiming).
[[nodiscard]] std::string dashMpd(const ChannelView& view, int64_t nowMs,
                                  const std::string& timeUrl);
[[nodiscard]] std::string smoothManifest(const ChannelView& view, int lookahead);
/// The track of a QualityLevels(bitrate)/Fragments(kind=..) URL, or nullptr.
[[nodiscard]] const TrackView* smoothTrack(const ChannelView& view, const std::string& kind,
                                           int64_t bitrate);
/// FailedPrecondition when the fragment is not announced yet (412), NotFound (404).
[[nodiscard]] Result<std::vector<uint8_t>> smoothFragment(const ChannelView& view,
                                                          const TrackView& track,
                                                          int64_t startTicks, int lookahead);

}  // namespace podium::publisher::origin::calls

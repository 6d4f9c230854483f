#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "core/url_name.h"

namespace podium::publisher::origin {

// The routes of the origin's URL contract (listed for users in README "Watch in a browser"). Every
// name field has passed the path guard: channel and track ids are [A-Za-z0-9_-], asset names, event
// and stream ids [A-Za-z0-9_.-] (never "." or ".."), at most kMaxNameLength characters.

struct LandingRoute {};      ///< GET /
struct ApiChannelsRoute {};  ///< GET /api/channels
struct ApiQoeRoute {         ///< GET /api/channels/<ch>/qoe: the viewers' reports, summed up
    std::string channel;
};
struct TimeRoute {};     ///< GET /time
struct HealthRoute {};   ///< GET /healthz
struct MetricsRoute {};  ///< GET /metrics
struct WatchRoute {      ///< GET /watch/<ch>
    std::string channel;
};
struct AssetRoute {  ///< GET /assets/<name>
    std::string name;
};
struct MultivariantRoute {  ///< GET /live/<ch>/index.m3u8
    std::string channel;
};
struct MediaPlaylistRoute {  ///< GET /live/<ch>/<track>/index.m3u8
    std::string channel;
    std::string track;
};
struct InitRoute {  ///< GET /live/<ch>/<track>/init.mp4
    std::string channel;
    std::string track;
};
struct SegmentRoute {  ///< GET /live/<ch>/<track>/seg_<sequence>.m4s
    std::string channel;
    std::string track;
    int64_t sequence = 0;
};
struct PartRoute {  ///< GET /live/<ch>/<track>/part_<sequence>_<partIndex>.m4s
    std::string channel;
    std::string track;
    int64_t sequence = 0;
    int64_t partIndex = 0;
};
struct DashMpdRoute {  ///< GET /live/<ch>/index.mpd
    std::string channel;
};
struct SmoothManifestRoute {  ///< GET /live/<ch>.isml/Manifest
    std::string channel;
};
struct SmoothFragmentRoute {  ///< GET /live/<ch>.isml/QualityLevels(<br>)/Fragments(<kind>=<t>)
    std::string channel;
    int64_t bitrate = 0;  ///< bits per second, as in the client manifest
    std::string kind;     ///< "video" or "audio"
    int64_t time = 0;     ///< ticks in the StreamIndex TimeScale
};
struct IngestRoute {  ///< POST /live/<ch>.isml[/Events(<e>)]/Streams(<id>)
    std::string channel;
    std::string event;  ///< empty without /Events(..)/
    std::string streamId;
};
struct QoeRoute {  ///< POST /qoe/<ch>: a viewer's beacon (qoe/qoe_beacon.h)
    std::string channel;
};
struct NotFoundRoute {};  ///< anything else, including every unsafe path

using Route = std::variant<NotFoundRoute, LandingRoute, ApiChannelsRoute, ApiQoeRoute, TimeRoute,
                           HealthRoute, MetricsRoute, WatchRoute, AssetRoute, MultivariantRoute,
                           MediaPlaylistRoute, InitRoute, SegmentRoute, PartRoute, DashMpdRoute,
                           SmoothManifestRoute, SmoothFragmentRoute, IngestRoute, QoeRoute>;

/// The query parameters the origin understands, percent-decoded, raw text (the LL-HLS
/// directives are validated by the manifest code, which knows the rules).
struct RouteQuery {
    std::optional<std::string> hlsMsn;   ///< _HLS_msn
    std::optional<std::string> hlsPart;  ///< _HLS_part
    std::optional<std::string> hlsSkip;  ///< _HLS_skip (accepted, not acted on)
    std::optional<std::string> code;     ///< viewer passcode
};

struct ParsedTarget {
    Route route;
    RouteQuery query;
};

inline constexpr std::size_t kMaxNameLength = kMaxUrlNameLength;
inline constexpr std::size_t kMaxTargetLength = 2048;

/// Parses a request target ("/live/x/720p/index.m3u8?_HLS_msn=3") into a route. Pure; never
/// touches a file system. Percent-encoded bytes are decoded per component, so an encoded slash
/// or dot segment fails the name check; any unsafe or unknown path is NotFoundRoute.
/// Callable from any thread.
[[nodiscard]] ParsedTarget parseTarget(std::string_view target);

/// "multivariant", "segment", ... — the label of podium_origin_requests_total{kind}.
[[nodiscard]] const char* routeKind(const Route& route);

}  // namespace podium::publisher::origin

#pragma once

#include <cstdint>

#include "publisher/origin/channel_store.h"
#include "publisher/origin/server/http_types.h"
#include "publisher/origin/server/origin_server.h"
#include "publisher/origin/server/request_router.h"

namespace podium::publisher::origin {

/// Answers GET / HEAD / OPTIONS requests from ChannelStore snapshots (Channel::view()) and the
/// embedded web assets: playlists, MPD, Smooth, init/segments/parts, pages, /time, /metrics.
/// Never blocks: a request that must wait for the channel returns WaitForChange and is asked
/// again by its connection. Stateless apart from the counters; callable from any thread.
class OriginResponder {
public:
    OriginResponder(ChannelStore& store, const OriginConfig& config, OriginStats& stats)
        : store_(store), config_(config), stats_(stats) {}

    /// `waitExpired`: the request already waited its maximum (→ 503 if still not available).
    [[nodiscard]] Outcome respond(const HttpRequest& request, const ParsedTarget& target,
                                  bool waitExpired) const;

private:
    // media_responses.cpp
    Outcome media(const HttpRequest& request, const Route& route, const RouteQuery& query,
                  bool waitExpired) const;
    Outcome multivariant(const MultivariantRoute& r) const;
    Outcome mediaPlaylist(const MediaPlaylistRoute& r, const RouteQuery& q, bool waitExpired) const;
    Outcome init(const InitRoute& r) const;
    Outcome segment(const SegmentRoute& r, bool waitExpired, bool canStream) const;
    Outcome part(const PartRoute& r, bool waitExpired) const;
    Outcome dash(const DashMpdRoute& r, const HttpRequest& request) const;
    Outcome smoothManifest(const SmoothManifestRoute& r) const;
    Outcome smoothFragment(const SmoothFragmentRoute& r) const;
    [[nodiscard]] std::string playlistCacheControl(const manifest::ChannelView& view) const;

    // site_responses.cpp
    HttpReply landing(const RouteQuery& q, const HttpRequest& request) const;
    HttpReply apiChannels() const;
    HttpReply apiQoe(const ApiQoeRoute& r, const RouteQuery& q, const HttpRequest& request) const;
    HttpReply watch(const WatchRoute& r, const RouteQuery& q, const HttpRequest& request) const;
    HttpReply asset(const AssetRoute& r) const;
    HttpReply time() const;
    HttpReply metrics(const RouteQuery& q, const HttpRequest& request) const;
    HttpReply qoe(const QoeRoute& r, const RouteQuery& q, const HttpRequest& request) const;

    ChannelStore& store_;
    const OriginConfig& config_;
    OriginStats& stats_;
};

/// Wall clock now, Unix milliseconds (the server's one clock read).
int64_t unixNowMs();
/// HTTP status for a Status from the manifest renderers or the ingest session.
int httpStatusFor(ErrorCode code);

}  // namespace podium::publisher::origin

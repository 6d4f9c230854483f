// OriginResponder: the media URLs (HLS, DASH, Smooth, init / segments / parts).
#include <algorithm>
#include <chrono>
#include <variant>

#include "publisher/manifest/dash_mpd.h"
#include "publisher/manifest/hls_blocking.h"
#include "publisher/manifest/hls_live.h"
#include "publisher/manifest/smooth_fragment.h"
#include "publisher/manifest/smooth_manifest.h"
#include "publisher/origin/server/access_control.h"
#include "publisher/origin/server/origin_responder.h"

namespace podium::publisher::origin {
namespace {

constexpr const char* kImmutable = "public, max-age=31536000, immutable";

std::string mediaType(const manifest::TrackView& track) {
    return track.info.kind == TrackKind::Audio ? "audio/mp4" : "video/mp4";
}

HttpReply bytesReply(manifest::Bytes bytes, std::string contentType, std::string cacheControl) {
    HttpReply reply;
    reply.contentType = std::move(contentType);
    reply.cacheControl = std::move(cacheControl);
    reply.bytes = std::move(bytes);
    return reply;
}

HttpReply errorReply(const Status& status) {
    return textReply(httpStatusFor(status.code()), status.toString() + "\n");
}

/// The bounded wait of LL-HLS: three target durations.
std::chrono::milliseconds maxWaitFor(const manifest::ChannelView& view) {
    const double seconds = std::max(view.segmentTarget.seconds(), 1.0);
    return std::chrono::milliseconds(static_cast<int64_t>(seconds * 3000));
}

HttpReply unavailable() {
    return textReply(503, "not available yet, try again\n");
}

const manifest::StoredSegment* findSegment(const manifest::TrackView& track, int64_t sequence) {
    for (const manifest::StoredSegment& s : track.segments) {
        if (s.sequence == sequence)
            return &s;
    }
    return nullptr;
}

/// The sequence the next new segment of `track` will have (or -1 with none stored yet).
int64_t nextSequence(const manifest::TrackView& track) {
    return track.segments.empty() ? -1 : track.segments.back().sequence + 1;
}

/// The channel a media route names.
const std::string& channelOf(const Route& route) {
    static const std::string kNone;
    return std::visit(
        [](const auto& r) -> const std::string& {
            if constexpr (requires { r.channel; }) {
                return r.channel;
            } else {
                return kNone;
            }
        },
        route);
}

/// What a media URL names, from one snapshot of its channel.
struct Target {
    std::shared_ptr<Channel> channel;
    manifest::ChannelViewPtr view;
    const manifest::TrackView* track = nullptr;
};

/// The channel `name` (with at least one track when `needTracks`), or the 404 to answer.
std::variant<Target, HttpReply> findChannel(const ChannelStore& store, const std::string& name,
                                            bool needTracks) {
    auto channel = store.find(name);
    if (!channel)
        return textReply(404, "no such channel\n");
    manifest::ChannelViewPtr view = channel->view();
    if (needTracks && view->tracks.empty())
        return textReply(404, "channel has no tracks yet\n");
    return Target{std::move(channel), std::move(view), nullptr};
}

/// The track `track` of channel `name` (with its init when `needInit`), or the 404 to answer.
std::variant<Target, HttpReply> findTrack(const ChannelStore& store, const std::string& name,
                                          const std::string& track, bool needInit) {
    auto found = findChannel(store, name, false);
    if (auto* target = std::get_if<Target>(&found)) {
        target->track = target->view->track(track);
        if (!target->track || (needInit && !target->track->init))
            return textReply(404, "no such track\n");
    }
    return found;
}

}  // namespace

Outcome OriginResponder::media(const HttpRequest& request, const Route& route,
                               const RouteQuery& query, bool waitExpired) const {
    if (!viewerAllowed(config_.viewPasscode, query.code, request.cookie)) {
        return textReply(403, "viewer passcode required\n");
    }
    // Viewers of an ingested channel whose encoder stopped get its end (ENDLIST, static MPD).
    store_.expireIdle(unixNowMs(), int64_t(config_.limits.channelIdleSeconds) * 1000);
    // A viewer counts once its channel exists: made-up channels cost nothing to remember.
    if (!store_.find(channelOf(route)))
        return textReply(404, "no such channel\n");
    stats_.sawViewer(request.clientIp, request.userAgent, unixNowMs());
    if (auto* r = std::get_if<MultivariantRoute>(&route))
        return multivariant(*r);
    if (auto* r = std::get_if<MediaPlaylistRoute>(&route)) {
        return mediaPlaylist(*r, query, waitExpired);
    }
    if (auto* r = std::get_if<InitRoute>(&route))
        return init(*r);
    if (auto* r = std::get_if<SegmentRoute>(&route))
        return segment(*r, waitExpired, request.method == HttpMethod::Get);
    if (auto* r = std::get_if<PartRoute>(&route))
        return part(*r, waitExpired);
    if (auto* r = std::get_if<DashMpdRoute>(&route))
        return dash(*r, request);
    if (auto* r = std::get_if<SmoothManifestRoute>(&route))
        return smoothManifest(*r);
    if (auto* r = std::get_if<SmoothFragmentRoute>(&route))
        return smoothFragment(*r);
    return textReply(404, "not found\n");
}

std::string OriginResponder::playlistCacheControl(const manifest::ChannelView& view) const {
    // Never cacheable for longer than half a part (or half a segment without parts); 1 s floor.
    const MediaTime unit = view.partTarget.value > 0 ? view.partTarget : view.segmentTarget;
    const int64_t seconds = std::max<int64_t>(1, static_cast<int64_t>(unit.seconds() / 2));
    return "public, max-age=" + std::to_string(seconds);
}

Outcome OriginResponder::multivariant(const MultivariantRoute& r) const {
    auto found = findChannel(store_, r.channel, true);
    if (auto* reply = std::get_if<HttpReply>(&found))
        return std::move(*reply);
    const manifest::ChannelViewPtr& view = std::get<Target>(found).view;
    HttpReply reply =
        textReply(200, manifest::renderLiveMultivariant(*view), "application/vnd.apple.mpegurl");
    reply.cacheControl = playlistCacheControl(*view);
    return reply;
}

Outcome OriginResponder::mediaPlaylist(const MediaPlaylistRoute& r, const RouteQuery& q,
                                       bool waitExpired) const {
    auto found = findTrack(store_, r.channel, r.track, true);
    if (auto* reply = std::get_if<HttpReply>(&found))
        return std::move(*reply);
    const auto& [channel, view, track] = std::get<Target>(found);
    const auto text = [](const std::optional<std::string>& s) {
        return s ? std::optional<std::string_view>(*s) : std::nullopt;
    };
    auto decision = manifest::decideBlockingQuery(*view, *track, text(q.hlsMsn), text(q.hlsPart));
    if (!decision)
        return textReply(400, decision.error().toString() + "\n");
    if (*decision == manifest::BlockDecision::Wait) {
        if (waitExpired)
            return unavailable();
        return WaitForChange{channel, view->version, maxWaitFor(*view)};
    }
    manifest::LlHlsOptions options;
    options.partHoldBackParts = channel->config().partHoldBackParts;
    HttpReply reply = textReply(200, manifest::renderLiveMediaPlaylist(*view, *track, options),
                                "application/vnd.apple.mpegurl");
    const bool blocking = q.hlsMsn.has_value();
    reply.cacheControl = blocking ? "no-cache" : playlistCacheControl(*view);
    return reply;
}

Outcome OriginResponder::init(const InitRoute& r) const {
    auto found = findTrack(store_, r.channel, r.track, true);
    if (auto* reply = std::get_if<HttpReply>(&found))
        return std::move(*reply);
    const auto& [channel, view, track] = std::get<Target>(found);
    // The init's bytes live inside the shared InitSegment: alias them, no copy.
    manifest::Bytes bytes(track->init, &track->init->bytes);
    return bytesReply(std::move(bytes), mediaType(*track), kImmutable);
}

Outcome OriginResponder::segment(const SegmentRoute& r, bool waitExpired, bool canStream) const {
    auto found = findTrack(store_, r.channel, r.track, false);
    if (auto* reply = std::get_if<HttpReply>(&found))
        return std::move(*reply);
    const auto& [channel, view, track] = std::get<Target>(found);
    const manifest::StoredSegment* s = findSegment(*track, r.sequence);
    if (s && s->isComplete())
        return bytesReply(s->bytes, mediaType(*track), kImmutable);
    // The segment being built: stream its chunks as they are cut (low-latency DASH asks for the
    // live-edge segment early). The next one: wait until it opens, then stream it.
    const bool upcoming = s != nullptr || (r.sequence == nextSequence(*track));
    if (!upcoming || view->ended)
        return textReply(404, "no such segment\n");
    if (waitExpired)
        return unavailable();
    if (s && canStream)
        return StreamSegment{channel,           r.track,    r.sequence,
                             mediaType(*track), kImmutable, maxWaitFor(*view)};
    return WaitForChange{channel, view->version, maxWaitFor(*view)};
}

Outcome OriginResponder::part(const PartRoute& r, bool waitExpired) const {
    auto found = findTrack(store_, r.channel, r.track, false);
    if (auto* reply = std::get_if<HttpReply>(&found))
        return std::move(*reply);
    const auto& [channel, view, track] = std::get<Target>(found);
    const manifest::StoredSegment* s = findSegment(*track, r.sequence);
    if (s && r.partIndex < static_cast<int64_t>(s->parts.size())) {
        const manifest::StoredPart& p = s->parts[static_cast<std::size_t>(r.partIndex)];
        if (p.bytes)
            return bytesReply(p.bytes, mediaType(*track), kImmutable);
    }
    // The preload-hinted part: the next part of the open segment, or part 0 of the next one.
    bool next = false;
    if (s && !s->isComplete())
        next = r.partIndex == static_cast<int64_t>(s->parts.size());
    if (!s)
        next = r.partIndex == 0 && r.sequence == nextSequence(*track);
    if (!next || view->ended)
        return textReply(404, "no such part\n");
    if (waitExpired)
        return unavailable();
    return WaitForChange{channel, view->version, maxWaitFor(*view)};
}

Outcome OriginResponder::dash(const DashMpdRoute& r, const HttpRequest& request) const {
    auto found = findChannel(store_, r.channel, true);
    if (auto* reply = std::get_if<HttpReply>(&found))
        return std::move(*reply);
    const auto& [channel, view, track] = std::get<Target>(found);
    // UTCTiming must be absolute: build it from the Host the client used.
    const std::string timeUrl = request.host.empty() ? "/time" : "http://" + request.host + "/time";
    const manifest::DashOptions options{.timeUrl = timeUrl,
                                        .latencyTargetMs = channel->config().dashLatencyTargetMs};
    HttpReply reply = textReply(200, manifest::renderDashMpd(*view, unixNowMs(), options),
                                "application/dash+xml");
    reply.cacheControl = playlistCacheControl(*view);
    return reply;
}

Outcome OriginResponder::smoothManifest(const SmoothManifestRoute& r) const {
    auto found = findChannel(store_, r.channel, true);
    if (auto* reply = std::get_if<HttpReply>(&found))
        return std::move(*reply);
    const manifest::ChannelViewPtr& view = std::get<Target>(found).view;
    HttpReply reply = textReply(200, manifest::renderSmoothManifest(*view, config_.smoothLookahead),
                                "text/xml; charset=utf-8");
    reply.cacheControl = playlistCacheControl(*view);
    return reply;
}

Outcome OriginResponder::smoothFragment(const SmoothFragmentRoute& r) const {
    auto found = findChannel(store_, r.channel, false);
    if (auto* reply = std::get_if<HttpReply>(&found))
        return std::move(*reply);
    const manifest::ChannelViewPtr& view = std::get<Target>(found).view;
    const manifest::TrackView* track = manifest::findSmoothTrack(*view, r.kind, r.bitrate);
    if (!track)
        return textReply(404, "no such quality level\n");
    auto bytes =
        manifest::buildSmoothFragment(*track, r.time, config_.smoothLookahead, view->ended);
    if (!bytes)
        return errorReply(bytes.error());
    auto shared = std::make_shared<const std::vector<uint8_t>>(std::move(*bytes));
    return bytesReply(std::move(shared), mediaType(*track), kImmutable);
}

}  // namespace podium::publisher::origin

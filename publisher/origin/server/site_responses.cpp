// OriginResponder: dispatch, the pages and assets, /api/channels, /time, /healthz, /metrics.
#include <chrono>
#include <ctime>

#include <nlohmann/json.hpp>

#include "publisher/origin/qoe/qoe_beacon.h"
#include "publisher/origin/qoe/qoe_summary_json.h"
#include "publisher/origin/server/access_control.h"
#include "publisher/origin/server/origin_responder.h"
#include "publisher/origin/server/publish_tokens.h"
#include "publisher/origin/web/web_assets.h"

namespace podium::publisher::origin {
namespace {

bool isMediaRoute(const Route& r) {
    return std::holds_alternative<MultivariantRoute>(r) ||
           std::holds_alternative<MediaPlaylistRoute>(r) || std::holds_alternative<InitRoute>(r) ||
           std::holds_alternative<SegmentRoute>(r) || std::holds_alternative<PartRoute>(r) ||
           std::holds_alternative<DashMpdRoute>(r) ||
           std::holds_alternative<SmoothManifestRoute>(r) ||
           std::holds_alternative<SmoothFragmentRoute>(r);
}

HttpReply assetReply(std::string_view name, std::string cacheControl) {
    const WebAsset* asset = findWebAsset(name);
    if (!asset)
        return textReply(404, "no such asset\n");
    HttpReply reply = textReply(200, std::string(asset->body), std::string(asset->contentType));
    reply.cacheControl = std::move(cacheControl);
    return reply;
}

/// The passcode page of `title`: a channel name ([A-Za-z0-9_-], router) or "Channels", safe to
/// embed as is.
std::string passcodeForm(const std::string& title, bool wrong) {
    return "<!doctype html><html><head><meta charset=\"utf-8\">"
           "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
           "<title>Podium - " +
           title +
           "</title></head>"
           "<body style=\"font-family:sans-serif;max-width:24em;margin:3em auto\">"
           "<h1>" +
           title + "</h1>" + (wrong ? "<p role=\"alert\">Wrong passcode.</p>" : "") +
           "<form method=\"get\"><label>Passcode <input name=\"code\" type=\"password\" "
           "autofocus></label> <button>Watch</button></form></body></html>";
}

/// A page behind the viewer passcode: the form without the right code; with it, `page` plus
/// the cookie that lets the page's own requests (playlists, /api/channels) through.
HttpReply passcodePage(const std::string& passcode, const std::string& title, const RouteQuery& q,
                       const HttpRequest& request, HttpReply page) {
    if (passcode.empty())
        return page;
    if (!viewerAllowed(passcode, q.code, request.cookie))
        return textReply(200, passcodeForm(title, q.code.has_value()), "text/html; charset=utf-8");
    if (q.code && page.status == 200) {
        page.headers.emplace_back("Set-Cookie", std::string(kViewCookie) + "=" +
                                                    cookieEncode(*q.code) +
                                                    "; Path=/; HttpOnly; SameSite=Lax");
        page.cacheControl = "no-store";
    }
    return page;
}

}  // namespace

int64_t unixNowMs() {
    using namespace std::chrono;
    return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

int httpStatusFor(ErrorCode code) {
    switch (code) {
        case ErrorCode::InvalidArgument:
        case ErrorCode::Parse:
            return 400;
        case ErrorCode::PermissionDenied:
            return 403;
        case ErrorCode::NotFound:
            return 404;
        case ErrorCode::FailedPrecondition:
            return 412;
        case ErrorCode::Unsupported:
            return 415;
        case ErrorCode::LimitExceeded:
            return 413;
        case ErrorCode::Unavailable:
            return 503;
        case ErrorCode::NoSpace:
            return 507;
        default:
            return 500;
    }
}

Outcome OriginResponder::respond(const HttpRequest& request, const ParsedTarget& target,
                                 bool waitExpired) const {
    const Route& route = target.route;
    if (request.method == HttpMethod::Options) {
        HttpReply reply = textReply(204, "");
        reply.headers.emplace_back("Access-Control-Allow-Methods", "GET, HEAD, POST, OPTIONS");
        reply.headers.emplace_back("Access-Control-Allow-Headers",
                                   "Authorization, Content-Type, Range");
        reply.headers.emplace_back("Access-Control-Max-Age", "86400");
        return reply;
    }
    if (auto* r = std::get_if<QoeRoute>(&route))
        return qoe(*r, target.query, request);
    if (request.method != HttpMethod::Get && request.method != HttpMethod::Head) {
        HttpReply reply = textReply(405, "method not allowed\n");
        reply.headers.emplace_back("Allow", "GET, HEAD, OPTIONS");
        return reply;
    }
    if (isMediaRoute(route))
        return media(request, route, target.query, waitExpired);
    if (std::holds_alternative<LandingRoute>(route))
        return landing(target.query, request);
    if (std::holds_alternative<ApiChannelsRoute>(route)) {
        if (!viewerAllowed(config_.viewPasscode, target.query.code, request.cookie))
            return textReply(403, "viewer passcode required\n");
        return apiChannels();
    }
    if (auto* r = std::get_if<ApiQoeRoute>(&route))
        return apiQoe(*r, target.query, request);
    if (auto* r = std::get_if<WatchRoute>(&route))
        return watch(*r, target.query, request);
    if (auto* r = std::get_if<AssetRoute>(&route))
        return asset(*r);
    if (std::holds_alternative<TimeRoute>(route))
        return time();
    if (std::holds_alternative<HealthRoute>(route))
        return textReply(200, "ok\n");
    if (std::holds_alternative<MetricsRoute>(route))
        return metrics(target.query, request);
    if (std::holds_alternative<IngestRoute>(route)) {
        HttpReply reply = textReply(405, "ingest takes POST\n");
        reply.headers.emplace_back("Allow", "POST, OPTIONS");
        return reply;
    }
    return textReply(404, "not found\n");
}

HttpReply OriginResponder::qoe(const QoeRoute& r, const RouteQuery& q,
                               const HttpRequest& request) const {
    if (request.method != HttpMethod::Post) {
        HttpReply reply = textReply(405, "a beacon takes POST\n");
        reply.headers.emplace_back("Allow", "POST, OPTIONS");
        return reply;
    }
    // Only viewers report: with a passcode, those who have it (the /watch page's cookie).
    if (!viewerAllowed(config_.viewPasscode, q.code, request.cookie))
        return textReply(403, "viewer passcode required\n");
    const auto channel = store_.find(r.channel);
    if (!channel)
        return textReply(404, "no channel " + r.channel + "\n");
    auto beacon = parseQoeBeacon(request.body);
    if (!beacon) {
        const int status = beacon.error().code() == ErrorCode::LimitExceeded ? 413 : 400;
        return textReply(status, beacon.error().toString() + "\n");
    }
    switch (channel->qoe().add(*beacon, QoeTable::Clock::now())) {
        case QoeTable::Outcome::Counted:
        case QoeTable::Outcome::Left:
            return textReply(204, "");
        case QoeTable::Outcome::TooSoon: {
            HttpReply reply = textReply(429, "one beacon per second per viewer\n");
            reply.headers.emplace_back("Retry-After", "1");
            return reply;
        }
        case QoeTable::Outcome::Full: {
            HttpReply reply = textReply(429, "too many viewers reporting on this channel\n");
            reply.headers.emplace_back("Retry-After", "15");
            return reply;
        }
    }
    return textReply(500, "unexpected beacon outcome\n");
}

HttpReply OriginResponder::landing(const RouteQuery& q, const HttpRequest& request) const {
    // The landing page lists the channels: with a passcode, only for those who have it.
    return passcodePage(config_.viewPasscode, "Channels", q, request,
                        assetReply("index.html", "no-cache"));
}

HttpReply OriginResponder::apiChannels() const {
    nlohmann::json list = nlohmann::json::array();
    for (const std::string& name : store_.channelNames()) {
        auto channel = store_.find(name);
        if (!channel)
            continue;
        const manifest::ChannelViewPtr view = channel->view();
        nlohmann::json tracks = nlohmann::json::array();
        bool hasMedia = false;
        for (const manifest::TrackView& t : view->tracks) {
            hasMedia = hasMedia || !t.segments.empty();
            nlohmann::json track = {{"id", t.info.id},
                                    {"kind", t.info.kind == TrackKind::Audio ? "audio" : "video"},
                                    {"codecs", t.info.codecString},
                                    {"bitrate", t.info.bitrateBps}};
            if (t.info.kind == TrackKind::Video) {
                track["width"] = t.info.width;
                track["height"] = t.info.height;
            }
            tracks.push_back(std::move(track));
        }
        list.push_back({{"name", view->name},
                        {"tracks", std::move(tracks)},
                        {"live", hasMedia && !view->ended},
                        {"ended", view->ended},
                        {"watchUrl", "/watch/" + view->name},
                        {"hlsUrl", "/live/" + view->name + "/index.m3u8"}});
    }
    HttpReply reply = textReply(200, list.dump(), "application/json");
    reply.cacheControl = "no-cache";
    return reply;
}

HttpReply OriginResponder::apiQoe(const ApiQoeRoute& r, const RouteQuery& q,
                                  const HttpRequest& request) const {
    // Viewers with the passcode may read their channel's audience, and so may its publisher
    // (a studio pushing here shows it as that destination's audience) with its push token.
    const bool hasTokens = !config_.publishToken.empty() || !config_.publishTokens.empty();
    const bool publisher = hasTokens && !request.authorization.empty() &&
                           checkPublisher(config_.publishTokens, config_.publishToken, r.channel,
                                          request.authorization) == PublishAuth::Allowed;
    if (!publisher && !viewerAllowed(config_.viewPasscode, q.code, request.cookie))
        return textReply(403, "viewer passcode or publish token required\n");
    const auto channel = store_.find(r.channel);
    if (!channel)
        return textReply(404, "no channel " + r.channel + "\n");
    HttpReply reply =
        textReply(200, qoeSummaryJson(r.channel, channel->qoe().summary(QoeTable::Clock::now())),
                  "application/json");
    reply.cacheControl = "no-cache";
    return reply;
}

HttpReply OriginResponder::watch(const WatchRoute& r, const RouteQuery& q,
                                 const HttpRequest& request) const {
    return passcodePage(config_.viewPasscode, r.channel, q, request,
                        assetReply("player.html", "no-cache"));
}

HttpReply OriginResponder::asset(const AssetRoute& r) const {
    return assetReply(r.name, "public, max-age=300");
}

HttpReply OriginResponder::time() const {
    const int64_t ms = unixNowMs();
    const std::time_t seconds = static_cast<std::time_t>(ms / 1000);
    std::tm utc{};
    gmtime_r(&seconds, &utc);
    char text[40];
    const std::size_t n = std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%S", &utc);
    char full[64];
    std::snprintf(full, sizeof full, "%.*s.%03dZ", static_cast<int>(n), text,
                  static_cast<int>(ms % 1000));
    return textReply(200, full, "text/plain; charset=utf-8");
}

HttpReply OriginResponder::metrics(const RouteQuery& q, const HttpRequest& request) const {
    // /metrics names every channel. Its own token when configured (Prometheus sends it as
    // Bearer); otherwise, with a viewer passcode, the passcode.
    if (!config_.metricsToken.empty()) {
        switch (checkPublishToken(request.authorization, config_.metricsToken)) {
            case PublishAuth::Allowed:
                break;
            case PublishAuth::Missing: {
                HttpReply reply = textReply(401, "metrics token required\n");
                reply.headers.emplace_back("WWW-Authenticate", "Bearer realm=\"podium\"");
                return reply;
            }
            case PublishAuth::Wrong:
                return textReply(403, "wrong metrics token\n");
        }
    } else if (!viewerAllowed(config_.viewPasscode, q.code, request.cookie)) {
        return textReply(403, "viewer passcode required\n");
    }
    return textReply(200, stats_.renderPrometheus(store_, unixNowMs()),
                     "text/plain; version=0.0.4; charset=utf-8");
}

}  // namespace podium::publisher::origin

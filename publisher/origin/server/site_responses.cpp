// OriginResponder: dispatch, the pages and assets, /api/channels, /time, /healthz, /metrics.
#include <chrono>
#include <ctime>

#include <nlohmann/json.hpp>

#include "publisher/origin/server/access_control.h"
#include "publisher/origin/server/origin_responder.h"
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

std::string passcodeForm(const std::string& channel, bool wrong) {
    // The channel name is [A-Za-z0-9_-] (router), safe to embed as is.
    return "<!doctype html><html><head><meta charset=\"utf-8\">"
           "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
           "<title>Podium - " +
           channel +
           "</title></head>"
           "<body style=\"font-family:sans-serif;max-width:24em;margin:3em auto\">"
           "<h1>" +
           channel + "</h1>" + (wrong ? "<p role=\"alert\">Wrong passcode.</p>" : "") +
           "<form method=\"get\"><label>Passcode <input name=\"code\" type=\"password\" "
           "autofocus></label> <button>Watch</button></form></body></html>";
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
    if (request.method != HttpMethod::Get && request.method != HttpMethod::Head) {
        HttpReply reply = textReply(405, "method not allowed\n");
        reply.headers.emplace_back("Allow", "GET, HEAD, OPTIONS");
        return reply;
    }
    if (isMediaRoute(route))
        return media(request, route, target.query, waitExpired);
    if (std::holds_alternative<LandingRoute>(route))
        return landing();
    if (std::holds_alternative<ApiChannelsRoute>(route))
        return apiChannels();
    if (auto* r = std::get_if<WatchRoute>(&route))
        return watch(*r, target.query, request);
    if (auto* r = std::get_if<AssetRoute>(&route))
        return asset(*r);
    if (std::holds_alternative<TimeRoute>(route))
        return time();
    if (std::holds_alternative<HealthRoute>(route))
        return textReply(200, "ok\n");
    if (std::holds_alternative<MetricsRoute>(route))
        return metricsText();
    if (std::holds_alternative<IngestRoute>(route)) {
        HttpReply reply = textReply(405, "ingest takes POST\n");
        reply.headers.emplace_back("Allow", "POST, OPTIONS");
        return reply;
    }
    return textReply(404, "not found\n");
}

HttpReply OriginResponder::landing() const {
    return assetReply("index.html", "no-cache");
}

HttpReply OriginResponder::apiChannels() const {
    nlohmann::json list = nlohmann::json::array();
    for (const std::string& name : store_.channelNames()) {
        auto channel = store_.find(name);
        if (!channel)
            continue;
        const ChannelViewPtr view = channel->view();
        nlohmann::json tracks = nlohmann::json::array();
        bool hasMedia = false;
        for (const TrackView& t : view->tracks) {
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

HttpReply OriginResponder::watch(const WatchRoute& r, const RouteQuery& q,
                                 const HttpRequest& request) const {
    const std::string& passcode = config_.viewPasscode;
    if (!passcode.empty() && !viewerAllowed(passcode, q.code, request.cookie)) {
        HttpReply form =
            textReply(200, passcodeForm(r.channel, q.code.has_value()), "text/html; charset=utf-8");
        return form;
    }
    HttpReply reply = assetReply("player.html", "no-cache");
    if (!passcode.empty() && q.code && reply.status == 200) {
        reply.headers.emplace_back("Set-Cookie", std::string(kViewCookie) + "=" +
                                                     cookieEncode(*q.code) +
                                                     "; Path=/; HttpOnly; SameSite=Lax");
        reply.cacheControl = "no-store";
    }
    return reply;
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

HttpReply OriginResponder::metricsText() const {
    return textReply(200, stats_.renderPrometheus(store_, unixNowMs()),
                     "text/plain; version=0.0.4; charset=utf-8");
}

}  // namespace podium::publisher::origin

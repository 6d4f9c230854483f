// podium-origin: the studio's origin as a standalone server — a publishing point any encoder
// can push to (Smooth or DASH-IF CMAF ingest), serving LL-HLS, DASH and Smooth to players.
#include <sys/stat.h>

#include <QCommandLineParser>
#include <QCoreApplication>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "app/cli/cli_support.h"
#include "app/cli/origin_options.h"
#include "app/session/origin_url.h"
#include "app/session/process_tuning.h"
#include "capture/av_handles.h"
#include "publisher/origin/channel_store.h"
#include "publisher/origin/server/origin_server.h"
#include "publisher/relay/channel_relay.h"
#include "publisher/relay/pull_client.h"

using namespace podium;

namespace {

/// The ingest credentials of the command line. A token given on the command line or in a
/// file is never printed; with neither, a random one is made and printed (`generated`).
struct Credentials {
    std::string anyChannelToken;
    publisher::origin::PublishTokens perChannel;
    bool generated = false;
    std::string describe;  ///< how the start-up line names them (no secret unless generated)
};

Result<Credentials> credentialsFrom(const QCommandLineParser& parser) {
    Credentials out;
    auto token = cli::secretOption(parser, "publish-token");
    if (!token) {
        return makeError(token.error());
    }
    if (parser.isSet("publish-token-file")) {
        const std::string path = parser.value("publish-token-file").toStdString();
        auto tokens = publisher::origin::PublishTokens::loadFile(path);
        if (!tokens) {
            return makeError(tokens.error());
        }
        struct stat info {};
        if (::stat(path.c_str(), &info) == 0 && (info.st_mode & (S_IRWXG | S_IRWXO)) != 0) {
            std::fprintf(stderr, "warning: %s is readable by other users (chmod 600 it)\n",
                         path.c_str());
        }
        out.perChannel = std::move(*tokens);
        out.describe =
            "a token of " + path + " (" + std::to_string(out.perChannel.size()) + " entries)";
    }
    if (*token) {
        out.anyChannelToken = **token;
        out.describe = (out.describe.empty() ? "" : out.describe + " or ") +
                       "the token given with --publish-token";
    }
    if (out.describe.empty()) {
        out.anyChannelToken = app::randomToken();
        out.generated = true;
        out.describe = "token " + out.anyChannelToken;
    }
    return out;
}

}  // namespace

int main(int argc, char** argv) {
    app::tuneProcessForVideo();
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName("podium-origin");
    QCommandLineParser parser;
    parser.setApplicationDescription(
        "A publishing point: encoders POST Smooth or CMAF to /live/<channel>.isml/Streams(<id>); "
        "players get LL-HLS, DASH and Smooth.");
    parser.addOptions({
        {"listen", "Address and port to listen on (default 127.0.0.1:8080).", "ADDR:PORT",
         "127.0.0.1:8080"},
        {"publish-token",
         "Token encoders must send for any channel (Bearer, or Basic password). Without it "
         "and without --publish-token-file: a random one, printed.",
         "TOKEN"},
        {"publish-token-file",
         "Per-channel publish tokens: one \"CHANNEL TOKEN\" per line (CHANNEL * for any "
         "channel; # comments). Keep it chmod 600.",
         "FILE"},
        {"view-passcode",
         "Viewers need CODE to watch, and to see the channel list (/, /api/channels).", "CODE"},
        {"metrics-token",
         "/metrics needs Authorization: Bearer TOKEN (default: open, or the viewer passcode "
         "when there is one).",
         "TOKEN"},
        {"dvr", "Seconds of each channel's live window (default 60).", "SECONDS", "60"},
        {"threads", "Server threads (default 2).", "N", "2"},
        {"push-to",
         "Relay every channel to a publishing point (repeatable): "
         "[smooth|cmaf|hls|dash=]URL[,BACKUP...]; /<channel>.isml is appended "
         "(/<channel> for hls/dash). Default protocol: smooth.",
         "SPEC"},
        {"push-token", "Token sent to the --push-to destinations (Bearer, or user:password).",
         "TOKEN"},
        {"pull-from",
         "Pull a channel from an upstream origin (repeatable): "
         "http://host/live/<channel>/index.m3u8[,BACKUP_URL...].",
         "URLS"},
    });
    cli::addOriginLimitOptions(parser);
    if (!cli::parseOrExplain(parser, "", QCoreApplication::arguments().mid(1))) {
        return parser.isSet("help") ? 0 : 2;
    }
    auto listen = app::parseListenAddress(parser.value("listen").toStdString(), false);
    if (!listen) {
        return cli::fail(listen.error().toString());
    }
    bool isNumber = false;
    const double dvr = parser.value("dvr").toDouble(&isNumber);
    if (!isNumber || dvr < 6) {
        return cli::fail("--dvr must be at least 6 seconds");
    }
    auto limits = cli::originLimitsFrom(parser);
    if (!limits) {
        return cli::fail(limits.error().toString());
    }
    auto credentials = credentialsFrom(parser);
    if (!credentials) {
        return cli::fail(credentials.error().toString());
    }
    auto passcode = cli::secretOption(parser, "view-passcode");
    auto metricsToken = cli::secretOption(parser, "metrics-token");
    if (!passcode || !metricsToken) {
        return cli::fail((passcode ? metricsToken.error() : passcode.error()).toString());
    }
    publisher::origin::ChannelConfig defaults;
    defaults.dvrWindow = MediaTime::fromSeconds(dvr, kVideoTimescale);
    defaults.partTarget = MediaTime{0, kVideoTimescale};  // ingested fragments have no parts
    defaults.maxBytes = limits->maxDvrBytesPerChannel;
    defaults.maxSegmentsPerTrack = limits->maxSegmentsPerTrack;
    defaults.qoe.maxViewers = std::size_t(limits->maxQoeViewers);
    defaults.expiresWhenIdle = true;  // ingested channels end and go when their encoder stops
    publisher::origin::ChannelStore store(defaults);
    publisher::origin::OriginConfig config;
    config.bindAddress = listen->address;
    config.port = listen->port;
    config.threads = std::max(1, parser.value("threads").toInt());
    config.publishToken = credentials->anyChannelToken;
    config.publishTokens = credentials->perChannel;
    config.viewPasscode = passcode->value_or("");
    config.metricsToken = metricsToken->value_or("");
    config.limits = *limits;
    capture::routeLibavLogs();
    auto server = publisher::origin::OriginServer::start(config, store);
    if (!server) {
        return cli::fail(server.error().toString());
    }
    const std::string base =
        "http://" + app::viewerHost(listen->address) + ":" + std::to_string((*server)->port());
    std::printf("podium-origin listening on %s\n", base.c_str());
    std::printf("publish: POST %s/live/<channel>.isml/Streams(<id>) with %s\n", base.c_str(),
                credentials->describe.c_str());
    std::printf("watch: %s/watch/<channel>   channels: %s/\n", base.c_str(), base.c_str());
    std::vector<std::unique_ptr<publisher::relay::PullClient>> pulls;
    for (const QString& spec : parser.values("pull-from")) {
        publisher::relay::PullOptions pullOptions;
        pullOptions.maxBodyBytes = limits->maxPullBodyBytes;
        pullOptions.maxTracks = static_cast<size_t>(limits->maxTracksPerChannel);
        auto pull = publisher::relay::PullClient::start(store, spec.toStdString(), pullOptions);
        if (!pull) {
            return cli::fail(pull.error().toString());
        }
        std::printf("pull-from: channel %s from %s\n", (*pull)->status().channel.c_str(),
                    spec.toStdString().c_str());
        pulls.push_back(std::move(*pull));
    }
    std::vector<std::unique_ptr<publisher::relay::ChannelRelay>> relays;
    for (const QString& spec : parser.values("push-to")) {
        auto relay = publisher::relay::ChannelRelay::start(
            store, spec.toStdString(), parser.value("push-token").toStdString());
        if (!relay) {
            return cli::fail(relay.error().toString());
        }
        std::printf("push-to: every channel to %s\n", (*relay)->destination().c_str());
        relays.push_back(std::move(*relay));
    }
    std::fflush(stdout);
    cli::installStopSignals();
    std::string lastReport;
    auto nextReport = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (!cli::stopSignalled()) {
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
        if (std::chrono::steady_clock::now() < nextReport) {
            continue;
        }
        nextReport += std::chrono::seconds(10);
        std::string report;
        for (const auto& p : pulls) {
            const auto s = p->status();
            report += "pull " + s.channel + " " + publisher::relay::pullStateName(s.state) + " " +
                      std::to_string(s.segments) + " segments from " + s.url +
                      (s.lastError.empty() ? "" : ": " + s.lastError) + "\n";
        }
        for (const auto& r : relays) {
            report += "push-to " + r->destination() + ": " +
                      publisher::relay::formatRelayStatus(r->status()) + "\n";
        }
        if (report != lastReport) {
            std::printf("%s", report.c_str());
            std::fflush(stdout);
            lastReport = report;
        }
    }
    for (auto& p : pulls) {
        p->stop();
    }
    for (auto& r : relays) {
        r->stop();
    }
    (*server)->stop();
    std::printf("podium-origin stopped\n");
    return 0;
}

// podium-origin: the studio's origin as a standalone server — a publishing point any encoder
// can push to (Smooth or DASH-IF CMAF ingest), serving LL-HLS, DASH and Smooth to players.
#include <QCommandLineParser>
#include <QCoreApplication>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <thread>

#include "app/cli/cli_support.h"
#include "app/cli/origin_url.h"
#include "app/session/process_tuning.h"
#include "capture/av_handles.h"
#include "publisher/origin/segment_store.h"
#include "publisher/origin/server/origin_server.h"

using namespace podium;

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
        {"publish-token", "Token encoders must send (Bearer, or Basic password). Default: a "
                          "random one, printed.", "TOKEN"},
        {"view-passcode", "Viewers need CODE to watch.", "CODE"},
        {"dvr", "Seconds of each channel's live window (default 60).", "SECONDS", "60"},
        {"threads", "Server threads (default 2).", "N", "2"},
    });
    if (!cli::parseOrExplain(parser, "", QCoreApplication::arguments().mid(1))) {
        return parser.isSet("help") ? 0 : 2;
    }
    auto listen = cli::parseListenAddress(parser.value("listen").toStdString(), false);
    if (!listen) {
        return cli::fail(listen.error().toString());
    }
    bool isNumber = false;
    const double dvr = parser.value("dvr").toDouble(&isNumber);
    if (!isNumber || dvr < 6) {
        return cli::fail("--dvr must be at least 6 seconds");
    }
    publisher::origin::ChannelConfig defaults;
    defaults.dvrWindow = MediaTime::fromSeconds(dvr, kVideoTimescale);
    defaults.partTarget = MediaTime{0, kVideoTimescale};  // ingested fragments have no parts
    publisher::origin::SegmentStore store(defaults);
    publisher::origin::OriginConfig config;
    config.bindAddress = listen->address;
    config.port = listen->port;
    config.threads = std::max(1, parser.value("threads").toInt());
    config.publishToken = parser.isSet("publish-token") ? parser.value("publish-token").toStdString()
                                                        : cli::randomToken();
    config.viewPasscode = parser.value("view-passcode").toStdString();
    capture::routeLibavLogs();
    auto server = publisher::origin::OriginServer::start(config, store);
    if (!server) {
        return cli::fail(server.error().toString());
    }
    const std::string base =
        "http://" + cli::viewerHost(listen->address) + ":" + std::to_string((*server)->port());
    std::printf("podium-origin listening on %s\n", base.c_str());
    std::printf("publish: POST %s/live/<channel>.isml/Streams(<id>) with token %s\n", base.c_str(),
                config.publishToken.c_str());
    std::printf("watch: %s/watch/<channel>   channels: %s/\n", base.c_str(), base.c_str());
    std::fflush(stdout);
    cli::installStopSignals();
    while (!cli::stopSignalled()) {
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    (*server)->stop();
    std::printf("podium-origin stopped\n");
    return 0;
}

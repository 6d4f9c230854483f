#include <QCommandLineParser>
#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdio>
#include <optional>
#include <utility>

#include "app/cli/cli_support.h"
#include "app/cli/commands.h"
#include "app/cli/origin_options.h"
#include "app/cli/terminal_qr.h"
#include "app/session/origin_url.h"
#include "app/session/session.h"
#include "core/log.h"
#include "core/url_name.h"
#include "publisher/push/push_target.h"

namespace podium::cli {

namespace {

std::string describeLadder(const encoder::Preset& p) {
    std::string out;
    for (const auto& r : p.renditions) {
        out += (out.empty() ? "" : ", ") + r.id + " " + std::to_string(r.width) + "x" +
               std::to_string(r.height) + " " + std::to_string(r.bitrateKbps) + " kb/s";
    }
    return out;
}

/// The origin's secrets: given ones are used (never printed); an empty one is refused.
struct OriginSecrets {
    std::optional<std::string> publishToken;
    std::optional<std::string> viewPasscode;
    std::optional<std::string> metricsToken;
};

Result<OriginSecrets> secretsFrom(const QCommandLineParser& parser) {
    OriginSecrets out;
    const std::pair<const char*, std::optional<std::string>*> options[] = {
        {"publish-token", &out.publishToken},
        {"view-passcode", &out.viewPasscode},
        {"metrics-token", &out.metricsToken}};
    for (const auto& [name, slot] : options) {
        auto value = secretOption(parser, name);
        if (!value) {
            return makeError(value.error());
        }
        *slot = std::move(*value);
    }
    return out;
}

Result<app::SessionConfig> configFrom(const QCommandLineParser& parser, bool* tokenGenerated) {
    app::SessionConfig config;
    auto secrets = secretsFrom(parser);
    if (!secrets) {
        return makeError(secrets.error());
    }
    auto spec = app::SourceSpec::parse(parser.value("source").toStdString());
    if (!spec) {
        return makeError(spec.error());
    }
    config.source = *spec;
    const QString presetName = parser.isSet("preset")
                                   ? parser.value("preset")
                                   : QString::fromStdString(encoder::defaultPresetName());
    auto preset = encoder::findPreset(presetName.toStdString());
    if (!preset) {
        return makeError(preset.error());
    }
    config.preset = *preset;
    auto audio = app::AudioSpec::parse(parser.value("audio").toStdString());
    if (!audio) {
        return makeError(audio.error());
    }
    config.sourceOptions.audio = *audio;
    config.sourceOptions.title = parser.value("title").toStdString();
    config.sourceOptions.pipSpec = parser.value("pip").toStdString();
    config.sourceOptions.latencyProbe = parser.isSet("latency-probe");
    config.sourceOptions.pacing = capture::Pacing::RealTime;
    config.sourceOptions.portalTokenFile = app::defaultPortalTokenFile();
    config.ladder.framePolicy = encoder::FanoutPolicy::DropOldestCommon;
    config.archiveDir = parser.value("archive").toStdString();
    for (const auto& text : parser.values("publish")) {
        auto target = publisher::push::PushTarget::parse(text.toStdString(),
                                                         secrets->publishToken.value_or(""));
        if (!target) {
            return makeError(target.error().withContext("--publish " + text.toStdString()));
        }
        target->caFile = parser.value("publish-ca").toStdString();
        config.destinations.push_back(std::move(*target));
    }
    bool spoolIsNumber = false;
    config.publishSpoolSeconds = parser.value("publish-spool").toDouble(&spoolIsNumber);
    if (!spoolIsNumber || config.publishSpoolSeconds < 2) {
        return makeError(ErrorCode::InvalidArgument, "--publish-spool must be at least 2 seconds");
    }
    config.publishSpoolDir = parser.value("publish-spool-dir").toStdString();
    if (parser.isSet("origin") || parser.isSet("share")) {
        auto listen = app::parseListenAddress(
            parser.isSet("origin") ? parser.value("origin").toStdString() : "8080",
            parser.isSet("share"));
        if (!listen) {
            return makeError(listen.error());
        }
        auto& o = config.origin;
        o.enabled = true;
        o.bindAddress = listen->address;
        o.port = listen->port;
        o.channel = parser.value("channel").toStdString();
        o.viewPasscode = secrets->viewPasscode.value_or("");
        o.metricsToken = secrets->metricsToken.value_or("");
        *tokenGenerated = !secrets->publishToken;
        o.publishToken = secrets->publishToken ? *secrets->publishToken : app::randomToken();
        auto limits = originLimitsFrom(parser);
        if (!limits) {
            return makeError(limits.error());
        }
        o.limits = *limits;
        bool isNumber = false;
        o.dvrSeconds = parser.value("dvr").toDouble(&isNumber);
        if (!isNumber || o.dvrSeconds < 6) {
            return makeError(ErrorCode::InvalidArgument, "--dvr must be at least 6 seconds");
        }
        if (!isUrlName(o.channel)) {
            return makeError(ErrorCode::InvalidArgument,
                             "--channel may use " + urlNameRule() + " (got \"" + o.channel + "\")");
        }
    }
    return config;
}

void printOrigin(const app::OriginOptions& o, uint16_t port, bool tokenGenerated) {
    const std::string base =
        "http://" + app::viewerHost(o.bindAddress) + ":" + std::to_string(port);
    std::string viewer = base + "/watch/" + o.channel;
    if (!o.viewPasscode.empty()) {
        viewer += "?code=" + o.viewPasscode;
    }
    std::printf("viewer: %s\n", viewer.c_str());
    std::printf(
        "hls: %s/live/%s/index.m3u8  dash: %s/live/%s/index.mpd  smooth: "
        "%s/live/%s.isml/Manifest\n",
        base.c_str(), o.channel.c_str(), base.c_str(), o.channel.c_str(), base.c_str(),
        o.channel.c_str());
    // A token the user gave is theirs to know; only a generated one is shown.
    const std::string token =
        tokenGenerated ? "token " + o.publishToken : "the token given with --publish-token";
    std::printf("publish into this origin: POST %s/live/<channel>.isml/Streams(<id>) with %s\n",
                base.c_str(), token.c_str());
    if (o.bindAddress == "127.0.0.1") {
        std::printf("(only this computer can watch; add --share to share on the LAN)\n");
    }
    std::fputs(terminalQrCode(viewer).c_str(), stdout);
}

}  // namespace

int runStream(const QStringList& args) {
    QCommandLineParser parser;
    parser.setApplicationDescription("Capture, encode the preset's ladder and publish it.");
    parser.addOptions({
        {"source",
         "testpattern, file:PATH[:loop], screen[:DISPLAY[+X,Y,WxH]], window:ID, "
         "portal[:choose], camera[:/dev/videoN]. Plain \"screen\" uses the desktop "
         "portal on Wayland.",
         "SOURCE", "testpattern"},
        {"pip", "Webcam picture-in-picture: camera[:/dev/videoN].", "CAMERA"},
        {"preset", "Preset name or a .json file (default \"User group 720p\").", "PRESET"},
        {"audio",
         "testtone, pulse[:DEVICE] or none (default: the source's own sound; the "
         "default microphone for screen and camera).",
         "AUDIO", "auto"},
        {"title", "Lower-third title.", "TEXT"},
        {"latency-probe",
         "Draw a clock code in the picture's top-right corner, so viewers' pages show "
         "glass to glass (the test pattern always has it)."},
        {"archive", "Write an HLS archive (VOD of exactly what went out) into DIR.", "DIR"},
        {"origin", "Host the local origin on [ADDR:]PORT (default address 127.0.0.1).",
         "[ADDR:]PORT"},
        {"share", "Share the origin on the LAN (listen on all interfaces)."},
        {"channel", "Channel name on the origin (default \"live\").", "NAME", "live"},
        {"view-passcode", "Viewers need CODE to watch.", "CODE"},
        {"publish",
         "Push to a publishing point: [smooth|cmaf|hls|dash=]URL[,BACKUP_URL...]. "
         "Repeat for several. Without a prefix, a URL with .isml is Smooth ingest, "
         "any other CMAF ingest. Credentials: URL userinfo or --publish-token.",
         "[PROTOCOL=]URL"},
        {"publish-spool",
         "Seconds of media kept per destination to re-send after a reconnect "
         "(default 30).",
         "SECONDS", "30"},
        {"publish-spool-dir",
         "Keep that media on disk in DIR instead of in memory (for long "
         "spools on a flaky uplink).",
         "DIR"},
        {"publish-ca",
         "CA certificate (PEM) to verify the publishing points' TLS certificates "
         "with (default: the system's CAs).",
         "FILE"},
        {"publish-token",
         "Publish token: sent to --publish targets whose URL has no "
         "credentials, and required from encoders publishing into --origin "
         "(default there: a random one, printed).",
         "TOKEN"},
        {"metrics-token", "The origin's /metrics needs Authorization: Bearer TOKEN.", "TOKEN"},
        {"dvr", "Seconds of the live window the origin keeps (default 60).", "SECONDS", "60"},
        {"duration", "Stop after SECONDS (default: until Ctrl-C).", "SECONDS"},
    });
    addOriginLimitOptions(parser);
    if (!parseOrExplain(parser, "stream", args)) {
        return parser.isSet("help") ? 0 : 2;
    }
    double duration = 0;
    if (parser.isSet("duration")) {
        bool isNumber = false;
        duration = parser.value("duration").toDouble(&isNumber);
        if (!isNumber || duration <= 0) {
            std::fprintf(stderr, "error: --duration must be a positive number of seconds\n");
            return 2;
        }
    }
    bool tokenGenerated = false;
    auto config = configFrom(parser, &tokenGenerated);
    if (!config) {
        return fail(config.error().toString());
    }
    auto session = app::Session::create(*config);
    if (!session) {
        return fail(session.error().toString());
    }
    std::printf("Podium: %s, preset \"%s\" (%s)\n", (*session)->describeSource().c_str(),
                config->preset.name.c_str(), describeLadder(config->preset).c_str());
    if (!config->archiveDir.empty()) {
        std::printf("archive: %s/index.m3u8\n", config->archiveDir.c_str());
    }
    for (const auto& target : config->destinations) {
        // Protocol and URL only: credentials never reach the terminal.
        std::printf("publish: %s=%s\n", publisher::push::protocolName(target.protocol),
                    target.url.c_str());
    }
    if (config->origin.enabled) {
        printOrigin(config->origin, (*session)->originPort(), tokenGenerated);
    }
    std::fflush(stdout);

    installStopSignals();
    if (auto r = (*session)->start(); !r) {
        (void)(*session)->stop();
        return fail(r.error().toString());
    }
    auto previous = (*session)->stats();
    auto nextLine = std::chrono::steady_clock::now() + std::chrono::seconds(1);
    while (!(*session)->waitUntilDone(std::chrono::milliseconds(100))) {
        if (stopSignalled() || (duration > 0 && (*session)->stats().elapsedSeconds >= duration)) {
            (*session)->requestStop();
            break;
        }
        if (std::chrono::steady_clock::now() >= nextLine) {
            nextLine += std::chrono::seconds(1);
            auto now = (*session)->stats();
            std::printf("%s\n", formatStatusLine(now, previous).c_str());
            std::fflush(stdout);
            previous = now;
        }
    }
    const auto result = (*session)->stop();
    const auto last = (*session)->stats();
    std::printf("stopped after %.1f s: %llu frames in, %llu dropped, %llu segments\n",
                last.elapsedSeconds, static_cast<unsigned long long>(last.ladder.framesIn),
                static_cast<unsigned long long>(last.ladder.droppedFrames),
                static_cast<unsigned long long>(last.segmentsOut));
    if (!result) {
        return fail(result.error().toString());
    }
    return 0;
}

}  // namespace podium::cli

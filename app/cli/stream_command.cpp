#include <QCommandLineParser>
#include <chrono>
#include <cstdio>

#include "app/cli/cli_support.h"
#include "app/cli/commands.h"
#include "app/session/session.h"
#include "core/log.h"

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

Result<app::SessionConfig> configFrom(const QCommandLineParser& parser) {
    app::SessionConfig config;
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
    const QString audio = parser.value("audio");
    if (audio != "testtone" && audio != "none") {
        return makeError(ErrorCode::InvalidArgument,
                         "--audio must be testtone or none (got \"" + audio.toStdString() + "\")");
    }
    config.sourceOptions.withAudio = audio != "none";
    config.sourceOptions.title = parser.value("title").toStdString();
    config.sourceOptions.pacing = capture::Pacing::RealTime;
    config.ladder.framePolicy = encoder::FanoutPolicy::DropOldestCommon;
    config.archiveDir = parser.value("archive").toStdString();
    return config;
}

}  // namespace

int runStream(const QStringList& args) {
    QCommandLineParser parser;
    parser.setApplicationDescription("Capture, encode the preset's ladder and publish it.");
    parser.addOptions({
        {"source", "testpattern or file:PATH[:loop].", "SOURCE", "testpattern"},
        {"preset", "Preset name or a .json file (default \"User group 720p\").", "PRESET"},
        {"audio", "testtone or none.", "AUDIO", "testtone"},
        {"title", "Title drawn on the test pattern.", "TEXT"},
        {"archive", "Write an HLS archive (VOD of exactly what went out) into DIR.", "DIR"},
        {"duration", "Stop after SECONDS (default: until Ctrl-C).", "SECONDS"},
    });
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
    auto config = configFrom(parser);
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

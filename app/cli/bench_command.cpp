#include <QCommandLineParser>
#include <chrono>
#include <cstdio>

#include "app/cli/cli_support.h"
#include "app/cli/commands.h"
#include "app/session/session.h"

namespace podium::cli {

int runBench(const QStringList& args) {
    QCommandLineParser parser;
    parser.setApplicationDescription(
        "Encode FILE through a preset's ladder as fast as possible (no frame drops) and print "
        "the throughput.");
    parser.addOptions({
        {"input", "Input file (y4m, mp4, mkv...).", "FILE"},
        {"preset", "Preset name or .json file (default \"User group 720p\").", "PRESET"},
        {"threads", "x264 threads per rendition (default: sized from cores and ladder).", "N"},
    });
    if (!parseOrExplain(parser, "bench", args)) {
        return parser.isSet("help") ? 0 : 2;
    }
    if (!parser.isSet("input")) {
        std::fprintf(stderr, "error: bench needs --input FILE\n");
        return 2;
    }
    app::SessionConfig config;
    config.source.kind = app::SourceSpec::Kind::File;
    config.source.path = parser.value("input").toStdString();
    config.sourceOptions.pacing = capture::Pacing::AsFastAsPossible;
    config.ladder.framePolicy = encoder::FanoutPolicy::Block;
    config.ladder.x264ThreadsPerRendition = parser.value("threads").toInt();
    auto preset = encoder::findPreset(parser.isSet("preset") ? parser.value("preset").toStdString()
                                                             : encoder::defaultPresetName());
    if (!preset) {
        return fail(preset.error().toString());
    }
    config.preset = *preset;
    auto session = app::Session::create(config);
    if (!session) {
        return fail(session.error().toString());
    }
    const auto begin = std::chrono::steady_clock::now();
    if (auto r = (*session)->start(); !r) {
        return fail(r.error().toString());
    }
    (*session)->waitUntilDone(std::chrono::hours(24));
    const auto result = (*session)->stop();
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - begin).count();
    if (!result) {
        return fail(result.error().toString());
    }
    const auto stats = (*session)->stats();
    const double fps = double(stats.ladder.framesIn) / seconds;
    std::printf("bench: preset \"%s\", %zu renditions, %llu frames in %.2f s: %.1f fps "
                "(%.2fx real time)\n",
                config.preset.name.c_str(), config.preset.renditions.size(),
                static_cast<unsigned long long>(stats.ladder.framesIn), seconds, fps,
                fps * config.preset.fpsDen / config.preset.fpsNum);
    return 0;
}

}  // namespace podium::cli

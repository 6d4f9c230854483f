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
        {"threads", "x264 threads per rendition: N for all, or a list N1,N2,... in ladder order "
                    "(default: sized from the cores and each rendition's share of the pixels).",
         "N[,N...]"},
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
    if (parser.isSet("threads")) {
        const QStringList parts = parser.value("threads").split(',');
        for (const auto& part : parts) {
            bool isNumber = false;
            const int n = part.toInt(&isNumber);
            if (!isNumber || n < 1 || n > 64) {
                std::fprintf(stderr, "error: --threads takes numbers from 1 to 64\n");
                return 2;
            }
            config.ladder.x264Threads.push_back(n);
        }
    }
    if (config.ladder.x264Threads.size() == 1) {
        config.ladder.x264Threads.resize(16, config.ladder.x264Threads.front());
    }
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

#include <QCommandLineParser>
#include <cstdio>

#include "app/cli/cli_support.h"
#include "app/cli/commands.h"
#include "encoder/preset.h"
#include "encoder/preset_catalog.h"

namespace podium::cli {

int runPresets(const QStringList& args) {
    QCommandLineParser parser;
    parser.setApplicationDescription("List the built-in presets and your own (" +
                                     QString::fromStdString(encoder::userPresetFolder()) +
                                     ") with their ladders.");
    if (!parseOrExplain(parser, "presets", args)) {
        return parser.isSet("help") ? 0 : 2;
    }
    const std::string defaultName = encoder::defaultPresetName();
    std::vector<encoder::Preset> presets = encoder::builtinPresets();
    encoder::UserPresets user = encoder::loadUserPresets();
    presets.insert(presets.end(), user.presets.begin(), user.presets.end());
    for (const auto& p : presets) {
        const char* tag = p.name == defaultName    ? " (default)"
                          : !encoder::isBuiltin(p) ? " (yours)"
                                                   : "";
        std::printf("%s%s\n  %s\n", p.name.c_str(), tag, p.description.c_str());
        if (!encoder::isBuiltin(p)) {
            std::printf("  %s\n", p.sourceName.c_str());
        }
        std::printf(
            "  canvas %dx%d @ %g fps, %g s segments, %g s parts, x264 %s/%s%s%s, "
            "AAC-LC %d kb/s %d Hz %d ch\n",
            p.canvasWidth, p.canvasHeight, double(p.fpsNum) / p.fpsDen, p.segmentSeconds,
            p.partSeconds, p.x264Preset.c_str(), p.x264Profile.c_str(),
            p.x264Tune.empty() ? "" : "/", p.x264Tune.c_str(), p.audioBitrateKbps,
            p.audioSampleRate, p.audioChannels);
        std::printf("  %-8s %-11s %10s %10s\n", "id", "size", "kb/s", "max kb/s");
        for (const auto& r : p.renditions) {
            std::printf("  %-8s %5dx%-5d %10d %10d\n", r.id.c_str(), r.width, r.height,
                        r.bitrateKbps, r.maxBitrateKbps);
        }
        std::printf("\n");
    }
    for (const Status& problem : user.problems) {
        std::fprintf(stderr, "skipped: %s\n", problem.toString().c_str());
    }
    return 0;
}

}  // namespace podium::cli

#include "app/session/source_spec.h"

#include "capture/file_source.h"
#include "capture/test_pattern_source.h"

namespace podium::app {

Result<SourceSpec> SourceSpec::parse(const std::string& text) {
    SourceSpec spec;
    if (text.empty() || text == "testpattern") {
        return spec;
    }
    const std::string filePrefix = "file:";
    if (text.rfind(filePrefix, 0) == 0) {
        spec.kind = Kind::File;
        spec.path = text.substr(filePrefix.size());
        const std::string loopSuffix = ":loop";
        if (spec.path.size() > loopSuffix.size() &&
            spec.path.compare(spec.path.size() - loopSuffix.size(), loopSuffix.size(),
                              loopSuffix) == 0) {
            spec.loop = true;
            spec.path.resize(spec.path.size() - loopSuffix.size());
        }
        if (spec.path.empty()) {
            return makeError(ErrorCode::InvalidArgument, "--source file: needs a path (file:PATH)");
        }
        return spec;
    }
    return makeError(ErrorCode::InvalidArgument,
                     "unknown --source \"" + text + "\" (expected testpattern or file:PATH[:loop])");
}

std::string SourceSpec::toString() const {
    if (kind == Kind::TestPattern) {
        return "testpattern";
    }
    return "file:" + path + (loop ? ":loop" : "");
}

Result<std::unique_ptr<capture::MediaSource>> openSource(const SourceSpec& spec,
                                                         const encoder::Preset& preset,
                                                         const SourceOptions& options,
                                                         const Clock& clock) {
    if (spec.kind == SourceSpec::Kind::TestPattern) {
        capture::TestPatternConfig config;
        config.width = preset.canvasWidth;
        config.height = preset.canvasHeight;
        config.fpsNum = preset.fpsNum;
        config.fpsDen = preset.fpsDen;
        config.withAudio = options.withAudio;
        config.sampleRate = preset.audioSampleRate;
        config.channels = preset.audioChannels;
        config.title = options.title;
        return std::unique_ptr<capture::MediaSource>(
            std::make_unique<capture::TestPatternSource>(config, clock, options.pacing));
    }
    capture::FileSourceConfig config;
    config.path = spec.path;
    config.loop = spec.loop;
    config.pacing = options.pacing;
    config.canvasWidth = preset.canvasWidth;
    config.canvasHeight = preset.canvasHeight;
    config.fpsNum = preset.fpsNum;
    config.fpsDen = preset.fpsDen;
    auto source = capture::FileSource::open(config, clock);
    if (!source) {
        return makeError(source.error());
    }
    return std::unique_ptr<capture::MediaSource>(std::move(*source));
}

}  // namespace podium::app

#pragma once

#include <memory>
#include <string>

#include "capture/media_source.h"
#include "core/clock.h"
#include "core/status.h"
#include "encoder/preset.h"

namespace podium::app {

/// A parsed `--source` value: "testpattern" or "file:PATH[:loop]".
struct SourceSpec {
    enum class Kind { TestPattern = 1, File };
    Kind kind = Kind::TestPattern;
    std::string path;  ///< file sources
    bool loop = false;

    static Result<SourceSpec> parse(const std::string& text);
    [[nodiscard]] std::string toString() const;
};

struct SourceOptions {
    capture::Pacing pacing = capture::Pacing::RealTime;
    bool withAudio = true;  ///< test tone / the file's audio
    std::string title;
};

/// Opens the source a spec names, producing frames at the preset's canvas size and rate.
/// Errors name the source ("file source \"x.mp4\": cannot open: ...").
Result<std::unique_ptr<capture::MediaSource>> openSource(const SourceSpec& spec,
                                                         const encoder::Preset& preset,
                                                         const SourceOptions& options,
                                                         const Clock& clock);

}  // namespace podium::app

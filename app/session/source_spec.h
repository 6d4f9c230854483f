#pragma once

#include <memory>
#include <string>

#include "capture/media_source.h"
#include "core/clock.h"
#include "core/status.h"
#include "encoder/preset.h"

namespace podium::app {

/// A parsed `--source` value:
///   testpattern | file:PATH[:loop] | screen[:DISPLAY[+X,Y,WxH]] | window:ID|TITLE |
///   camera[:/dev/videoN]
struct SourceSpec {
    enum class Kind { TestPattern = 1, File, Screen, Camera };
    Kind kind = Kind::TestPattern;
    std::string text = "testpattern";  ///< as given (screen/window/camera specs are parsed later)
    std::string path;                  ///< file sources
    bool loop = false;

    static Result<SourceSpec> parse(const std::string& text);
    [[nodiscard]] std::string toString() const { return text; }
};

/// Where the sound comes from. Auto: the test tone for the test pattern, the file's own audio
/// for a file, the default PulseAudio input for a screen or camera (none if there is no
/// PulseAudio server, with a warning).
struct AudioSpec {
    enum class Kind { Auto = 1, TestTone, Pulse, None };
    Kind kind = Kind::Auto;
    std::string pulseSpec;  ///< "pulse" or "pulse:DEVICE"

    static Result<AudioSpec> parse(const std::string& text);
};

struct SourceOptions {
    capture::Pacing pacing = capture::Pacing::RealTime;
    AudioSpec audio;
    std::string title;    ///< lower-third title (burned into the test pattern itself)
    std::string pipSpec;  ///< "camera[:/dev/videoN]": webcam picture-in-picture; empty = none
};

/// Opens the source graph the spec and options name — the main source, an optional webcam
/// picture-in-picture, a separate audio source, a title — producing frames at the preset's
/// canvas size and rate. Errors name the source ("file source \"x.mp4\": cannot open: ...").
Result<std::unique_ptr<capture::MediaSource>> openSource(const SourceSpec& spec,
                                                         const encoder::Preset& preset,
                                                         const SourceOptions& options,
                                                         const Clock& clock);

}  // namespace podium::app

#pragma once

#include <cstdlib>
#include <functional>
#include <memory>
#include <stop_token>
#include <string>

#include "capture/compositor.h"
#include "capture/media_source.h"
#include "core/clock.h"
#include "core/status.h"
#include "encoder/preset.h"

namespace podium::app {

/// A parsed `--source` value:
///   testpattern | file:PATH[:loop] | screen[:DISPLAY[+X,Y,WxH]] | window:ID|TITLE |
///   portal[:choose] | camera[:/dev/videoN]
/// Plain `screen` takes the desktop portal on a Wayland session and X11 otherwise (see
/// chooseScreenPath); `screen:DISPLAY...` and `window:` are always X11, `portal` always the
/// portal (`portal:choose` asks again instead of restoring the last choice).
struct SourceSpec {
    enum class Kind { TestPattern = 1, File, Screen, Camera, Portal };
    Kind kind = Kind::TestPattern;
    std::string text = "testpattern";  ///< as given (screen/window/camera specs are parsed later)
    std::string path;                  ///< file sources
    bool loop = false;
    bool chooseAgain = false;  ///< portal: ignore the kept restore token

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

/// What is drawn over the main picture: a lower-third title and a webcam in a corner.
struct SceneSettings {
    std::string title;             ///< lower-third text; empty = none
    std::string pipSpec;           ///< "camera[:/dev/videoN]": webcam in a corner; empty = none
    capture::PipLayout pipLayout;  ///< which corner, how big
    bool operator==(const SceneSettings&) const = default;
};

/// Which way plain `--source screen` captures, and why in words (logs, `podium-cli sources`).
struct ScreenPath {
    bool portal = false;  ///< true: the desktop portal (Wayland); false: X11
    std::string reason;   ///< e.g. "Wayland session (WAYLAND_DISPLAY=wayland-0)"
};

/// The portal when the session is Wayland (WAYLAND_DISPLAY set, or XDG_SESSION_TYPE=wayland),
/// X11 otherwise. `getenv` reads the environment (tests pass their own).
ScreenPath chooseScreenPath(const std::function<const char*(const char*)>& getenv =
                                [](const char* name) { return std::getenv(name); });

struct SourceOptions {
    capture::Pacing pacing = capture::Pacing::RealTime;
    AudioSpec audio;
    std::string title;    ///< lower-third title (burned into the test pattern itself)
    std::string pipSpec;  ///< "camera[:/dev/videoN]": webcam picture-in-picture; empty = none
    capture::PipLayout pipLayout;
    /// Always compose (a capture::CompositeSource), so that the title and the PiP can change
    /// while running (applyScene). The title is then a lower third on every source, the test
    /// pattern included (its own caption stays the default).
    bool editableScene = false;
    /// Draw the latency probe strip (capture/latency_strip.h) into every picture, so viewers'
    /// pages can show glass to glass (--latency-probe). The test pattern always has it (drawn
    /// again over a composed scene, which may cover the corner).
    bool latencyProbe = false;

    [[nodiscard]] SceneSettings scene() const { return {title, pipSpec, pipLayout}; }

    /// Wayland screens (the desktop portal). The restore token of the last choice, so the
    /// desktop need not ask again ("" = ask); it is single-use, and the new one the desktop
    /// hands back goes to onPortalRestoreToken (the GUI keeps it in its settings) or, when that
    /// is unset, into portalTokenFile (podium-cli), which is also read when
    /// portalRestoreToken is empty. Neither set: nothing is kept.
    std::string portalRestoreToken;
    std::string portalTokenFile;
    std::function<void(const std::string&)> onPortalRestoreToken;
    std::string portalBusAddress;  ///< "" = the session bus
    std::stop_token stop;          ///< ends a wait for the desktop's dialog (Stop pressed)
};

/// Where podium-cli keeps the portal's restore token: $XDG_STATE_HOME/podium/portal-token
/// (default ~/.local/state/podium/portal-token). Empty when neither variable is set.
std::string defaultPortalTokenFile();

/// What an error of this source is about (Status::withSubject): File, Camera, Screen; None for
/// the test pattern.
Subject subjectOf(const SourceSpec& spec);

/// Opens the source graph the spec and options name — the main source, an optional webcam
/// picture-in-picture, a separate audio source, a title — producing frames at the preset's
/// canvas size and rate. Errors name the source ("file source \"x.mp4\": cannot open: ...")
/// and carry the subject of what failed to open (the source, Subject::Microphone for the
/// pulse input, Subject::Camera for the picture-in-picture camera).
Result<std::unique_ptr<capture::MediaSource>> openSource(const SourceSpec& spec,
                                                         const encoder::Preset& preset,
                                                         const SourceOptions& options,
                                                         const Clock& clock);

/// Changes the title and PiP of a source openSource() made with editableScene, from `before`
/// to `after`: the title and a PiP move at once; a different PiP camera is opened (at the size
/// openSource uses) and swapped in. Owner thread of `source`; opening a camera may take a
/// second. A camera that cannot be opened is an error naming it, and the PiP stays as it was.
Result<void> applyScene(capture::MediaSource& source, const SceneSettings& before,
                        const SceneSettings& after, const encoder::Preset& preset,
                        const Clock& clock);

}  // namespace podium::app

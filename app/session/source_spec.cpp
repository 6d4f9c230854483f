#include "app/session/source_spec.h"

#include "capture/camera_source.h"
#include "capture/composite_source.h"
#include "capture/file_source.h"
#include "capture/latency_probe_source.h"
#include "capture/portal_screen_source.h"
#include "capture/pulse_audio_source.h"
#include "capture/screen_source.h"
#include "capture/test_pattern_source.h"
#include "core/log.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <system_error>

namespace podium::app {

namespace {

bool startsWith(const std::string& text, const std::string& prefix) {
    return text.rfind(prefix, 0) == 0;
}

using SourcePtr = std::unique_ptr<capture::MediaSource>;

Result<SourcePtr> openTestPattern(const encoder::Preset& preset, const SourceOptions& options,
                                  bool withTone, const Clock& clock) {
    capture::TestPatternConfig config;
    config.width = preset.canvasWidth;
    config.height = preset.canvasHeight;
    config.fpsNum = preset.fpsNum;
    config.fpsDen = preset.fpsDen;
    config.withAudio = withTone;
    config.sampleRate = preset.audioSampleRate;
    config.channels = preset.audioChannels;
    // An editable scene draws the title as a lower third (it can change); the pattern keeps its
    // own.
    config.title = options.editableScene ? capture::TestPatternConfig{}.title : options.title;
    return SourcePtr(std::make_unique<capture::TestPatternSource>(config, clock, options.pacing));
}

Result<SourcePtr> openFile(const SourceSpec& spec, const encoder::Preset& preset,
                           const SourceOptions& options, const Clock& clock) {
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
    return SourcePtr(std::move(*source));
}

Result<SourcePtr> openScreen(const std::string& text, const encoder::Preset& preset,
                             const Clock& clock) {
    auto config = capture::ScreenConfig::fromSpec(text);
    if (!config) {
        return makeError(config.error());
    }
    config->canvasWidth = preset.canvasWidth;
    config->canvasHeight = preset.canvasHeight;
    config->fpsNum = preset.fpsNum;
    config->fpsDen = preset.fpsDen;
    auto source = capture::ScreenSource::open(*config, clock);
    if (!source) {
        return makeError(source.error());
    }
    return SourcePtr(std::move(*source));
}

std::string readTokenFile(const std::string& path) {
    if (path.empty()) {
        return {};
    }
    std::ifstream in(path);
    std::string token;
    std::getline(in, token);
    return token;
}

/// Keeps the new token in `path` (created 0600 with its folder); a failure is only a warning.
void writeTokenFile(const std::string& path, const std::string& token) {
    namespace fs = std::filesystem;
    std::error_code ec;
    fs::create_directories(fs::path(path).parent_path(), ec);
    const std::string temp = path + ".new";
    {
        std::ofstream out(temp, std::ios::trunc);
        out << token << "\n";
        if (!out) {
            logWarning("source", "cannot keep the portal's restore token in " + path +
                                     " (the desktop will ask again next time)");
            return;
        }
    }
    fs::permissions(temp, fs::perms::owner_read | fs::perms::owner_write, ec);
    fs::rename(temp, path, ec);
    if (ec) {
        logWarning("source",
                   "cannot keep the portal's restore token in " + path + ": " + ec.message());
    }
}

Result<SourcePtr> openPortal(const SourceSpec& spec, const encoder::Preset& preset,
                             const SourceOptions& options, const Clock& clock) {
    capture::PortalScreenConfig config;
    config.busAddress = options.portalBusAddress;
    config.canvasWidth = preset.canvasWidth;
    config.canvasHeight = preset.canvasHeight;
    config.fpsNum = preset.fpsNum;
    config.fpsDen = preset.fpsDen;
    if (!spec.chooseAgain) {
        config.request.restoreToken = options.portalRestoreToken.empty()
                                          ? readTokenFile(options.portalTokenFile)
                                          : options.portalRestoreToken;
    }
    logInfo("source", config.request.restoreToken.empty()
                          ? "asking the desktop what to share"
                          : "asking the desktop to share what was chosen last time");
    auto source = capture::PortalScreenSource::open(config, clock, options.stop);
    if (!source) {
        return makeError(source.error());
    }
    const std::string token = (*source)->restoreToken();
    if (!token.empty()) {
        if (options.onPortalRestoreToken) {
            options.onPortalRestoreToken(token);
        } else if (!options.portalTokenFile.empty()) {
            writeTokenFile(options.portalTokenFile, token);
        }
    }
    return SourcePtr(std::move(*source));
}

Result<SourcePtr> openCamera(const std::string& text, int width, int height,
                             const encoder::Preset& preset, const Clock& clock) {
    auto config = capture::CameraConfig::fromSpec(text);
    if (!config) {
        return makeError(config.error());
    }
    config->canvasWidth = width;
    config->canvasHeight = height;
    config->fpsNum = preset.fpsNum;
    config->fpsDen = preset.fpsDen;
    auto source = capture::CameraSource::create(*config, clock);
    if (!source) {
        return makeError(source.error());
    }
    return SourcePtr(std::move(*source));
}

Result<SourcePtr> openPulse(const std::string& text, const Clock& clock) {
    auto config = capture::PulseConfig::fromSpec(text);
    if (!config) {
        return makeError(config.error());
    }
    auto source = capture::PulseAudioSource::open(*config, clock);
    if (!source) {
        return makeError(source.error());
    }
    return SourcePtr(std::move(*source));
}

// An even PiP size: a quarter of the canvas width, the canvas aspect.
int evenPipDimension(double value) {
    return std::max(16, int(value) / 2 * 2);
}

/// The PiP camera, opened at the size its layout shows it (the canvas aspect).
Result<SourcePtr> openPipCamera(const std::string& pipSpec, const capture::PipLayout& layout,
                                const encoder::Preset& preset, const Clock& clock) {
    const int w =
        evenPipDimension(preset.canvasWidth * std::clamp(layout.widthFraction, 0.05, 0.9));
    const int h = evenPipDimension(double(w) * preset.canvasHeight / preset.canvasWidth);
    auto camera = openCamera(pipSpec, w, h, preset, clock);
    if (!camera) {
        return makeError(camera.error().withContext("picture-in-picture"));
    }
    return camera;
}

}  // namespace

Result<SourceSpec> SourceSpec::parse(const std::string& text) {
    SourceSpec spec;
    spec.text = text.empty() ? "testpattern" : text;
    if (spec.text == "testpattern") {
        return spec;
    }
    if (startsWith(spec.text, "file:")) {
        spec.kind = Kind::File;
        spec.path = spec.text.substr(5);
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
    if (spec.text == "screen" || startsWith(spec.text, "screen:") ||
        startsWith(spec.text, "window:")) {
        spec.kind = Kind::Screen;
        if (auto config = capture::ScreenConfig::fromSpec(spec.text); !config) {
            return makeError(config.error());
        }
        return spec;
    }
    if (spec.text == "portal" || spec.text == "portal:choose") {
        spec.kind = Kind::Portal;
        spec.chooseAgain = spec.text == "portal:choose";
        return spec;
    }
    if (spec.text == "camera" || startsWith(spec.text, "camera:")) {
        spec.kind = Kind::Camera;
        if (auto config = capture::CameraConfig::fromSpec(spec.text); !config) {
            return makeError(config.error());
        }
        return spec;
    }
    return makeError(ErrorCode::InvalidArgument,
                     "unknown --source \"" + text +
                         "\" (expected testpattern, file:PATH[:loop], screen[:DISPLAY[+X,Y,WxH]], "
                         "window:ID, portal[:choose], camera[:/dev/videoN])");
}

ScreenPath chooseScreenPath(const std::function<const char*(const char*)>& getenv) {
    const auto value = [&getenv](const char* name) {
        const char* v = getenv(name);
        return std::string(v ? v : "");
    };
    const std::string wayland = value("WAYLAND_DISPLAY");
    if (!wayland.empty()) {
        return {true, "Wayland session (WAYLAND_DISPLAY=" + wayland + ")"};
    }
    if (value("XDG_SESSION_TYPE") == "wayland") {
        return {true, "Wayland session (XDG_SESSION_TYPE=wayland)"};
    }
    const std::string display = value("DISPLAY");
    if (!display.empty()) {
        return {false, "X11 session (DISPLAY=" + display + ")"};
    }
    return {false, "no Wayland session (WAYLAND_DISPLAY unset, XDG_SESSION_TYPE not wayland)"};
}

std::string defaultPortalTokenFile() {
    const char* state = std::getenv("XDG_STATE_HOME");
    if (state != nullptr && state[0] == '/') {
        return std::string(state) + "/podium/portal-token";
    }
    const char* home = std::getenv("HOME");
    if (home != nullptr && home[0] != '\0') {
        return std::string(home) + "/.local/state/podium/portal-token";
    }
    return {};
}

Result<AudioSpec> AudioSpec::parse(const std::string& text) {
    AudioSpec spec;
    if (text.empty() || text == "auto") {
        return spec;
    }
    if (text == "testtone") {
        spec.kind = Kind::TestTone;
    } else if (text == "none") {
        spec.kind = Kind::None;
    } else if (text == "pulse" || startsWith(text, "pulse:")) {
        spec.kind = Kind::Pulse;
        spec.pulseSpec = text;
    } else {
        return makeError(ErrorCode::InvalidArgument,
                         "--audio must be testtone, pulse[:DEVICE] or none (got \"" + text + "\")");
    }
    return spec;
}

Subject subjectOf(const SourceSpec& spec) {
    switch (spec.kind) {
        case SourceSpec::Kind::File:
            return Subject::File;
        case SourceSpec::Kind::Camera:
            return Subject::Camera;
        case SourceSpec::Kind::Screen:
        case SourceSpec::Kind::Portal:
            return Subject::Screen;
        case SourceSpec::Kind::TestPattern:
            break;
    }
    return Subject::None;
}

namespace {

Result<SourcePtr> openSourceGraph(const SourceSpec& spec, const encoder::Preset& preset,
                                  const SourceOptions& options, const Clock& clock) {
    using AudioKind = AudioSpec::Kind;
    const AudioKind audio = options.audio.kind;
    const bool isPattern = spec.kind == SourceSpec::Kind::TestPattern;
    const bool isLive = spec.kind == SourceSpec::Kind::Screen ||
                        spec.kind == SourceSpec::Kind::Camera ||
                        spec.kind == SourceSpec::Kind::Portal;

    Result<SourcePtr> main = makeError(ErrorCode::Internal, "no source");
    switch (spec.kind) {
        case SourceSpec::Kind::TestPattern: {
            const bool tone = audio == AudioKind::Auto || audio == AudioKind::TestTone;
            main = openTestPattern(preset, options, tone, clock);
            break;
        }
        case SourceSpec::Kind::File:
            main = openFile(spec, preset, options, clock);
            break;
        case SourceSpec::Kind::Screen:
            if (spec.text == "screen") {
                const ScreenPath path = chooseScreenPath();
                logInfo("source", "screen: " + path.reason + ": " +
                                      (path.portal ? "through the desktop portal" : "X11"));
                main = path.portal ? openPortal(spec, preset, options, clock)
                                   : openScreen(spec.text, preset, clock);
                if (!main) {
                    main = makeError(main.error().withContext("screen (" + path.reason + ")"));
                }
            } else {
                main = openScreen(spec.text, preset, clock);
            }
            break;
        case SourceSpec::Kind::Portal:
            main = openPortal(spec, preset, options, clock);
            break;
        case SourceSpec::Kind::Camera:
            main = openCamera(spec.text, preset.canvasWidth, preset.canvasHeight, preset, clock);
            break;
    }
    if (!main) {
        return makeError(main.error().withSubject(subjectOf(spec)));
    }

    SourcePtr audioSource;
    if (audio == AudioKind::Pulse || (audio == AudioKind::Auto && isLive)) {
        auto pulse =
            openPulse(audio == AudioKind::Pulse ? options.audio.pulseSpec : "pulse", clock);
        if (pulse) {
            audioSource = std::move(*pulse);
        } else if (audio == AudioKind::Pulse) {
            return makeError(pulse.error().withSubject(Subject::Microphone));
        } else {
            logWarning("source", "no microphone: " + pulse.error().toString() +
                                     " (streaming without audio; --audio pulse:DEVICE picks one)");
        }
    } else if (audio == AudioKind::TestTone && !isPattern) {
        return makeError(ErrorCode::InvalidArgument,
                         "--audio testtone goes with --source testpattern");
    }

    SourcePtr pip;
    if (!options.pipSpec.empty()) {
        auto camera = openPipCamera(options.pipSpec, options.pipLayout, preset, clock);
        if (!camera) {
            return makeError(camera.error().withSubject(Subject::Camera));
        }
        pip = std::move(*camera);
    }

    const bool needsTitleBar = !options.title.empty() && (!isPattern || options.editableScene);
    if (!pip && !audioSource && !needsTitleBar && !options.editableScene) {
        return std::move(*main);
    }
    capture::CompositorConfig compositor;
    compositor.width = preset.canvasWidth;
    compositor.height = preset.canvasHeight;
    if (pip) {
        compositor.pip = options.pipLayout;
    }
    compositor.title = needsTitleBar ? options.title : std::string();
    return SourcePtr(std::make_unique<capture::CompositeSource>(
        std::move(*main), std::move(pip), std::move(audioSource), compositor));
}

}  // namespace

Result<std::unique_ptr<capture::MediaSource>> openSource(const SourceSpec& spec,
                                                         const encoder::Preset& preset,
                                                         const SourceOptions& options,
                                                         const Clock& clock) {
    auto source = openSourceGraph(spec, preset, options, clock);
    // The test pattern draws the strip itself, on the clock of its own timeline; composed
    // (a webcam corner, a scene that can change live) it is drawn again on top, since a
    // top-right webcam would cover the pattern's own.
    const bool pattern = spec.kind == SourceSpec::Kind::TestPattern;
    const bool composed = !options.pipSpec.empty() || options.editableScene;
    if (!source || !(options.latencyProbe || pattern) || (pattern && !composed)) {
        return source;
    }
    return SourcePtr(std::make_unique<capture::LatencyProbeSource>(std::move(*source)));
}

Result<void> applyScene(capture::MediaSource& source, const SceneSettings& before,
                        const SceneSettings& after, const encoder::Preset& preset,
                        const Clock& clock) {
    if (auto* probe = dynamic_cast<capture::LatencyProbeSource*>(&source)) {
        return applyScene(probe->inner(), before, after, preset, clock);
    }
    auto* composite = dynamic_cast<capture::CompositeSource*>(&source);
    if (!composite) {
        return makeError(ErrorCode::FailedPrecondition,
                         "this source was not opened for live title and webcam changes");
    }
    if (after.pipSpec != before.pipSpec) {
        SourcePtr camera;
        if (!after.pipSpec.empty()) {
            auto opened = openPipCamera(after.pipSpec, after.pipLayout, preset, clock);
            if (!opened) {
                return makeError(opened.error().withSubject(Subject::Camera));
            }
            camera = std::move(*opened);
        }
        if (auto swapped = composite->setPip(std::move(camera), after.pipLayout); !swapped) {
            return swapped;
        }
    } else if (after.pipLayout != before.pipLayout && !after.pipSpec.empty()) {
        composite->setPipLayout(after.pipLayout);
    }
    if (after.title != before.title) {
        composite->setTitle(after.title);
    }
    return ok();
}

}  // namespace podium::app

#pragma once

#include <atomic>
#include <memory>
#include <mutex>
#include <optional>

#include "app/session/session.h"
#include "core/clock.h"

namespace podium::gui {

/// What a preview shows: the broadcast's source with its sound, title and webcam, at the
/// preview's own small canvas and low frame rate (previewPreset).
struct PreviewConfig {
    app::SourceSpec source;
    app::SourceOptions options;  ///< editableScene always on
    encoder::Preset preset;      ///< already made small by previewPreset()

    /// Same capture devices and canvas: only the scene (title, webcam) may differ.
    [[nodiscard]] bool sameCaptureAs(const PreviewConfig& other) const;
};

/// `preset` at a preview's size: at most `width` pixels wide with the canvas aspect (even
/// sizes), `fps` frames per second, the same audio.
encoder::Preset previewPreset(const encoder::Preset& preset, int width, int fps);

/// A light capture of what would go out, through the same code as the broadcast
/// (app::openSource): the test pattern, a file, a screen or a camera, the microphone, the
/// title and the webcam in a corner. Keeps the newest picture and sound level for the window.
/// open/start/stop/updateScene from one (worker) thread at a time; the getters from any thread.
/// The newest picture survives stop(): the window keeps showing it until the broadcast's
/// first picture arrives.
class PreviewCapture {
public:
    static Result<std::unique_ptr<PreviewCapture>> open(const PreviewConfig& config);
    ~PreviewCapture();

    [[nodiscard]] Result<void> start();
    void stop();
    /// Changes the title and the webcam without reopening the source.
    [[nodiscard]] Result<void> updateScene(const app::SceneSettings& scene);

    [[nodiscard]] const PreviewConfig& config() const { return config_; }
    [[nodiscard]] std::string describe() const;
    [[nodiscard]] VideoFramePtr latestFrame() const;
    [[nodiscard]] uint64_t framesSeen() const { return frames_.load(); }
    /// Peak sample magnitude (0..1) of the newest audio frame; 0 without audio.
    [[nodiscard]] float audioPeak() const { return audioPeak_.load(); }
    [[nodiscard]] bool hasAudio() const { return hasAudio_; }
    /// Why the source stopped by itself (a camera unplugged, a file ended), if it did.
    [[nodiscard]] std::optional<Status> failure() const;

private:
    PreviewCapture(PreviewConfig config, std::unique_ptr<capture::MediaSource> source);

    PreviewConfig config_;
    SteadyClock clock_;
    std::unique_ptr<capture::MediaSource> source_;
    bool hasAudio_ = false;
    app::SceneSettings scene_;
    mutable std::mutex mutex_;  ///< guards latest_, failure_
    VideoFramePtr latest_;
    std::optional<Status> failure_;
    std::atomic<uint64_t> frames_{0};
    std::atomic<float> audioPeak_{0.0f};
};

}  // namespace podium::gui

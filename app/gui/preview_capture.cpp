#include "app/gui/preview_capture.h"

#include <algorithm>
#include <cmath>

namespace podium::gui {

bool PreviewConfig::sameCaptureAs(const PreviewConfig& other) const {
    const auto& a = options;
    const auto& b = other.options;
    return source.text == other.source.text && a.audio.kind == b.audio.kind &&
           a.audio.pulseSpec == b.audio.pulseSpec && preset == other.preset;
}

encoder::Preset previewPreset(const encoder::Preset& preset, int width, int fps) {
    encoder::Preset small = preset;
    const int canvasW = std::max(2, preset.canvasWidth);
    const int canvasH = std::max(2, preset.canvasHeight);
    small.canvasWidth = std::min(canvasW, width) & ~1;
    small.canvasHeight =
        std::max(2, int(std::lround(double(small.canvasWidth) * canvasH / canvasW)) & ~1);
    small.fpsNum = fps;
    small.fpsDen = 1;
    return small;
}

Result<std::unique_ptr<PreviewCapture>> PreviewCapture::open(const PreviewConfig& config) {
    std::unique_ptr<PreviewCapture> capture(new PreviewCapture(config, nullptr));
    app::SourceOptions options = config.options;
    options.editableScene = true;
    options.pacing = capture::Pacing::RealTime;
    auto source = app::openSource(config.source, config.preset, options, capture->clock_);
    if (!source) {
        return makeError(source.error());
    }
    capture->source_ = std::move(*source);
    const bool muteTheFile = options.audio.kind == app::AudioSpec::Kind::None;
    capture->hasAudio_ = capture->source_->format().hasAudio && !muteTheFile;
    capture->scene_ = options.scene();
    return capture;
}

PreviewCapture::PreviewCapture(PreviewConfig config, std::unique_ptr<capture::MediaSource> source)
    : config_(std::move(config)), source_(std::move(source)) {}

PreviewCapture::~PreviewCapture() {
    stop();
}

Result<void> PreviewCapture::start() {
    capture::SourceCallbacks callbacks;
    callbacks.onVideo = [this](VideoFramePtr f) {
        std::lock_guard lock(mutex_);
        latest_ = std::move(f);
        ++frames_;
    };
    callbacks.onAudio = [this](AudioFramePtr f) {
        float peak = 0.0f;
        for (float v : f->samples) {
            peak = std::max(peak, std::fabs(v));
        }
        audioPeak_.store(hasAudio_ ? std::min(peak, 1.0f) : 0.0f);
    };
    const Subject subject = app::subjectOf(config_.source);
    callbacks.onEnd = [this, subject] {
        std::lock_guard lock(mutex_);
        failure_ = Status(ErrorCode::Cancelled, "the file ended").withSubject(subject);
    };
    callbacks.onError = [this, subject](const Status& s) {
        std::lock_guard lock(mutex_);
        failure_ = s.withSubject(subject);
    };
    auto started = source_->start(std::move(callbacks));
    if (!started) {
        return makeError(started.error().withSubject(subject));
    }
    return ok();
}

void PreviewCapture::stop() {
    if (source_) {
        source_->stop();
    }
    audioPeak_.store(0.0f);
}

Result<void> PreviewCapture::updateScene(const app::SceneSettings& scene) {
    if (scene == scene_) {
        return ok();
    }
    auto r = app::applyScene(*source_, scene_, scene, config_.preset, clock_);
    if (r) {
        scene_ = scene;
        config_.options.title = scene.title;
        config_.options.pipSpec = scene.pipSpec;
        config_.options.pipLayout = scene.pipLayout;
    }
    return r;
}

std::string PreviewCapture::describe() const {
    return source_ ? source_->describe() : std::string();
}

VideoFramePtr PreviewCapture::latestFrame() const {
    std::lock_guard lock(mutex_);
    return latest_;
}

std::optional<Status> PreviewCapture::failure() const {
    std::lock_guard lock(mutex_);
    return failure_;
}

}  // namespace podium::gui

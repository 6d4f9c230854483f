#include "app/gui/preview_controller.h"

#include <QtConcurrent/QtConcurrentRun>

#include "app/gui/problem_text.h"

namespace podium::gui {

struct PreviewController::Worker {
    std::shared_ptr<PreviewCapture> capture;  ///< the worker thread only
    bool running = false;

    void stop() {
        if (capture && running) {
            capture->stop();
        }
        running = false;
    }
};

PreviewController::PreviewController(QObject* parent)
    : QObject(parent),
      worker_(std::make_shared<Worker>()),
      latestRequest_(std::make_shared<std::atomic<uint64_t>>(0)) {
    pool_.setMaxThreadCount(1);
    pool_.setExpiryTimeout(-1);
    connect(&watcher_, &QFutureWatcher<Outcome>::finished, this, &PreviewController::onOpened);
}

PreviewController::~PreviewController() {
    ++*latestRequest_;  // whatever is queued is skipped
    (void)QtConcurrent::run(&pool_, [worker = worker_] { worker->stop(); });
    pool_.waitForDone();
}

void PreviewController::show(const app::SessionConfig& config) {
    PreviewConfig preview{config.source, config.sourceOptions,
                          previewPreset(config.preset, kWidth, kFps)};
    preview.options.editableScene = true;
    wanted_ = preview;
    if (!released_) {
        submit(preview);
    }
}

void PreviewController::submit(const PreviewConfig& config) {
    const uint64_t id = ++*latestRequest_;
    watcher_.setFuture(QtConcurrent::run(
        &pool_, [worker = worker_, latest = latestRequest_, config, id]() -> Outcome {
            if (id != latest->load()) {
                return {worker->capture, {}};  // a newer request follows: skip this one
            }
            if (worker->running && worker->capture->config().sameCaptureAs(config)) {
                auto changed = worker->capture->updateScene(config.options.scene());
                return {worker->capture,
                        changed ? std::nullopt : std::optional<Status>(changed.error())};
            }
            worker->stop();  // the old device is free before the new one opens
            worker->capture.reset();
            auto opened = PreviewCapture::open(config);
            if (!opened) {
                return {nullptr, opened.error()};
            }
            std::shared_ptr<PreviewCapture> capture = std::move(*opened);
            if (auto started = capture->start(); !started) {
                return {nullptr, started.error()};
            }
            worker->capture = capture;
            worker->running = true;
            return {capture, {}};
        }));
}

void PreviewController::onOpened() {
    const Outcome outcome = watcher_.result();
    if (outcome.capture || outcome.error) {
        capture_ = outcome.capture;
    }
    setProblem(outcome.error ? describeSourceProblem(*outcome.error) : QString());
}

QFuture<void> PreviewController::release() {
    released_ = true;
    ++*latestRequest_;  // queued openings are skipped
    return QtConcurrent::run(&pool_, [worker = worker_] { worker->stop(); });
}

void PreviewController::resume() {
    released_ = false;
    capture_.reset();  // the broadcast's last picture stays shown until the preview's first
    if (wanted_) {
        submit(*wanted_);
    }
}

VideoFramePtr PreviewController::latestFrame() const {
    return capture_ ? capture_->latestFrame() : nullptr;
}

float PreviewController::audioPeak() const {
    return capture_ && !released_ ? capture_->audioPeak() : 0.0f;
}

bool PreviewController::hasAudio() const {
    return capture_ && capture_->hasAudio();
}

uint64_t PreviewController::framesSeen() const {
    return capture_ ? capture_->framesSeen() : 0;
}

QString PreviewController::problem() const {
    if (!problem_.isEmpty() || !capture_ || released_) {
        return problem_;
    }
    const auto failure = capture_->failure();
    return failure ? describeSourceProblem(*failure) : QString();
}

void PreviewController::setProblem(const QString& words) {
    if (words != problem_) {
        problem_ = words;
        emit problemChanged(words);
    }
}

}  // namespace podium::gui

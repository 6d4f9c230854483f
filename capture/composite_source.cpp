#include "composite_source.h"

#include <utility>

#include "core/log.h"

namespace podium::capture {

CompositeSource::CompositeSource(std::unique_ptr<MediaSource> main,
                                 std::unique_ptr<MediaSource> pip,
                                 std::unique_ptr<MediaSource> audio, CompositorConfig compositor)
    : main_(std::move(main)),
      pip_(std::move(pip)),
      audio_(std::move(audio)),
      width_(compositor.width & ~1),
      height_(compositor.height & ~1),
      scene_(compositor),
      compositor_(std::move(compositor)) {}

CompositeSource::~CompositeSource() {
    stop();
}

std::string CompositeSource::describe() const {
    std::string text = main_->describe();
    {
        std::lock_guard lock(sceneMutex_);
        if (pip_) {
            text += " + PiP " + pip_->describe();
        }
    }
    if (audio_) {
        text += " + audio " + audio_->describe();
    }
    return text;
}

SourceFormat CompositeSource::format() const {
    SourceFormat f = main_->format();
    f.width = width_;
    f.height = height_;
    if (audio_) {
        const SourceFormat a = audio_->format();
        f.hasAudio = a.hasAudio;
        f.sampleRate = a.sampleRate;
        f.channels = a.channels;
    }
    return f;
}

CompositorConfig CompositeSource::scene() const {
    std::lock_guard lock(sceneMutex_);
    CompositorConfig scene = scene_;
    if (!pip_) {
        scene.pip.reset();
    }
    return scene;
}

void CompositeSource::setTitle(std::string title) {
    std::lock_guard lock(sceneMutex_);
    scene_.title = std::move(title);
    sceneChanged_ = true;
}

void CompositeSource::setPipLayout(PipLayout layout) {
    std::lock_guard lock(sceneMutex_);
    scene_.pip = layout;
    sceneChanged_ = true;
}

Result<void> CompositeSource::startPip(MediaSource& pip, uint64_t generation) {
    SourceCallbacks pipCb;
    pipCb.onVideo = [this, generation](VideoFramePtr f) {
        std::lock_guard lock(pipMutex_);
        if (generation == pipGeneration_) {
            latestPip_ = std::move(f);
        }
    };
    pipCb.onError = [this](const Status& s) {
        logWarning(main_->describe(), "picture-in-picture stopped: " + s.toString());
    };
    return pip.start(std::move(pipCb));
}

Result<void> CompositeSource::setPip(std::unique_ptr<MediaSource> pip, PipLayout layout) {
    uint64_t generation = 0;
    {
        std::lock_guard lock(pipMutex_);
        generation = ++pipGeneration_;  // from now on only the new source's frames count
        latestPip_.reset();
    }
    if (pip && started_) {
        if (auto started = startPip(*pip, generation); !started) {
            return makeError(started.error().withContext("picture-in-picture"));
        }
    }
    std::unique_ptr<MediaSource> old;
    {
        std::lock_guard lock(sceneMutex_);
        old = std::exchange(pip_, std::move(pip));
        scene_.pip = pip_ ? std::optional<PipLayout>(layout) : std::nullopt;
        sceneChanged_ = true;
    }
    if (old) {
        old->stop();  // joins its thread: outside the locks, its callback takes pipMutex_
    }
    return ok();
}

void CompositeSource::composeAndDeliver(const VideoFramePtr& frame) {
    {
        std::lock_guard lock(sceneMutex_);
        if (sceneChanged_) {
            compositor_ = Compositor(scene_);
            sceneChanged_ = false;
        }
    }
    VideoFramePtr pip;
    {
        std::lock_guard lock(pipMutex_);
        pip = latestPip_;
    }
    VideoFramePtr out = compositor_.compose(frame, pip);
    std::lock_guard lock(deliverMutex_);
    if (callbacks_.onVideo) {
        callbacks_.onVideo(std::move(out));
    }
}

Result<void> CompositeSource::start(SourceCallbacks callbacks) {
    callbacks_ = std::move(callbacks);
    started_ = true;
    if (pip_) {
        uint64_t generation = 0;
        {
            std::lock_guard lock(pipMutex_);
            generation = pipGeneration_;
        }
        if (auto started = startPip(*pip_, generation); !started) {
            logWarning(describe(), "picture-in-picture unavailable: " + started.error().toString());
        }
    }
    if (audio_) {
        SourceCallbacks audioCb;
        audioCb.onAudio = [this](AudioFramePtr f) {
            std::lock_guard lock(deliverMutex_);
            if (callbacks_.onAudio) {
                callbacks_.onAudio(std::move(f));
            }
        };
        audioCb.onError = [this](const Status& s) {
            logWarning(describe(), "audio stopped: " + s.toString());
        };
        if (auto started = audio_->start(std::move(audioCb)); !started) {
            if (pip_) {
                pip_->stop();
            }
            started_ = false;
            return makeError(started.error().withContext(describe()));
        }
    }
    SourceCallbacks mainCb;
    mainCb.onVideo = [this](VideoFramePtr f) { composeAndDeliver(f); };
    if (!audio_) {
        mainCb.onAudio = [this](AudioFramePtr f) {
            std::lock_guard lock(deliverMutex_);
            if (callbacks_.onAudio) {
                callbacks_.onAudio(std::move(f));
            }
        };
    }
    mainCb.onEnd = [this] {
        if (callbacks_.onEnd) {
            callbacks_.onEnd();
        }
    };
    mainCb.onError = [this](const Status& s) {
        if (callbacks_.onError) {
            callbacks_.onError(s);
        }
    };
    if (auto started = main_->start(std::move(mainCb)); !started) {
        stop();
        return makeError(started.error().withContext(describe()));
    }
    return ok();
}

void CompositeSource::stop() {
    main_->stop();
    if (pip_) {
        pip_->stop();
    }
    if (audio_) {
        audio_->stop();
    }
    started_ = false;
}

}  // namespace podium::capture

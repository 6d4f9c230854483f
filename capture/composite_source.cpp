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
      compositor_(std::move(compositor)) {}

CompositeSource::~CompositeSource() {
    stop();
}

std::string CompositeSource::describe() const {
    std::string text = main_->describe();
    if (pip_) {
        text += " + PiP " + pip_->describe();
    }
    if (audio_) {
        text += " + audio " + audio_->describe();
    }
    return text;
}

SourceFormat CompositeSource::format() const {
    SourceFormat f = main_->format();
    f.width = compositor_.config().width;
    f.height = compositor_.config().height;
    if (audio_) {
        const SourceFormat a = audio_->format();
        f.hasAudio = a.hasAudio;
        f.sampleRate = a.sampleRate;
        f.channels = a.channels;
    }
    return f;
}

Result<void> CompositeSource::start(SourceCallbacks callbacks) {
    callbacks_ = std::move(callbacks);
    if (pip_) {
        SourceCallbacks pipCb;
        pipCb.onVideo = [this](VideoFramePtr f) {
            std::lock_guard lock(pipMutex_);
            latestPip_ = std::move(f);
        };
        pipCb.onError = [this](const Status& s) {
            logWarning(describe(), "picture-in-picture stopped: " + s.toString());
        };
        if (auto started = pip_->start(std::move(pipCb)); !started) {
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
            return makeError(started.error().withContext(describe()));
        }
    }
    SourceCallbacks mainCb;
    mainCb.onVideo = [this](VideoFramePtr f) {
        VideoFramePtr pip;
        {
            std::lock_guard lock(pipMutex_);
            pip = latestPip_;
        }
        VideoFramePtr out = compositor_.compose(f, pip);
        std::lock_guard lock(deliverMutex_);
        if (callbacks_.onVideo) {
            callbacks_.onVideo(std::move(out));
        }
    };
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
}

}  // namespace podium::capture

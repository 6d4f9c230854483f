#include "file_source.h"

#include <algorithm>
#include <exception>
#include <filesystem>
#include <utility>

#include "capture/file_decoder.h"

namespace podium::capture {
namespace {

constexpr int kAudioRate = AudioResampler::kSampleRate;
constexpr int kAudioChannels = AudioResampler::kChannels;
constexpr int kAudioChunk = kAudioRate / 100;  ///< 10 ms frames

}  // namespace

Result<std::unique_ptr<FileSource>> FileSource::open(FileSourceConfig config, const Clock& clock) {
    const std::string context = "file source \"" + config.path + "\"";
    if (config.canvasWidth < 2 || config.canvasHeight < 2 || config.fpsNum <= 0 ||
        config.fpsDen <= 0) {
        return makeError(Status(ErrorCode::InvalidArgument, "bad canvas size or frame rate")
                             .withContext(context));
    }
    auto decoder = FileDecoder::open(config.path, config.canvasWidth, config.canvasHeight);
    if (!decoder) {
        return makeError(decoder.error().withContext(context));
    }
    return std::unique_ptr<FileSource>(
        new FileSource(std::move(config), clock, std::move(*decoder)));
}

FileSource::FileSource(FileSourceConfig config, const Clock& clock,
                       std::unique_ptr<FileDecoder> decoder)
    : config_(std::move(config)),
      decoder_(std::move(decoder)),
      hasAudio_(decoder_->hasAudio()),
      thread_(clock) {}

FileSource::~FileSource() {
    stop();
}

std::string FileSource::describe() const {
    return "file " + std::filesystem::path(config_.path).filename().string();
}

SourceFormat FileSource::format() const {
    return {config_.canvasWidth, config_.canvasHeight, config_.fpsNum, config_.fpsDen,
            hasAudio_,           kAudioRate,           kAudioChannels};
}

Status FileSource::withFile(const Status& status) const {
    return status.withContext("file source \"" + config_.path + "\"");
}

Result<void> FileSource::start(SourceCallbacks callbacks) {
    if (thread_.running()) {
        return makeError(withFile(Status(ErrorCode::InvalidArgument, "already started")));
    }
    if (started_) {  // a second run starts the file and the timeline again
        if (auto rewound = decoder_->rewind(); !rewound) {
            return makeError(withFile(rewound.error()));
        }
    }
    started_ = true;
    resetTimeline();
    ThreadFailure onFailure = callbacks.onError;  // a throw in the loop ends the source
    return thread_.start(
        describe(), [this, cb = std::move(callbacks)](std::stop_token stop) { run(stop, cb); },
        std::move(onFailure));
}

void FileSource::stop() {
    thread_.stop();
}

void FileSource::resetTimeline() {
    pictures_.clear();
    audioFifo_.clear();
    fifoRead_ = 0;
    audioSent_ = passOffset90k_ = passEnd90k_ = passPictures_ = videoEnd90k_ = 0;
    passAudioAligned_ = finished_ = false;
}

int64_t FileSource::outputPts(int64_t sequence) const {
    return rescaleTicks(sequence, config_.fpsNum, int64_t(kVideoTimescale) * config_.fpsDen);
}

int64_t FileSource::audioEnd() const {
    return audioSent_ + int64_t(audioFifo_.size() - fifoRead_) / kAudioChannels;
}

Result<void> FileSource::decodeMore() {
    auto item = decoder_->next();
    if (!item) {
        return makeError(item.error());
    }
    if (auto* video = std::get_if<DecodedVideo>(&*item)) {
        acceptVideo(std::move(*video));
    } else if (auto* audio = std::get_if<DecodedAudio>(&*item)) {
        acceptAudio(std::move(*audio));
    } else {
        return endPass();
    }
    return ok();
}

void FileSource::acceptVideo(DecodedVideo video) {
    const int64_t pts = passOffset90k_ + video.pts.value;
    passEnd90k_ = std::max(passEnd90k_, pts + std::max<int64_t>(1, video.duration.value));
    ++passPictures_;
    pictures_.push_back({std::move(video.frame), nullptr, pts});
}

void FileSource::acceptAudio(DecodedAudio audio) {
    if (!hasAudio_) {
        return;
    }
    const int64_t count = int64_t(audio.samples.size()) / kAudioChannels;
    int64_t skip = 0;
    if (!passAudioAligned_) {  // place the pass's first audio on the video timeline
        passAudioAligned_ = true;
        const int64_t passStart =
            rescaleTicks(passOffset90k_, kVideoTimescale, kAudioRate, Rounding::Nearest);
        const int64_t expected = passStart + (audio.pts ? audio.pts->value : 0);
        const int64_t end = audioEnd();
        if (expected > end) {
            audioFifo_.insert(audioFifo_.end(), size_t(expected - end) * kAudioChannels, 0.0f);
        } else {
            skip = std::min(count, end - expected);
        }
    }
    audioFifo_.insert(audioFifo_.end(), audio.samples.begin() + skip * kAudioChannels,
                      audio.samples.end());
}

Result<void> FileSource::endPass() {
    if (passPictures_ == 0) {
        return makeError(ErrorCode::Parse, "no picture could be decoded");
    }
    if (!config_.loop) {
        finished_ = true;
        videoEnd90k_ = passEnd90k_;
        return ok();
    }
    int64_t next = passEnd90k_;
    if (hasAudio_) {
        next = std::max(next, rescaleTicks(audioEnd(), kAudioRate, kVideoTimescale, Rounding::Up));
        const int64_t target = rescaleTicks(next, kVideoTimescale, kAudioRate, Rounding::Nearest);
        if (target > audioEnd()) {  // silence up to the seam
            audioFifo_.insert(audioFifo_.end(), size_t(target - audioEnd()) * kAudioChannels, 0.f);
        }
    }
    passOffset90k_ = passEnd90k_ = next;
    passPictures_ = 0;
    passAudioAligned_ = false;
    return decoder_->rewind();
}

template <typename NeedMore>
Result<bool> FileSource::fill(const std::stop_token& stop, NeedMore needMore) {
    while (!finished_ && needMore()) {
        if (stop.stop_requested()) {
            return false;
        }
        if (auto decoded = decodeMore(); !decoded) {
            return makeError(decoded.error());
        }
    }
    return true;
}

VideoFramePtr FileSource::nextVideo(int64_t sequence) {
    const int64_t t = outputPts(sequence);
    while (pictures_.size() >= 2 && pictures_[1].pts90k <= t) {
        pictures_.pop_front();  // never shown: the file is faster than the preset
    }
    Picture& picture = pictures_.front();
    std::shared_ptr<VideoFrame> out =
        picture.unsent ? std::move(picture.unsent) : std::make_shared<VideoFrame>(*picture.sent);
    out->pts = MediaTime{t, kVideoTimescale};
    out->sequence = sequence;
    picture.sent = out;
    return out;
}

AudioFramePtr FileSource::nextAudio() {
    const int64_t available = audioEnd() - audioSent_;
    const int64_t count = std::min<int64_t>(available, kAudioChunk);
    auto audio = std::make_shared<AudioFrame>();
    audio->sampleRate = kAudioRate;
    audio->channels = kAudioChannels;
    audio->pts = MediaTime{audioSent_, kAudioRate};
    const auto first = audioFifo_.begin() + std::ptrdiff_t(fifoRead_);
    audio->samples.assign(first, first + count * kAudioChannels);
    fifoRead_ += size_t(count) * kAudioChannels;
    audioSent_ += count;
    if (fifoRead_ > audioFifo_.size() / 2) {  // compact now and then, not per frame
        audioFifo_.erase(audioFifo_.begin(), audioFifo_.begin() + std::ptrdiff_t(fifoRead_));
        fifoRead_ = 0;
    }
    return audio;
}

void FileSource::run(const std::stop_token& stop, const SourceCallbacks& cb) {
    auto fail = [&](const Status& status) {
        if (cb.onError && !stop.stop_requested()) {
            cb.onError(withFile(status));
        }
    };
    try {
        for (int64_t sequence = 0; !stop.stop_requested();) {
            const int64_t videoPts = outputPts(sequence);
            auto ready = fill(stop, [&] {
                return pictures_.empty() || pictures_.back().pts90k <= videoPts ||
                       (hasAudio_ && audioEnd() - audioSent_ < kAudioChunk);
            });
            if (!ready) {
                return fail(ready.error());
            }
            if (!*ready) {
                return;
            }
            const bool videoDone = finished_ && videoPts >= videoEnd90k_;
            const bool audioDone = !hasAudio_ || (finished_ && audioEnd() == audioSent_);
            if (videoDone && audioDone) {
                if (cb.onEnd) {
                    cb.onEnd();
                }
                return;
            }
            const MediaTime videoDue{videoPts, kVideoTimescale};
            const MediaTime audioDue{audioSent_, kAudioRate};
            const bool audioNext = !audioDone && (videoDone || audioDue < videoDue);
            if (config_.pacing == Pacing::RealTime &&
                !thread_.waitUntil(audioNext ? audioDue : videoDue, stop)) {
                return;
            }
            if (audioNext) {
                auto audio = nextAudio();
                if (cb.onAudio) {
                    cb.onAudio(std::move(audio));
                }
            } else {
                auto video = nextVideo(sequence++);
                if (cb.onVideo) {
                    cb.onVideo(std::move(video));
                }
            }
        }
    } catch (const std::exception& e) {
        fail(Status(ErrorCode::Internal, std::string("unexpected failure: ") + e.what()));
    }
}

}  // namespace podium::capture

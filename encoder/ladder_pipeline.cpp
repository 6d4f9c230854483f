#include "encoder/ladder_pipeline.h"

#include <algorithm>
#include <cmath>
#include <exception>

#include "core/log.h"
#include "core/thread.h"
#include "encoder/aac_encoder.h"
#include "encoder/rendition_worker.h"
#include "encoder/scaler.h"
#include "encoder/x264_encoder.h"

namespace podium::encoder {

namespace {

constexpr size_t kAudioQueueFrames = 200;  // 2 s of 10 ms frames; audio is never dropped

int coreCount() {
    return std::max(1u, std::thread::hardware_concurrency());
}

// x264 frame threads for one rendition: its share of the ladder's pixels times x264's own
// auto rule (1.5 threads per core), at least 1. The workers already run in parallel, so a
// small rendition gets no frame threading of its own (no added latency or overhead).
int threadsFor(const RenditionSpec& r, const Preset& preset) {
    double total = 0;
    for (const auto& other : preset.renditions) {
        total += double(other.width) * other.height;
    }
    const double share = double(r.width) * r.height / total;
    return std::max(1, int(std::lround(1.5 * coreCount() * share)));
}

}  // namespace

LadderPipeline::LadderPipeline(const Preset& preset, const LadderOptions& options)
    : preset_(preset),
      options_(options),
      schedule_(preset.segmentDuration(), preset.partDuration()) {}

LadderPipeline::~LadderPipeline() {
    finish();
}

Result<std::unique_ptr<LadderPipeline>> LadderPipeline::create(const Preset& preset,
                                                               const LadderOptions& options) {
    std::unique_ptr<LadderPipeline> p(new LadderPipeline(preset, options));
    const int framesPerSegment = static_cast<int>(
        std::lround(preset.segmentSeconds * preset.fpsNum / std::max(1, preset.fpsDen)));
    int index = 0;
    for (const auto& r : preset.renditions) {
        auto scaler = Scaler::create(preset.canvasWidth, preset.canvasHeight, r.width, r.height);
        if (!scaler) {
            return makeError(scaler.error().withContext("rendition " + r.id));
        }
        X264Config config;
        config.width = r.width;
        config.height = r.height;
        config.fpsNum = preset.fpsNum;
        config.fpsDen = preset.fpsDen;
        config.bitrateKbps = r.bitrateKbps;
        config.maxBitrateKbps = r.maxBitrateKbps;
        config.preset = preset.x264Preset;
        config.profile = preset.x264Profile;
        config.tune = preset.x264Tune;
        config.lookaheadFrames = preset.x264LookaheadFrames;
        config.keyintMax = framesPerSegment;
        const size_t i = static_cast<size_t>(index);
        config.threads = i < options.x264Threads.size() && options.x264Threads[i] > 0
                             ? options.x264Threads[i]
                             : threadsFor(r, preset);
        auto x264 = X264Encoder::create(config, index);
        if (!x264) {
            return makeError(x264.error().withContext("rendition " + r.id));
        }
        p->tracks_.push_back((*x264)->trackInfo(r.id));
        p->workers_.push_back(
            std::make_unique<RenditionWorker>(index, r.id, std::move(*scaler), std::move(*x264)));
        ++index;
    }
    if (options.withAudio) {
        AacConfig config{preset.audioSampleRate, preset.audioChannels, preset.audioBitrateKbps};
        auto aac = AacEncoder::create(config, index);
        if (!aac) {
            return makeError(aac.error().withContext("audio"));
        }
        p->tracks_.push_back((*aac)->trackInfo("audio"));
        p->audio_ = std::move(*aac);
    }
    return p;
}

Result<void> LadderPipeline::start(PacketQueue& out, std::function<void(const Status&)> onError) {
    if (started_) {
        return makeError(ErrorCode::Internal, "ladder pipeline started twice");
    }
    started_ = true;
    out_ = &out;
    onError_ = std::move(onError);
    frames_ = std::make_unique<FrameFanout>(static_cast<int>(workers_.size()),
                                            options_.frameQueueCapacity, options_.framePolicy,
                                            "ladder/frames");
    auto report = [this](const Status& s) { reportError(s); };
    for (auto& w : workers_) {
        if (auto started = w->start(*frames_, out, report); !started) {
            finish();
            return started;
        }
    }
    if (audio_) {
        audioFrames_ = std::make_unique<BoundedQueue<AudioFramePtr>>(
            kAudioQueueFrames, OverflowPolicy::Block, "ladder/audio");
        auto thread = startThread(
            "encode audio", [this](std::stop_token) { runAudio(); }, report);
        if (!thread) {
            finish();
            return makeError(thread.error().withContext("audio"));
        }
        audioThread_ = std::move(*thread);
    }
    return ok();
}

void LadderPipeline::reportError(const Status& status) {
    std::call_once(errorOnce_, [&] {
        logError("encoder", status.toString());
        if (onError_) {
            onError_(status);
        }
    });
}

void LadderPipeline::pushVideo(const VideoFramePtr& frame) {
    if (!frames_ || finished_) {
        return;
    }
    const bool startsSegment = !lastPts_ || schedule_.isSegmentBoundary(*lastPts_, frame->pts);
    lastPts_ = frame->pts;
    ++framesIn_;
    frames_->push(ScheduledFrame{frame, startsSegment});
}

void LadderPipeline::pushAudio(const AudioFramePtr& frame) {
    if (audioFrames_ && !finished_) {
        audioFrames_->push(frame);
    }
}

void LadderPipeline::runAudio() {
    auto emit = [this](std::vector<EncodedPacket>&& packets) {
        for (auto& p : packets) {
            ++audioPackets_;
            out_->push(std::make_shared<const EncodedPacket>(std::move(p)));
        }
    };
    while (auto frame = audioFrames_->pop()) {
        auto packets = audio_->encode(**frame);
        if (!packets) {
            reportError(packets.error().withContext("audio"));
            return;
        }
        emit(std::move(*packets));
    }
    auto rest = audio_->flush();
    if (!rest) {
        reportError(rest.error().withContext("audio"));
        return;
    }
    emit(std::move(*rest));
}

void LadderPipeline::finish() {
    if (finished_) {
        return;
    }
    finished_ = true;
    if (frames_) {
        frames_->close();
    }
    if (audioFrames_) {
        audioFrames_->close();
    }
    for (auto& w : workers_) {
        w->join();
    }
    if (audioThread_.joinable()) {
        audioThread_.join();
    }
}

LadderStats LadderPipeline::stats() const {
    LadderStats s;
    for (size_t i = 0; i < workers_.size(); ++i) {
        const auto& w = workers_[i];
        s.renditions.push_back(RenditionStats{w->id(), w->framesEncoded(), w->bytesOut(),
                                              w->lastPts(),
                                              frames_ ? frames_->queuedFrames(int(i)) : 0});
    }
    s.droppedFrames = frames_ ? frames_->droppedFrames() : 0;
    s.framesIn = framesIn_;
    s.audioPackets = audioPackets_;
    return s;
}

}  // namespace podium::encoder

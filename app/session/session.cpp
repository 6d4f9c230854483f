#include "app/session/session.h"

#include <algorithm>
#include <cmath>
#include <exception>

#include "capture/av_handles.h"
#include "core/log.h"
#include "core/thread.h"
#include "publisher/archive/archive_sink.h"
#include "publisher/mp4/packager.h"
#include "publisher/origin/origin_sink.h"
#include "publisher/origin/server/origin_server.h"
#include "publisher/push/curl_handle.h"
#include "publisher/push/push_factory.h"
#include "publisher/relay/remote_audience.h"

namespace podium::app {

namespace {
constexpr size_t kPacketQueueCapacity = 1024;  // packets of all tracks; Block: never dropped

DestinationState destinationState(publisher::SinkState state) {
    switch (state) {
        case publisher::SinkState::Live:
            return DestinationState::Live;
        case publisher::SinkState::Failed:
            return DestinationState::Failed;
        case publisher::SinkState::Finished:
            return DestinationState::Finished;
    }
    return DestinationState::Failed;
}

DestinationState destinationState(publisher::push::PushState state) {
    switch (state) {
        case publisher::push::PushState::Connecting:
            return DestinationState::Connecting;
        case publisher::push::PushState::Live:
            return DestinationState::Live;
        case publisher::push::PushState::Retrying:
            return DestinationState::Retrying;
        case publisher::push::PushState::Failed:
            return DestinationState::Failed;
        case publisher::push::PushState::Finished:
            return DestinationState::Finished;
    }
    return DestinationState::Failed;
}
}  // namespace

const char* destinationStateName(DestinationState state) {
    switch (state) {
        case DestinationState::Connecting:
            return "connecting";
        case DestinationState::Live:
            return "live";
        case DestinationState::Retrying:
            return "retrying";
        case DestinationState::Failed:
            return "failed";
        case DestinationState::Finished:
            return "finished";
    }
    return "?";
}

/// Counts finished segments on their way from the packager to the fan-out.
class Session::SegmentCounter final : public publisher::PackagerListener {
public:
    explicit SegmentCounter(publisher::PackagerListener& next) : next_(next) {}
    void onInitSegment(const publisher::InitSegmentPtr& init) override {
        next_.onInitSegment(init);
    }
    void onChunk(const publisher::ChunkPtr& chunk) override { next_.onChunk(chunk); }
    void onSegment(const publisher::SegmentPtr& segment) override {
        ++segments_;
        next_.onSegment(segment);
    }
    void onEndOfStream() override { next_.onEndOfStream(); }
    [[nodiscard]] uint64_t segments() const { return segments_; }

private:
    publisher::PackagerListener& next_;
    std::atomic<uint64_t> segments_{0};
};

Session::Session(SessionConfig config) : config_(std::move(config)) {}

Session::~Session() {
    if (started_ && !stopped_) {
        (void)stop();
    }
}

Result<std::unique_ptr<Session>> Session::create(SessionConfig config) {
    capture::routeLibavLogs();
    std::unique_ptr<Session> s(new Session(std::move(config)));
    const auto& preset = s->config_.preset;
    s->scene_ = s->config_.sourceOptions.scene();

    auto source = openSource(s->config_.source, preset, s->config_.sourceOptions, s->clock_);
    if (!source) {
        return makeError(source.error());
    }
    s->source_ = std::move(*source);
    // --audio none also silences a file's own sound track.
    s->config_.ladder.withAudio = s->source_->format().hasAudio &&
                                  s->config_.sourceOptions.audio.kind != AudioSpec::Kind::None;

    auto ladder = encoder::LadderPipeline::create(preset, s->config_.ladder);
    if (!ladder) {
        return makeError(ladder.error()
                             .withContext("preset \"" + preset.name + "\"")
                             .withSubject(Subject::Encoder));
    }
    s->ladder_ = std::move(*ladder);

    // Media time 0 is now: the session clock and the wall clock of media time 0
    // (PROGRAM-DATE-TIME, DASH availabilityStartTime) are taken at the same instant, so PDTs
    // are exact. The source starts a few milliseconds later and catches up at once. Every
    // destination gets this one epoch with the stream's description.
    s->clock_.restart();
    s->wallClockAnchorMs_ = wallClockMillis();
    s->fanout_ = std::make_unique<publisher::SinkFanout>(publisher::StreamDescription(
        s->ladder_->tracks(), s->ladder_->schedule(), s->wallClockAnchorMs_));
    if (auto r = s->addOrigin(); !r) {
        return makeError(r.error().withSubject(Subject::Origin));
    }
    if (auto r = s->addArchive(); !r) {
        return makeError(r.error().withSubject(Subject::Archive));
    }
    if (auto r = s->addPushTargets(); !r) {
        return makeError(r.error().withSubject(Subject::Destination));
    }
    s->counter_ = std::make_unique<SegmentCounter>(*s->fanout_);
    s->packager_ = std::make_unique<publisher::Packager>(s->ladder_->tracks(),
                                                         s->ladder_->schedule(), *s->counter_);
    s->packets_ = std::make_unique<encoder::PacketQueue>(kPacketQueueCapacity,
                                                         OverflowPolicy::Block, "packets");
    return s;
}

Result<void> Session::addOrigin() {
    const auto& o = config_.origin;
    if (!o.enabled) {
        return ok();
    }
    const auto& preset = config_.preset;
    publisher::origin::ChannelConfig channel;
    channel.name = o.channel;
    channel.segmentTarget = preset.segmentDuration();
    channel.partTarget = preset.partDuration();
    channel.dvrWindow = MediaTime::fromSeconds(o.dvrSeconds, kVideoTimescale);
    channel.maxBytes = o.limits.maxDvrBytesPerChannel;
    channel.maxSegmentsPerTrack = o.limits.maxSegmentsPerTrack;
    channel.qoe.maxViewers = std::size_t(o.limits.maxQoeViewers);
    channel.partHoldBackParts = preset.partHoldBackParts;
    channel.dashLatencyTargetMs = std::llround(preset.dashLatencyTargetSeconds * 1000.0);
    store_ = std::make_unique<publisher::origin::ChannelStore>(channel);
    publisher::origin::OriginConfig server;
    server.bindAddress = o.bindAddress;
    server.port = o.port;
    server.publishToken = o.publishToken;
    server.viewPasscode = o.viewPasscode;
    server.metricsToken = o.metricsToken;
    server.limits = o.limits;
    auto started = publisher::origin::OriginServer::start(server, *store_);
    if (!started) {
        return makeError(started.error().withContext("origin"));
    }
    server_ = std::move(*started);
    // In memory and fast; should it ever fall behind, whole segments go, never the packager.
    auto sink = std::make_unique<publisher::origin::OriginSink>(*store_, channel);
    destinationInfo_.push_back({sink->name(), DestinationKind::Origin, o.channel});
    return fanout_->addSink(std::move(sink), publisher::SinkQueuePolicy::dropOldestSegment(256));
}

Result<void> Session::addArchive() {
    if (config_.archiveDir.empty()) {
        return ok();
    }
    publisher::ArchiveSinkConfig archive;
    archive.directory = config_.archiveDir;
    archive.targetDurationSeconds = static_cast<int>(std::ceil(config_.preset.segmentSeconds));
    // Its own queue: a slow disk loses whole segments there (a gap in the VOD, logged), and
    // never stalls the packager, the origin or the pushes.
    const auto queue = publisher::ArchiveSink::queuePolicy(ladder_->tracks().size(),
                                                           config_.preset.segmentSeconds);
    auto sink = std::make_unique<publisher::ArchiveSink>(archive);
    destinationInfo_.push_back({sink->name(), DestinationKind::Archive, config_.archiveDir});
    return fanout_->addSink(std::move(sink), queue);
}

Result<void> Session::addPushTargets() {
    publisher::push::PushOptions options;
    options.segmentDuration =
        std::chrono::milliseconds(static_cast<int64_t>(config_.preset.segmentSeconds * 1000.0));
    options.sendBufferBytes = 256 * 1024;  // a slow destination shows up in its own spool
    options.spoolDuration =
        std::chrono::milliseconds(static_cast<int64_t>(config_.publishSpoolSeconds * 1000.0));
    options.spoolDirectory = config_.publishSpoolDir;
    for (const auto& target : config_.destinations) {
        auto sink = publisher::push::makePushSink(target, options);
        if (!sink) {
            return makeError(sink.error().withContext(
                std::string(publisher::push::protocolName(target.protocol)) + " " + target.url));
        }
        pushSinks_.push_back(sink->get());
        destinationInfo_.push_back({(*sink)->name(), DestinationKind::Push, target.url});
        if (target.protocol == publisher::push::PushTarget::Protocol::Smooth ||
            target.protocol == publisher::push::PushTarget::Protocol::Cmaf) {
            // Another podium-origin tells its publisher who watches (issue #12).
            if (auto url = publisher::relay::RemoteAudience::audienceUrlFor(target.url)) {
                auto audience = publisher::relay::RemoteAudience::start(
                    publisher::push::RequestSettings::from(target, options), *url);
                if (audience) {
                    remoteAudiences_.emplace_back((*sink)->name(), std::move(*audience));
                } else {  // the stream goes on; only its audience figure is missing
                    logWarning("session", "no audience for " + target.url + ": " +
                                              audience.error().toString());
                }
            }
        }
        // A slow or dead destination loses whole segments on its own queue, nobody else does:
        // the push's spool, filled on the packager's thread (one queue, one thread per
        // destination). A spool on disk writes files, so the fan-out's queue and thread stand
        // in front of it and keep the disk off the packager's thread.
        const auto queue = options.spoolDirectory.empty()
                               ? publisher::SinkQueuePolicy::sinkQueues()
                               : publisher::SinkQueuePolicy::dropOldestSegment(64);
        auto added = fanout_->addSink(std::move(*sink), queue);
        if (!added) {
            pushSinks_.pop_back();
            destinationInfo_.pop_back();
            return makeError(added.error());
        }
    }
    return ok();
}

uint16_t Session::originPort() const {
    return server_ ? server_->port() : 0;
}

VideoFramePtr Session::latestVideoFrame() const {
    std::lock_guard lock(previewMutex_);
    return latestFrame_;
}

float Session::latestAudioPeak() const {
    return audioPeak_.load(std::memory_order_relaxed);
}

void Session::setAudioMuted(bool muted) {
    audioMuted_.store(muted, std::memory_order_relaxed);
}

bool Session::audioMuted() const {
    return audioMuted_.load(std::memory_order_relaxed);
}

Result<void> Session::updateScene(const SceneSettings& scene) {
    std::lock_guard lock(sceneMutex_);
    if (sourceStopped_) {
        return makeError(ErrorCode::Cancelled, "the broadcast is stopping");
    }
    if (scene == scene_) {
        return ok();
    }
    if (auto r = applyScene(*source_, scene_, scene, config_.preset, clock_); !r) {
        return r;
    }
    scene_ = scene;
    logInfo("session", "scene: title \"" + scene.title + "\"" +
                           (scene.pipSpec.empty() ? "" : ", webcam " + scene.pipSpec));
    return ok();
}

SceneSettings Session::scene() const {
    std::lock_guard lock(sceneMutex_);
    return scene_;
}

StopProgress Session::stopProgress() const {
    StopProgress progress;
    progress.phase = stopPhase_.load();
    if (progress.phase == StopProgress::Phase::Sinks) {
        progress.sinks = stats().sinks;
        const auto left = drainDeadline_.load() - std::chrono::steady_clock::now();
        progress.secondsLeft = std::max(0.0, std::chrono::duration<double>(left).count());
    }
    return progress;
}

const std::vector<TrackInfo>& Session::tracks() const {
    return ladder_->tracks();
}

std::string Session::describeSource() const {
    return source_->describe();
}

void Session::fail(const Status& status) {
    {
        std::lock_guard lock(mutex_);
        if (!firstError_) {
            firstError_ = status;
        }
        done_ = true;
    }
    doneChanged_.notify_all();
}

void Session::requestStop() {
    {
        std::lock_guard lock(mutex_);
        done_ = true;
    }
    doneChanged_.notify_all();
}

bool Session::waitUntilDone(std::chrono::milliseconds timeout) {
    std::unique_lock lock(mutex_);
    return doneChanged_.wait_for(lock, timeout, [&] { return done_; });
}

Result<void> Session::start() {
    if (started_) {
        return makeError(ErrorCode::Internal, "session started twice");
    }
    started_ = true;
    startTime_ = std::chrono::steady_clock::now();
    if (auto r = ladder_->start(*packets_, [this](const Status& s) { fail(s); }); !r) {
        return r;
    }
    auto packager = startThread(
        "packager", [this](std::stop_token) { runPackager(); },
        [this](const Status& s) { fail(s); });
    if (!packager) {
        ladder_->finish();
        return makeError(packager.error().withContext("packager"));
    }
    packagerThread_ = std::move(*packager);

    capture::SourceCallbacks callbacks;
    callbacks.onVideo = [this](VideoFramePtr f) {
        {
            std::lock_guard lock(previewMutex_);
            latestFrame_ = f;
        }
        ladder_->pushVideo(f);
    };
    callbacks.onAudio = [this](AudioFramePtr f) {
        float peak = 0.0f;
        for (float v : f->samples) {
            peak = std::max(peak, std::fabs(v));
        }
        audioPeak_.store(std::min(peak, 1.0f), std::memory_order_relaxed);
        if (audioMuted_.load(std::memory_order_relaxed)) {
            auto silent = std::make_shared<AudioFrame>(*f);
            std::fill(silent->samples.begin(), silent->samples.end(), 0.0f);
            f = std::move(silent);
        }
        ladder_->pushAudio(f);
    };
    callbacks.onEnd = [this] { requestStop(); };
    const Subject source = subjectOf(config_.source);
    callbacks.onError = [this, source](const Status& s) { fail(s.withSubject(source)); };
    if (auto r = source_->start(std::move(callbacks)); !r) {
        const Status error = r.error().withSubject(source);
        fail(error);
        return makeError(error);
    }
    logInfo("session", "live: " + source_->describe() + ", preset \"" + config_.preset.name + "\"");
    return ok();
}

void Session::runPackager() noexcept {
    try {
        packager_->start();
        bool failed = false;
        while (auto packet = packets_->pop()) {
            if (failed) {
                continue;  // keep draining so the encoders never block on us
            }
            if (auto r = packager_->addPacket(**packet); !r) {
                failed = true;
                fail(r.error().withContext("packager"));
            }
        }
        if (auto r = packager_->finish(); !r) {
            fail(r.error().withContext("packager"));
        }
    } catch (const std::exception& e) {
        fail(Status(ErrorCode::Internal, e.what()).withContext("packager"));
    }
}

Result<void> Session::stop() {
    if (!started_ || stopped_) {
        return ok();
    }
    stopped_ = true;
    requestStop();
    // Destinations' audiences: no more polls. Their threads end within one request's deadline,
    // long before the destructor joins them (stats() may still read the last figures).
    for (const auto& [name, audience] : remoteAudiences_) {
        audience->requestStop();
    }
    stopPhase_ = StopProgress::Phase::Encoders;
    {
        std::lock_guard lock(sceneMutex_);  // not while a scene change swaps the webcam
        sourceStopped_ = true;
        source_->stop();  // 1. no more frames
    }
    ladder_->finish();  // 2. encoders drain and flush their delayed frames
    packets_->close();  // 3. the packager closes the last segments and ends the stream
    if (packagerThread_.joinable()) {
        packagerThread_.join();
    }
    const auto deadline = std::chrono::milliseconds(
        static_cast<int64_t>(std::max(0.0, config_.stopDeadlineSeconds) * 1000.0));
    drainDeadline_ = std::chrono::steady_clock::now() + deadline;
    stopPhase_ = StopProgress::Phase::Sinks;
    const auto sinks = fanout_->finish(deadline);  // 4. sinks drain
    for (size_t i = 0; i < sinks.size(); ++i) {
        if (sinks[i].state == publisher::SinkState::Failed && sinks[i].lastError) {
            // The sinks are in the order they were added, as destinationInfo_ lists them.
            const DestinationKind kind =
                i < destinationInfo_.size() ? destinationInfo_[i].kind : DestinationKind::Push;
            const Subject subject = kind == DestinationKind::Archive  ? Subject::Archive
                                    : kind == DestinationKind::Origin ? Subject::Origin
                                                                      : Subject::Destination;
            fail(sinks[i].lastError->withSubject(subject));
        }
    }
    stopPhase_ = StopProgress::Phase::Done;
    std::lock_guard lock(mutex_);
    if (firstError_) {
        return makeError(*firstError_);
    }
    return ok();
}

SessionStats Session::stats() const {
    SessionStats s;
    s.elapsedSeconds =
        started_
            ? std::chrono::duration<double>(std::chrono::steady_clock::now() - startTime_).count()
            : 0.0;
    s.ladder = ladder_->stats();
    s.segmentsOut = counter_->segments();
    for (const auto& sink : fanout_->stats()) {
        DestinationStatus state;
        state.name = sink.name;
        state.state = destinationState(sink.state);
        if (sink.lastError) {
            state.errorCode = sink.lastError->code();
            state.lastError = sink.lastError->toString();
        }
        for (const auto& info : destinationInfo_) {
            if (info.name == sink.name) {
                state.kind = info.kind;
                state.where = info.where;
            }
        }
        state.bytesQueued = sink.bytesQueued;
        state.segmentsDropped = sink.segmentsDropped;
        for (const auto* push : pushSinks_) {
            if (push->name() != sink.name) {
                continue;
            }
            const auto status = push->status();
            if (sink.state == publisher::SinkState::Live) {
                state.state = destinationState(status.state);
            }
            if (!status.lastError.empty()) {
                state.lastError = status.lastError;
                state.errorCode = status.lastErrorCode;
            }
            state.bytesQueued += status.bytesQueued;
            state.segmentsDropped += status.segmentsDropped;
            state.lastHttpStatus = status.lastHttpStatus;
            state.retries = status.retries;
        }
        if (state.kind == DestinationKind::Origin && store_) {
            if (const auto channel = store_->find(state.where)) {
                state.audience = channel->qoe().summary(publisher::origin::QoeTable::Clock::now());
            }
        }
        for (const auto& [name, audience] : remoteAudiences_) {
            if (name == sink.name) {
                state.audience = audience->status().summary;
            }
        }
        s.sinks.push_back(std::move(state));
    }
    return s;
}

}  // namespace podium::app

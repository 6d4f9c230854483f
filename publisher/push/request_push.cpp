#include "publisher/push/request_push.h"

#include <algorithm>

#include "core/log.h"
#include "core/thread.h"

namespace podium::publisher::push {

namespace {
constexpr std::chrono::milliseconds kUnreachableGrace{2000};
}  // namespace

using Clock = std::chrono::steady_clock;

RequestPush::RequestPush(PushTarget target, PushOptions options,
                         std::unique_ptr<RequestProtocol> protocol)
    : target_(std::move(target)),
      options_(std::move(options)),
      settings_(RequestSettings::from(target_, options_)),
      protocol_(std::move(protocol)),
      policy_(RetryConfig::live(), target_.urls(), 0x2545F4914F6CDD1Dull) {}

RequestPush::~RequestPush() {
    stopWorker();
}

void RequestPush::stopWorker() {
    {
        std::lock_guard lock(mutex_);
        stop_ = true;
    }
    cv_.notify_all();
    if (worker_.joinable()) {
        worker_.join();
    }
}

Result<void> RequestPush::open(const StreamDescription& stream) {
    if (auto opened = protocol_->open(stream); !opened) {
        return opened;
    }
    for (const auto& t : stream.tracks) {
        tracks_.push_back(std::make_unique<PushTrack>(
            t, MediaTime{options_.spoolDuration.count(), 1000}, options_.spoolDirectory));
    }
    auto worker = startThread(name(), [this](std::stop_token) { run(); });
    if (!worker) {
        return makeError(worker.error().withContext(name()));
    }
    worker_ = std::move(*worker);
    return ok();
}

Result<void> RequestPush::deliver(const SinkItem& item) {
    items_ += 1;
    bytes_ += sinkItemBytes(item);
    std::lock_guard lock(mutex_);
    const auto trackOf = [&](int index) -> PushTrack* {
        for (auto& t : tracks_) {
            if (t->info.trackIndex == index) {
                return t.get();
            }
        }
        return nullptr;
    };
    if (const auto* init = std::get_if<InitSegmentPtr>(&item)) {
        if (PushTrack* t = trackOf((*init)->track.trackIndex)) {
            if (!t->init || t->init->bytes != (*init)->bytes) {
                t->init = *init;
                t->info = (*init)->track;
                t->headerSent = false;
            }
        }
    } else if (const auto* segment = std::get_if<SegmentPtr>(&item)) {
        if (PushTrack* t = trackOf((*segment)->trackIndex); t && !t->error) {
            if (const uint64_t dropped = t->spool.push(*segment)) {
                board_.update([&](PushStatus& s) { s.segmentsDropped += dropped; });
            }
        }
    } else if (std::holds_alternative<EndOfStream>(item)) {
        ending_ = true;
    }
    cv_.notify_all();
    return ok();
}

Result<void> RequestPush::close() {
    const bool retryingAtClose = status().state == PushState::Retrying;
    std::unique_lock lock(mutex_);
    ending_ = true;
    cv_.notify_all();
    // A reachable destination gets time to drain; one that is unreachable right now gets one
    // more reconnect attempt, so a dead publishing point never holds up the end of a broadcast.
    const auto deadline =
        retryingAtClose ? kUnreachableGrace
                        : options_.connectTimeout + options_.stallTimeout + std::chrono::seconds(5);
    const bool finished = cv_.wait_for(lock, deadline, [&] { return endSent_; });
    stop_ = true;
    cv_.notify_all();
    lock.unlock();
    if (worker_.joinable()) {
        worker_.join();
    }
    for (const auto& t : tracks_) {
        if (t->error) {
            return makeError(*t->error);
        }
    }
    if (endError_) {
        return makeError(*endError_);
    }
    if (!finished) {
        return makeError(ErrorCode::Unavailable,
                         name() + ": the stream ended while the publishing point was unreachable");
    }
    return ok();
}

Result<HttpResponse> RequestPush::request(const std::string& method, const std::string& url,
                                          std::span<const uint8_t> body,
                                          const std::string& contentType) {
    auto response = performRequest(settings_, method, url, body, contentType);
    if (!response) {
        return makeError(response.error());
    }
    board_.update([&](PushStatus& s) {
        s.lastHttpStatus = response->status;
        s.bytesSent += body.size();
    });
    if (auto st = transferStatus(CURLE_OK, response->status, method + " " + url); !st) {
        return makeError(st.error());
    }
    return response;
}

RequestPush::Work RequestPush::pick(size_t& index, SegmentPtr& segment) {
    // Headers first (every track), then the oldest pending segment across tracks.
    for (size_t i = 0; i < tracks_.size(); ++i) {
        const auto& t = *tracks_[i];
        if (!t.error && t.init && !t.headerSent) {
            index = i;
            return Work::Header;
        }
    }
    SegmentPtr best;
    for (size_t i = 0; i < tracks_.size(); ++i) {
        const auto& t = *tracks_[i];
        SegmentPtr next = t.error || !t.headerSent ? nullptr : t.spool.peek();
        if (next && (!best || next->start.seconds() < best->start.seconds())) {
            best = next;
            index = i;
        }
    }
    if (best) {
        segment = tracks_[index]->spool.next();  // the bytes (read back when spooled on disk)
        if (!segment) {
            tracks_[index]->spool.markSent();  // unreadable spool file: logged, skipped
            return Work::None;
        }
        return Work::Segment;
    }
    const bool drained = std::all_of(tracks_.begin(), tracks_.end(), [](const auto& t) {
        return t->error || !t->init || t->spool.idle();
    });
    return ending_ && drained && !endSent_ ? Work::End : Work::None;
}

void RequestPush::run() {
    std::unique_lock lock(mutex_);
    while (!stop_) {
        size_t index = 0;
        SegmentPtr segment;
        const Work work = Clock::now() < nextAttempt_ ? Work::None : pick(index, segment);
        if (work == Work::None) {
            if (nextAttempt_ > Clock::now()) {
                cv_.wait_until(lock, nextAttempt_);
            } else {
                cv_.wait_for(lock, std::chrono::milliseconds(200));
            }
            continue;
        }
        PushTrack* track = work == Work::End ? nullptr : tracks_[index].get();
        const std::string base = policy_.currentUrl();
        lock.unlock();
        Result<void> sent = work == Work::Header ? protocol_->sendHeader(*this, *track, base)
                            : work == Work::Segment
                                ? protocol_->sendSegment(*this, *track, segment, base)
                                : protocol_->sendEnd(*this, base);
        lock.lock();
        if (sent) {
            policy_.onSuccess();
            retrying_ = false;
            live_ = true;
            if (work == Work::Header) {
                track->headerSent = true;
                track->headerJustSent = true;
            } else if (work == Work::Segment && track->spool.isNext(*segment)) {
                track->headerJustSent = false;
                track->spool.markSent();
                track->forbidden = 0;
            } else if (work == Work::End) {
                endSent_ = true;
                cv_.notify_all();
            }
        } else {
            onFailure(track, sent.error());
            if (work == Work::End && !isTransient(sent.error())) {
                endError_ = sent.error();
                endSent_ = true;
                cv_.notify_all();
            }
        }
        lock.unlock();
        refreshState();
        lock.lock();
    }
}

void RequestPush::onFailure(PushTrack* track, const Status& status) {
    const long http = board_.get().lastHttpStatus;
    board_.update([&](PushStatus& s) { s.setError(status); });
    if (status.code() == ErrorCode::FailedPrecondition && track) {
        if (track->headerJustSent && !track->headerInline) {
            logInfo("push", name() + ": the receiver wants the header in every request");
            track->headerInline = true;
        } else {
            track->headerSent = false;  // 412: header again, then the same segment
        }
        board_.update([&](PushStatus& s) { s.retries += 1; });
        return;
    }
    const bool forbidden = status.code() == ErrorCode::PermissionDenied && http == 403;
    if (forbidden && track && ++track->forbidden <= options_.forbiddenRetries) {
        board_.update([&](PushStatus& s) { s.retries += 1; });
        retrying_ = true;
        nextAttempt_ = Clock::now() + backoffDelay(RetryConfig::live(), track->forbidden - 1, 0.5);
        return;
    }
    const auto decision = policy_.onFailure(status);
    if (!decision.retry) {
        logWarning("push", status.toString());
        if (track) {
            track->error = status;
        }
        return;
    }
    retrying_ = true;
    nextAttempt_ = Clock::now() + decision.delay;
    board_.update([&](PushStatus& s) { s.retries += 1; });
}

void RequestPush::refreshState() {
    std::lock_guard lock(mutex_);
    const bool allFailed =
        !tracks_.empty() &&
        std::all_of(tracks_.begin(), tracks_.end(), [](const auto& t) { return bool(t->error); });
    uint64_t queued = 0;
    for (const auto& t : tracks_) {
        queued += t->spool.bytesUnsent();
    }
    PushState state = PushState::Connecting;
    if (allFailed || endError_) {
        state = PushState::Failed;
    } else if (endSent_) {
        state = PushState::Finished;
    } else if (retrying_) {
        state = PushState::Retrying;
    } else if (live_) {
        state = PushState::Live;
    }
    board_.update([&](PushStatus& s) {
        s.state = state;
        s.bytesQueued = queued;
        if (state == PushState::Live || state == PushState::Finished) {
            s.clearError();
        }
    });
}

}  // namespace podium::publisher::push

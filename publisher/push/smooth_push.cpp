#include "publisher/push/smooth_push.h"

#include <algorithm>
#include <cstring>

#include "core/log.h"
#include "core/thread.h"
#include "publisher/mp4/piff.h"
#include "publisher/push/smooth_boxes.h"

namespace podium::publisher::push {

namespace {
constexpr std::chrono::milliseconds kUnreachableGrace{2000};
}  // namespace

using Clock = std::chrono::steady_clock;

namespace {

constexpr size_t kResendFragments = 3;  // sent fragments kept and re-sent on a reconnect

size_t discardBody(char*, size_t size, size_t count, void*) {
    return size * count;
}

}  // namespace

struct SmoothPush::Track {
    Track(TrackInfo i, const PushOptions& options, const PushTarget& target, size_t index)
        : info(std::move(i)),
          spool(MediaTime{options.spoolDuration.count(), 1000}, kResendFragments,
                options.spoolDirectory),
          policy(RetryConfig::live(), target.urls(), 0x9E3779B97F4A7C15ull + index) {}

    TrackInfo info;
    // Guarded by SmoothPush::mutex_.
    std::vector<uint8_t> header;
    SegmentSpool spool;
    // Worker thread only.
    RetryPolicy policy;
    std::optional<CurlEasy> easy;
    std::optional<CurlHeaders> headers;
    std::string url;
    std::vector<uint8_t> buffer;
    size_t readPos = 0;
    size_t headerSize = 0;
    bool paused = false;
    bool endBody = false;  ///< the mfra is in the buffer: end the body once it is read
    bool inFlight = false;
    bool probing = false;  ///< the transfer in flight is the empty probe POST
    bool live = false;
    bool retrying = false;
    bool done = false;
    std::optional<Status> error;  ///< set when the track stopped for good
    Clock::time_point nextAttempt{};
    StatusBoard* board = nullptr;
};

SmoothPush::SmoothPush(PushTarget target, PushOptions options)
    : target_(std::move(target)),
      options_(std::move(options)),
      settings_(RequestSettings::from(target_, options_)) {}

SmoothPush::~SmoothPush() {
    {
        std::lock_guard lock(mutex_);
        stop_ = true;
    }
    if (multi_) {
        curl_multi_wakeup(multi_->get());
    }
    if (worker_.joinable()) {
        worker_.join();
    }
    for (auto& t : tracks_) {
        if (t->easy && multi_) {
            curl_multi_remove_handle(multi_->get(), t->easy->get());
        }
    }
}

std::string SmoothPush::name() const {
    return "smooth " + target_.url;
}

std::string SmoothPush::streamUrl(const std::string& baseUrl, const std::string& trackId) const {
    std::string url = baseUrl;
    if (!options_.eventId.empty()) {
        url += "/Events(" + options_.eventId + ")";
    }
    return url + "/Streams(" + trackId + ")";
}

Result<void> SmoothPush::open(const StreamDescription& stream) {
    const std::vector<TrackInfo>& tracks = stream.tracks;
    auto multi = CurlMulti::create();
    if (!multi) {
        return makeError(multi.error().withContext(name()));
    }
    multi_.emplace(std::move(*multi));
    for (size_t i = 0; i < tracks.size(); ++i) {
        tracks_.push_back(std::make_unique<Track>(tracks[i], options_, target_, i));
        tracks_.back()->board = &board_;
    }
    auto worker = startThread(name(), [this](std::stop_token) { run(); });
    if (!worker) {
        return makeError(worker.error().withContext(name()));
    }
    worker_ = std::move(*worker);
    return ok();
}

Result<void> SmoothPush::deliver(const SinkItem& item) {
    items_ += 1;
    bytes_ += sinkItemBytes(item);
    const auto trackOf = [&](int index) -> Track* {
        for (auto& t : tracks_) {
            if (t->info.trackIndex == index) {
                return t.get();
            }
        }
        return nullptr;
    };
    if (const auto* init = std::get_if<InitSegmentPtr>(&item)) {
        auto header = buildSmoothHeader(**init);
        if (!header) {
            return makeError(header.error().withContext(name()));
        }
        std::lock_guard lock(mutex_);
        if (Track* t = trackOf((*init)->track.trackIndex)) {
            t->info = (*init)->track;
            t->header = std::move(*header);
        }
    } else if (const auto* segment = std::get_if<SegmentPtr>(&item)) {
        std::lock_guard lock(mutex_);
        if (Track* t = trackOf((*segment)->trackIndex)) {
            const uint64_t dropped = t->spool.push(*segment);
            if (dropped > 0) {
                board_.update([&](PushStatus& s) { s.segmentsDropped += dropped; });
            }
        }
    } else if (std::holds_alternative<EndOfStream>(item)) {
        std::lock_guard lock(mutex_);
        ending_ = true;
    }
    curl_multi_wakeup(multi_->get());
    return ok();
}

Result<void> SmoothPush::close() {
    if (!multi_) {
        return ok();
    }
    const bool retryingAtClose = status().state == PushState::Retrying;
    std::unique_lock lock(mutex_);
    ending_ = true;
    curl_multi_wakeup(multi_->get());
    // A reachable destination gets time to drain; one that is unreachable right now gets one
    // more reconnect attempt, so a dead publishing point never holds up the end of a broadcast.
    const auto deadline =
        retryingAtClose ? kUnreachableGrace
                        : options_.connectTimeout + options_.stallTimeout + std::chrono::seconds(5);
    const bool finished = doneCv_.wait_for(lock, deadline, [&] {
        return std::all_of(tracks_.begin(), tracks_.end(),
                           [](const auto& t) { return t->done || t->error; });
    });
    stop_ = true;
    lock.unlock();
    curl_multi_wakeup(multi_->get());
    if (worker_.joinable()) {
        worker_.join();
    }
    for (const auto& t : tracks_) {
        if (t->error) {
            return makeError(t->error->withContext(name()));
        }
    }
    if (!finished) {
        return makeError(Status(ErrorCode::Unavailable,
                                "the stream ended while the publishing point was unreachable")
                             .withContext(name()));
    }
    return ok();
}

SinkStats SmoothPush::stats() const {
    return {items_.load(), bytes_.load()};
}

PushStatus SmoothPush::status() const {
    return board_.get();
}

void SmoothPush::run() {
    CURLM* multi = multi_->get();
    while (true) {
        {
            std::lock_guard lock(mutex_);
            if (stop_) {
                break;
            }
        }
        startDue(Clock::now());
        for (auto& t : tracks_) {
            if (t->inFlight && !t->probing) {
                feed(*t);
            }
        }
        int running = 0;
        curl_multi_perform(multi, &running);
        int pending = 0;
        while (CURLMsg* msg = curl_multi_info_read(multi, &pending)) {
            if (msg->msg != CURLMSG_DONE) {
                continue;
            }
            for (auto& t : tracks_) {
                if (t->easy && t->easy->get() == msg->easy_handle) {
                    onDone(*t, msg->data.result);
                    break;
                }
            }
        }
        refreshState();
        curl_multi_poll(multi, nullptr, 0, 100, nullptr);
    }
}

void SmoothPush::startDue(Clock::time_point now) {
    for (auto& t : tracks_) {
        if (t->inFlight || t->done || t->error || now < t->nextAttempt) {
            continue;
        }
        {
            std::lock_guard lock(mutex_);
            if (t->header.empty()) {
                continue;
            }
        }
        t->url = streamUrl(t->policy.currentUrl(), t->info.id);
        if (auto connected = options_.smoothProbe ? startProbe(*t) : startStream(*t); !connected) {
            retryOrFail(*t, connected.error());
        }
    }
}

void SmoothPush::retryOrFail(Track& t, const Status& failure) {
    const auto decision = t.policy.onFailure(failure);
    if (!decision.retry) {
        fail(t, failure);
        return;
    }
    logInfo("push", failure.toString() + "; reconnecting in " +
                        std::to_string(decision.delay.count()) + " ms");
    t.retrying = true;
    t.nextAttempt = Clock::now() + decision.delay;
    board_.update([&](PushStatus& s) {
        s.retries += 1;
        s.setError(failure);
    });
}

Result<void> SmoothPush::startProbe(Track& t) {
    // The empty POST that tells the receiver a stream is coming (IIS answers it before the
    // long-running POST). It runs in the multi handle like every transfer, so a slow answer
    // never holds up the other tracks.
    auto transfer = newTransfer(t);
    if (!transfer) {
        return makeError(transfer.error());
    }
    CURL* curl = *transfer;
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, t.headers->get());
    curl_easy_setopt(curl, CURLOPT_POST, 1L);
    curl_easy_setopt(curl, CURLOPT_POSTFIELDS, "");
    curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(0));
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, discardBody);
    if (curl_multi_add_handle(multi_->get(), curl) != CURLM_OK) {
        return makeError(ErrorCode::Internal, "curl_multi_add_handle failed");
    }
    t.inFlight = true;
    t.probing = true;
    return ok();
}

void SmoothPush::onProbeDone(Track& t, CURLcode code, long http) {
    t.probing = false;
    if (auto st = transferStatus(code, http, "probe POST " + t.url); !st) {
        retryOrFail(t, st.error());
        return;
    }
    if (auto started = startStream(t); !started) {
        retryOrFail(t, started.error());
    }
}

Result<CURL*> SmoothPush::newTransfer(Track& t) {
    auto easy = CurlEasy::create();
    if (!easy) {
        return makeError(easy.error());
    }
    t.easy.emplace(std::move(*easy));
    t.headers.emplace();
    CURL* curl = t.easy->get();
    if (auto applied = applySettings(curl, settings_, t.url, *t.headers); !applied) {
        return makeError(applied.error());
    }
    return curl;
}

Result<void> SmoothPush::startStream(Track& t) {
    auto transfer = newTransfer(t);
    if (!transfer) {
        return makeError(transfer.error());
    }
    CURL* curl = *transfer;
    t.headers->add("Transfer-Encoding: chunked");
    t.headers->add("Content-Type: application/octet-stream");
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, t.headers->get());
    curl_easy_setopt(curl, CURLOPT_POST, 1L);
    curl_easy_setopt(curl, CURLOPT_READFUNCTION, &SmoothPush::onRead);
    curl_easy_setopt(curl, CURLOPT_READDATA, &t);
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, discardBody);
    {
        std::lock_guard lock(mutex_);
        t.buffer = t.header;
        t.headerSize = t.header.size();
        t.spool.rewind(kResendFragments);  // the receiver dedupes what it already has
    }
    t.readPos = 0;
    t.paused = false;
    t.endBody = false;
    t.live = false;
    if (curl_multi_add_handle(multi_->get(), curl) != CURLM_OK) {
        return makeError(ErrorCode::Internal, "curl_multi_add_handle failed");
    }
    t.inFlight = true;
    return ok();
}

size_t SmoothPush::onRead(char* out, size_t size, size_t count, void* user) {
    auto* t = static_cast<Track*>(user);
    const size_t left = t->buffer.size() - t->readPos;
    if (left == 0) {
        if (t->endBody) {
            return 0;  // the zero-length chunk: end of the body
        }
        t->paused = true;
        return CURL_READFUNC_PAUSE;
    }
    const size_t n = std::min(left, size * count);
    std::memcpy(out, t->buffer.data() + t->readPos, n);
    t->readPos += n;
    if (!t->live && t->readPos >= t->headerSize) {
        t->live = true;
        t->retrying = false;
        t->policy.onSuccess();
    }
    t->board->update([&](PushStatus& s) { s.bytesSent += n; });
    return n;
}

void SmoothPush::feed(Track& t) {
    if (t.readPos < t.buffer.size() || t.endBody) {
        return;
    }
    SegmentPtr next;
    bool ending = false;
    {
        std::lock_guard lock(mutex_);
        next = t.spool.next();
        if (next) {
            t.spool.markSent();
        }
        ending = ending_;
    }
    if (next) {
        auto fragment = buildSmoothFragment(*next, t.info.kind == TrackKind::Video);
        if (!fragment) {
            logWarning("push", fragment.error().toString());
            return;
        }
        t.buffer = std::move(*fragment);
    } else if (ending) {
        t.buffer = mp4::emptyMfra();
        t.endBody = true;
    } else {
        return;
    }
    t.readPos = 0;
    if (t.paused) {
        t.paused = false;
        curl_easy_pause(t.easy->get(), CURLPAUSE_CONT);
    }
}

void SmoothPush::onDone(Track& t, CURLcode code) {
    long http = 0;
    curl_easy_getinfo(t.easy->get(), CURLINFO_RESPONSE_CODE, &http);
    curl_multi_remove_handle(multi_->get(), t.easy->get());
    t.easy.reset();
    t.headers.reset();
    t.inFlight = false;
    t.live = false;
    board_.update([&](PushStatus& s) { s.lastHttpStatus = http; });
    if (t.probing) {
        onProbeDone(t, code, http);
        return;
    }
    auto st = transferStatus(code, http, "POST " + t.url);
    const bool bodyComplete = t.endBody && t.readPos == t.buffer.size();
    // A receiver that answered 200 before the body (ffmpeg -listen) may close without ending
    // its chunked answer: once our whole body went out with a 2xx, the stream is done.
    if (bodyComplete && (st || (http >= 200 && http < 300))) {
        std::lock_guard lock(mutex_);
        t.done = true;
        doneCv_.notify_all();
        return;
    }
    const Status failure =
        st ? Status(ErrorCode::Unavailable, "the publishing point ended the stream early")
                 .withContext("POST " + t.url)
           : st.error();
    retryOrFail(t, failure);
}

void SmoothPush::fail(Track& t, const Status& status) {
    logWarning("push", status.toString());
    std::lock_guard lock(mutex_);
    t.error = status;
    board_.update([&](PushStatus& s) { s.setError(status); });
    doneCv_.notify_all();
}

void SmoothPush::refreshState() {
    bool anyFailed = false;
    bool allDone = true;
    bool anyRetrying = false;
    bool allLive = true;
    uint64_t queued = 0;
    {
        std::lock_guard lock(mutex_);
        for (const auto& t : tracks_) {
            anyFailed |= bool(t->error);
            allDone &= t->done;
            anyRetrying |= t->retrying && !t->done;
            allLive &= t->live || t->done;
            queued += t->spool.bytesUnsent();
        }
    }
    PushState state = PushState::Connecting;
    if (anyFailed) {
        state = PushState::Failed;
    } else if (allDone && !tracks_.empty()) {
        state = PushState::Finished;
    } else if (anyRetrying) {
        state = PushState::Retrying;
    } else if (allLive && !tracks_.empty()) {
        state = PushState::Live;
    }
    board_.update([&](PushStatus& s) {
        s.state = state;
        s.bytesQueued = queued;
        if (state == PushState::Live) {
            s.clearError();
        }
    });
}

}  // namespace podium::publisher::push

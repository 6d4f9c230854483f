#include "publisher/relay/channel_forwarder.h"

#include <algorithm>
#include <condition_variable>
#include <tuple>

#include "core/log.h"
#include "core/thread.h"
#include "publisher/push/push_factory.h"

namespace podium::publisher::relay {

/// Wakes the worker: set by the channel's waitForChange callback (on the writer's thread, so it
/// only flips a flag) or by stop(). Shared so that a late callback never touches a dead object.
struct ChannelForwarder::Signal {
    std::mutex mutex;
    std::condition_variable cv;
    bool changed = false;
    bool stopping = false;

    void notifyChanged() {
        {
            std::lock_guard lock(mutex);
            changed = true;
        }
        cv.notify_all();
    }
};

namespace {

/// The segment to forward: the one that arrived (shared, as it is) when the window kept its
/// number. Otherwise one made from its bytes, numbered by its sequence: a segment the window
/// closed cut short from its parts (no whole segment ever arrived), or one the window renumbered
/// (an ingest whose fragments' rounded times repeat a number, an upstream gap): the pushes name
/// files and detect resends by number, so it must go up by one.
SegmentPtr toSegment(const manifest::StoredSegment& stored, int trackIndex) {
    if (stored.source && stored.source->number == stored.sequence &&
        stored.source->trackIndex == trackIndex) {
        return stored.source;
    }
    auto segment = std::make_shared<Segment>();
    segment->trackIndex = trackIndex;
    segment->number = stored.sequence;
    segment->start = stored.start;
    segment->duration = stored.duration;
    segment->bytes = *stored.bytes;
    uint64_t offset = 0;
    for (const auto& part : stored.parts) {
        const uint64_t size = part.bytes ? part.bytes->size() : 0;
        segment->parts.push_back(PartInfo{offset, size, part.duration, part.isIndependent});
        offset += size;
    }
    if (offset != segment->bytes.size()) {
        segment->parts.clear();  // parts unknown or inconsistent: the segment as one piece
    }
    return segment;
}

std::vector<std::string> idsOf(const manifest::ChannelView& view) {
    std::vector<std::string> ids;
    for (const auto& t : view.tracks) {
        ids.push_back(t.info.id);
    }
    return ids;
}

}  // namespace

ChannelForwarder::ChannelForwarder(std::shared_ptr<origin::Channel> channel,
                                   push::PushTarget target, RelayOptions options)
    : channel_(std::move(channel)),
      target_(std::move(target)),
      options_(std::move(options)),
      signal_(std::make_shared<Signal>()) {
    auto thread = startThread("forward " + channel_->name(), [this](std::stop_token) { run(); });
    if (thread) {
        thread_ = std::move(*thread);
    } else {
        logError("relay", thread.error().toString());
    }
}

ChannelForwarder::~ChannelForwarder() {
    stop();
}

void ChannelForwarder::stop() {
    {
        std::lock_guard lock(signal_->mutex);
        signal_->stopping = true;
    }
    signal_->cv.notify_all();
    if (thread_.joinable()) {
        thread_.join();
    }
}

RelayChannelStatus ChannelForwarder::status() const {
    std::lock_guard lock(mutex_);
    RelayChannelStatus s;
    s.channel = channel_->name();
    s.url = target_.url;
    s.push = sink_ ? sink_->status() : lastStatus_;
    s.segmentsForwarded = forwarded_;
    s.ended = ended_;
    return s;
}

void ChannelForwarder::run() {
    uint64_t waiter = 0;
    bool endSeen = false;
    while (true) {
        const manifest::ChannelViewPtr view = channel_->view();
        if (!failed_) {
            process(*view);
        }
        if (view->ended) {
            endSeen = true;
            break;
        }
        const std::shared_ptr<Signal> signal = signal_;
        waiter = channel_->waitForChange(view->version, [signal] { signal->notifyChanged(); });
        std::unique_lock lock(signal_->mutex);
        signal_->cv.wait(lock, [&] { return signal_->stopping || signal_->changed; });
        signal_->changed = false;
        if (signal_->stopping) {
            break;
        }
    }
    if (waiter != 0) {
        channel_->cancelWaiter(waiter);
    }
    close(endSeen);
}

bool ChannelForwarder::ready(const manifest::ChannelView& view) const {
    if (view.tracks.empty()) {
        return false;
    }
    return std::all_of(view.tracks.begin(), view.tracks.end(), [](const manifest::TrackView& t) {
        return t.init && std::any_of(t.segments.begin(), t.segments.end(),
                                     [](const auto& s) { return s.isComplete(); });
    });
}

void ChannelForwarder::process(const manifest::ChannelView& view) {
    if (fanout_ && idsOf(view) != trackIds_) {
        logInfo("relay", view.name + ": tracks changed, reopening " + target_.url);
        close(false);
    }
    if (!fanout_) {
        if (!ready(view)) {
            return;
        }
        open(view);
        if (!fanout_) {
            return;
        }
    }
    forwardInits(view);
    forwardSegments(view);
}

void ChannelForwarder::open(const manifest::ChannelView& view) {
    std::vector<TrackInfo> tracks;
    int64_t newest = INT64_MAX;
    for (size_t i = 0; i < view.tracks.size(); ++i) {
        const auto& t = view.tracks[i];
        // The channel's own track numbers: its inits and segments go to the push as they are.
        tracks.push_back(t.init ? t.init->track : t.info);
        int64_t last = -1;
        for (const auto& s : t.segments) {
            if (s.isComplete()) {
                last = s.sequence;
            }
        }
        newest = std::min(newest, last);
    }
    // Where a channel seen for the first time starts: its newest complete segments.
    const int64_t backlog = options_.startBacklogSegments;
    for (const auto& t : view.tracks) {
        if (!lastSent_.count(t.info.id)) {
            lastSent_[t.info.id] = backlog < 0 ? INT64_MIN : newest - backlog;
        }
    }
    auto sink = push::makePushSink(target_, options_.push);
    if (!sink) {
        std::lock_guard lock(mutex_);
        lastStatus_.state = push::PushState::Failed;
        lastStatus_.setError(sink.error());
        failed_ = true;
        return;
    }
    push::PushSink* raw = sink->get();
    // The channel's own anchor (its availabilityStartTime) is the relayed stream's epoch.
    auto fanout = std::make_unique<SinkFanout>(
        StreamDescription(tracks, std::nullopt, view.availabilityStartMs));
    // The push's spool is the destination's queue (as in Session::addPushTargets); one on disk
    // gets the fan-out's queue and thread in front of it.
    const SinkQueuePolicy queue = options_.push.spoolDirectory.empty()
                                      ? SinkQueuePolicy::sinkQueues()
                                      : SinkQueuePolicy::dropOldestSegment(8 * tracks.size() + 8);
    if (auto added = fanout->addSink(std::move(*sink), queue); !added) {
        std::lock_guard lock(mutex_);
        lastStatus_.state = push::PushState::Failed;
        lastStatus_.setError(added.error());
        failed_ = true;
        return;
    }
    trackIds_ = idsOf(view);
    sentInit_.clear();
    std::lock_guard lock(mutex_);
    fanout_ = std::move(fanout);
    sink_ = raw;
}

void ChannelForwarder::close(bool endOfStream) {
    std::unique_ptr<SinkFanout> fanout;
    push::PushSink* sink = nullptr;
    {
        std::lock_guard lock(mutex_);
        if (!fanout_) {
            ended_ = ended_ || endOfStream;
            return;
        }
        fanout = std::move(fanout_);
        sink = sink_;
        sink_ = nullptr;
        lastStatus_ = sink->status();
    }
    if (endOfStream) {
        fanout->onEndOfStream();
    }
    fanout->finish(options_.finishDeadline);
    std::lock_guard lock(mutex_);
    // The sink is still owned by the finished fanout: read its final state, then let it go.
    lastStatus_ = sink->status();
    for (const auto& s : fanout->stats()) {
        if (s.state == SinkState::Failed && s.lastError && lastStatus_.lastError.empty()) {
            lastStatus_.setError(*s.lastError);
        }
    }
    ended_ = ended_ || endOfStream;
}

void ChannelForwarder::forwardInits(const manifest::ChannelView& view) {
    for (size_t i = 0; i < view.tracks.size(); ++i) {
        const auto& t = view.tracks[i];
        auto& sent = sentInit_[t.info.id];
        if (t.init && t.init != sent) {
            sent = t.init;
            fanout_->onInitSegment(t.init);
        }
    }
}

void ChannelForwarder::forwardSegments(const manifest::ChannelView& view) {
    std::vector<std::tuple<int64_t, int, const manifest::StoredSegment*>> todo;
    for (size_t i = 0; i < view.tracks.size(); ++i) {
        const int64_t last = lastSent_[view.tracks[i].info.id];
        for (const auto& s : view.tracks[i].segments) {
            if (s.isComplete() && s.sequence > last) {
                todo.emplace_back(s.sequence, int(i), &s);
            }
        }
    }
    std::sort(todo.begin(), todo.end(), [](const auto& a, const auto& b) {
        return std::tie(std::get<0>(a), std::get<1>(a)) < std::tie(std::get<0>(b), std::get<1>(b));
    });
    for (const auto& [sequence, index, stored] : todo) {
        fanout_->onSegment(toSegment(*stored, view.tracks[size_t(index)].info.trackIndex));
        lastSent_[view.tracks[size_t(index)].info.id] = sequence;
    }
    std::lock_guard lock(mutex_);
    forwarded_ += todo.size();
}

}  // namespace podium::publisher::relay

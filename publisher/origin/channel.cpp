#include "publisher/origin/channel.h"

#include <algorithm>

namespace podium::publisher::origin {

/// Mutable per-track state behind the published views (guarded by Channel::mutex_).
struct Channel::TrackState {
    TrackInfo info;
    InitSegmentPtr init;
    std::vector<StoredSegment> segments;
    int64_t discontinuitySequence = 0;
    bool nextIsDiscontinuity = false;
    double peakBitrateBps = 0;
    uint64_t bytesIn = 0;
};

const TrackView* ChannelView::track(const std::string& id) const {
    for (const auto& t : tracks) {
        if (t.info.id == id) {
            return &t;
        }
    }
    return nullptr;
}

Channel::Channel(ChannelConfig config) : config_(std::move(config)) {
    std::lock_guard lock(mutex_);
    publish();
}

ChannelViewPtr Channel::view() const {
    std::lock_guard lock(mutex_);
    return view_;
}

void Channel::setTracks(const std::vector<TrackInfo>& tracks) {
    std::lock_guard lock(mutex_);
    std::vector<std::shared_ptr<TrackState>> next;
    for (const auto& info : tracks) {
        auto existing = std::find_if(tracks_.begin(), tracks_.end(),
                                     [&](const auto& t) { return t->info.id == info.id; });
        auto state = existing != tracks_.end() ? *existing : std::make_shared<TrackState>();
        state->info = info;
        next.push_back(state);
    }
    tracks_ = std::move(next);
    publish();
}

Channel::TrackState* Channel::findTrack(int trackIndex) {
    for (auto& t : tracks_) {
        if (t->info.trackIndex == trackIndex) {
            return t.get();
        }
    }
    return nullptr;
}

void Channel::setInit(const InitSegmentPtr& init) {
    std::lock_guard lock(mutex_);
    TrackState* track = findTrack(init->track.trackIndex);
    if (!track) {
        return;
    }
    if (track->init && track->init->bytes != init->bytes) {
        track->nextIsDiscontinuity = true;
    }
    track->init = init;
    track->info = init->track;
    publish();
}

namespace {
Bytes share(const std::vector<uint8_t>& bytes) {
    return std::make_shared<const std::vector<uint8_t>>(bytes);
}

int64_t nextSequence(const std::vector<StoredSegment>& segments, int64_t number) {
    return segments.empty() ? number : segments.back().sequence + 1;
}
}  // namespace

void Channel::addChunk(const ChunkPtr& chunk) {
    std::lock_guard lock(mutex_);
    TrackState* track = findTrack(chunk->trackIndex);
    if (!track || ended_) {
        return;
    }
    const bool opensSegment = track->segments.empty() || track->segments.back().isComplete();
    if (opensSegment) {
        if (chunk->partIndex != 0) {
            return;  // joined mid-segment: wait for the next segment's first part
        }
        StoredSegment segment;
        segment.sequence = nextSequence(track->segments, chunk->segmentNumber);
        segment.start = chunk->start;
        segment.duration = MediaTime{0, chunk->start.timescale};
        segment.programDateTimeMs =
            config_.availabilityStartMs + int64_t(chunk->start.seconds() * 1000.0 + 0.5);
        segment.discontinuity = track->nextIsDiscontinuity;
        track->nextIsDiscontinuity = false;
        track->segments.push_back(std::move(segment));
    }
    auto& open = track->segments.back();
    open.parts.push_back(StoredPart{chunk->duration, chunk->isIndependent, share(chunk->bytes)});
    open.duration = open.duration + chunk->duration;
    track->bytesIn += chunk->bytes.size();
    publish();
}

void Channel::addSegment(const SegmentPtr& segment) {
    std::lock_guard lock(mutex_);
    TrackState* track = findTrack(segment->trackIndex);
    if (!track || ended_) {
        return;
    }
    const bool hasOpen = !track->segments.empty() && !track->segments.back().isComplete();
    if (!hasOpen) {
        // A feed without chunks: the whole segment at once, its parts as recorded.
        StoredSegment stored;
        stored.sequence = nextSequence(track->segments, segment->number);
        stored.start = segment->start;
        stored.programDateTimeMs =
            config_.availabilityStartMs + int64_t(segment->start.seconds() * 1000.0 + 0.5);
        stored.discontinuity = track->nextIsDiscontinuity;
        track->nextIsDiscontinuity = false;
        auto whole = share(segment->bytes);
        for (const auto& p : segment->parts) {
            auto bytes = std::make_shared<const std::vector<uint8_t>>(
                segment->bytes.begin() + std::ptrdiff_t(p.offset),
                segment->bytes.begin() + std::ptrdiff_t(p.offset + p.size));
            stored.parts.push_back(StoredPart{p.duration, p.isIndependent, bytes});
        }
        track->bytesIn += segment->bytes.size();
        track->segments.push_back(std::move(stored));
    }
    auto& done = track->segments.back();
    done.duration = segment->duration;
    done.bytes = share(segment->bytes);
    track->peakBitrateBps = std::max(track->peakBitrateBps, segment->bitrateBps());
    evict(*track);
    publish();
}

void Channel::evict(TrackState& track) {
    if (track.segments.empty()) {
        return;
    }
    const MediaTime newestEnd = track.segments.back().start + track.segments.back().duration;
    // Keep at least three complete segments whatever the window (HLS needs 3 target durations).
    while (track.segments.size() > 4) {
        const auto& oldest = track.segments.front();
        if (newestEnd - (oldest.start + oldest.duration) <= config_.dvrWindow) {
            break;
        }
        if (track.segments[1].discontinuity) {
            ++track.discontinuitySequence;
        }
        track.segments.erase(track.segments.begin());
    }
}

void Channel::markDiscontinuity() {
    std::lock_guard lock(mutex_);
    for (auto& t : tracks_) {
        t->nextIsDiscontinuity = true;
    }
}

void Channel::end() {
    std::lock_guard lock(mutex_);
    ended_ = true;
    publish();
}

uint64_t Channel::waitForChange(uint64_t seenVersion, std::function<void()> onChange) {
    std::unique_lock lock(mutex_);
    if (version_ > seenVersion) {
        lock.unlock();
        onChange();
        return 0;
    }
    const uint64_t id = nextWaiterId_++;
    waiters_.push_back(Waiter{id, std::move(onChange)});
    return id;
}

void Channel::cancelWaiter(uint64_t id) {
    std::lock_guard lock(mutex_);
    std::erase_if(waiters_, [&](const Waiter& w) { return w.id == id; });
}

void Channel::publish() {
    auto view = std::make_shared<ChannelView>();
    view->name = config_.name;
    view->segmentTarget = config_.segmentTarget;
    view->partTarget = config_.partTarget;
    view->availabilityStartMs = config_.availabilityStartMs;
    view->ended = ended_;
    view->version = ++version_;
    for (const auto& t : tracks_) {
        TrackView tv;
        tv.info = t->info;
        tv.init = t->init;
        tv.segments = t->segments;
        tv.discontinuitySequence = t->discontinuitySequence;
        tv.peakBitrateBps = t->peakBitrateBps;
        tv.bytesIn = t->bytesIn;
        double bytes = 0, seconds = 0;
        for (const auto& s : t->segments) {
            if (s.isComplete()) {
                bytes += double(s.bytes->size());
                seconds += s.duration.seconds();
            }
        }
        tv.averageBitrateBps = seconds > 0 ? bytes * 8.0 / seconds : 0.0;
        view->tracks.push_back(std::move(tv));
    }
    view_ = std::move(view);
    // Waiters run after the new view is visible; they only post work to their own strands.
    auto waiters = std::move(waiters_);
    waiters_.clear();
    for (auto& w : waiters) {
        w.onChange();
    }
}

}  // namespace podium::publisher::origin

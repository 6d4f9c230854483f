#include "publisher/origin/channel.h"

#include "core/clock.h"

namespace podium::publisher::origin {

namespace {

manifest::WindowConfig windowConfig(const ChannelConfig& c) {
    manifest::WindowConfig w;
    w.name = c.name;
    w.segmentTarget = c.segmentTarget;
    w.partTarget = c.partTarget;
    w.dvrWindow = c.dvrWindow;
    w.availabilityStartMs = c.availabilityStartMs;
    w.maxBytes = c.maxBytes;
    w.maxSegmentsPerTrack = c.maxSegmentsPerTrack;
    w.segmentLimitName = "--max-segments-per-track";
    w.byteLimitName = "--max-dvr-bytes";
    w.logComponent = "origin";
    return w;
}

}  // namespace

Channel::Channel(ChannelConfig config)
    : config_(std::move(config)), window_(windowConfig(config_)), qoe_(config_.qoe) {
    lastMediaMs_ = wallClockMillis();
    std::lock_guard lock(mutex_);
    publish();
}

manifest::ChannelViewPtr Channel::view() const {
    std::lock_guard lock(mutex_);
    return view_;
}

void Channel::setTracks(const std::vector<TrackInfo>& tracks) {
    std::lock_guard lock(mutex_);
    window_.setTracks(tracks);
    publish();
}

void Channel::setInit(const InitSegmentPtr& init) {
    setInits({init});
}

void Channel::setInits(const std::vector<InitSegmentPtr>& inits) {
    std::lock_guard lock(mutex_);
    for (const auto& init : inits) {
        window_.setInit(init);
    }
    publish();
}

void Channel::addChunk(const ChunkPtr& chunk) {
    std::lock_guard lock(mutex_);
    if (window_.addChunk(chunk)) {
        lastMediaMs_ = wallClockMillis();
        publish();
    }
}

void Channel::addSegment(const SegmentPtr& segment) {
    std::lock_guard lock(mutex_);
    if (window_.addSegment(segment)) {
        lastMediaMs_ = wallClockMillis();
        publish();
    }
}

void Channel::markDiscontinuity() {
    std::lock_guard lock(mutex_);
    window_.markDiscontinuity();
}

void Channel::end() {
    std::lock_guard lock(mutex_);
    window_.end();
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
    view_ = window_.snapshot(++version_);
    // Waiters run after the new view is visible; they only post work to their own strands.
    auto waiters = std::move(waiters_);
    waiters_.clear();
    for (auto& w : waiters) {
        w.onChange();
    }
}

}  // namespace podium::publisher::origin

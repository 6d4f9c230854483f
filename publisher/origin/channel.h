#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "core/encoded_packet.h"
#include "core/log.h"
#include "core/media_time.h"
#include "publisher/manifest/segment_window.h"
#include "publisher/origin/origin_limits.h"
#include "publisher/origin/qoe/qoe_table.h"
#include "publisher/segment.h"

namespace podium::publisher::origin {

struct ChannelConfig {
    std::string name;
    MediaTime segmentTarget{180000, 90000};
    MediaTime partTarget{45000, 90000};
    MediaTime dvrWindow{60 * 90000, 90000};  ///< complete segments older than this are evicted
    /// Wall clock (Unix ms) of media time 0. 0 = anchored when the first media arrives (ingest,
    /// pull): its end is taken as "now", so PROGRAM-DATE-TIME, prft and the DASH AST say when
    /// the media reached this origin rather than 1970.
    int64_t availabilityStartMs = 0;
    /// Bytes held by the whole channel (all tracks); the oldest segments go beyond this.
    uint64_t maxBytes = OriginLimits{}.maxDvrBytesPerChannel;
    /// Segments kept per track; the oldest go beyond this (a flood of tiny fragments).
    int maxSegmentsPerTrack = OriginLimits{}.maxSegmentsPerTrack;
    /// Ended and removed by ChannelStore::expireIdle when no media came for a while (ingest).
    bool expiresWhenIdle = false;
    QoeLimits qoe{std::size_t(OriginLimits{}.maxQoeViewers)};  ///< its viewers' beacons
    /// How close to live its players are told to play (the preset's): LL-HLS PART-HOLD-BACK
    /// in part targets, the DASH ServiceDescription latency target in ms (0 = derived).
    double partHoldBackParts = 3.0;
    int64_t dashLatencyTargetMs = 0;
};

/// One live channel in the origin: a manifest::SegmentWindow behind a lock, the snapshot it
/// last published, and a way to wait for changes without blocking a thread (LL-HLS blocking
/// playlist reload). Writers: the in-process OriginSink (fan-out thread) or an ingest session
/// (server thread). Readers: any thread, through view(); they never lock the window and never
/// see a half-applied update. Thread-safe.
class Channel {
public:
    explicit Channel(ChannelConfig config);

    [[nodiscard]] manifest::ChannelViewPtr view() const;
    [[nodiscard]] const std::string& name() const { return config_.name; }

    /// See manifest::SegmentWindow for what each change does; each publishes a new view and
    /// wakes the waiters when it changed something.
    void setTracks(const std::vector<TrackInfo>& tracks);
    void setInit(const InitSegmentPtr& init);
    /// Several tracks' headers at once: one new view, not one per track.
    void setInits(const std::vector<InitSegmentPtr>& inits);
    void addChunk(const ChunkPtr& chunk);
    void addSegment(const SegmentPtr& segment);
    /// Wall clock (Unix ms) of the last chunk or segment taken (of the creation before any).
    [[nodiscard]] int64_t lastMediaMs() const { return lastMediaMs_.load(); }
    [[nodiscard]] const ChannelConfig& config() const { return config_; }
    void markDiscontinuity();
    /// The stream ended: no more segments; blocked readers are released.
    void end();

    /// Calls `onChange` once, on the writer's thread, at the next change (or at once if the
    /// channel already changed past `seenVersion`). The callback must only post work elsewhere.
    /// Returns an id for cancelWaiter (e.g. when the waiting request times out).
    uint64_t waitForChange(uint64_t seenVersion, std::function<void()> onChange);
    void cancelWaiter(uint64_t id);

    /// What its viewers report (POST /qoe/<ch>): thread-safe on its own, outside the lock.
    [[nodiscard]] QoeTable& qoe() { return qoe_; }
    [[nodiscard]] const QoeTable& qoe() const { return qoe_; }

private:
    struct Waiter {
        uint64_t id;
        std::function<void()> onChange;
    };

    void publish();  ///< publishes a new view and wakes the waiters; call with mutex_ held

    const ChannelConfig config_;
    mutable std::mutex mutex_;
    manifest::SegmentWindow window_;  ///< guarded by mutex_
    uint64_t version_ = 0;
    manifest::ChannelViewPtr view_;
    std::vector<Waiter> waiters_;
    uint64_t nextWaiterId_ = 1;
    std::atomic<int64_t> lastMediaMs_{0};
    QoeTable qoe_;
};

}  // namespace podium::publisher::origin

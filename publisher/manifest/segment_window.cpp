#include "publisher/manifest/segment_window.h"

#include <algorithm>

#include "core/clock.h"

namespace podium::publisher::manifest {

/// Mutable per-track state behind the snapshots.
struct SegmentWindow::TrackState {
    TrackInfo info;
    InitSegmentPtr init;
    SegmentList segments;  ///< the list the last view published (shared with it)
    int64_t discontinuitySequence = 0;
    bool nextIsDiscontinuity = false;
    double peakBitrateBps = 0;
    uint64_t bytesIn = 0;
    // Running sums over the window (no walk over the segments on every change).
    uint64_t windowBytes = 0;    ///< footprint of every segment in the window
    uint64_t completeBytes = 0;  ///< whole-segment bytes of the complete segments
    int64_t completeMicros = 0;  ///< their total duration
    int64_t openNumber = -1;     ///< packager number (Chunk::segmentNumber) of the open segment
};

namespace {

int64_t micros(MediaTime t) {
    return t.timescale > 0 ? int64_t(double(t.value) * 1e6 / double(t.timescale)) : 0;
}

/// The whole segment's bytes, shared with the immutable Segment (no copy).
Bytes bytesOf(const SegmentPtr& segment) {
    return Bytes(segment, &segment->bytes);
}

int64_t nextSequence(const SegmentList& segments, int64_t number) {
    return segments.empty() ? number : segments.back().sequence + 1;
}

/// The concatenation of a segment's parts (its bytes as a complete segment).
Bytes joinParts(const StoredSegment& segment) {
    auto joined = std::make_shared<std::vector<uint8_t>>();
    for (const StoredPart& p : segment.parts) {
        if (p.bytes) {
            joined->insert(joined->end(), p.bytes->begin(), p.bytes->end());
        }
    }
    return joined;
}

}  // namespace

WindowConfig WindowConfig::recording(std::string name, MediaTime segmentTarget,
                                     int64_t availabilityStartMs) {
    WindowConfig config;
    config.name = std::move(name);
    config.segmentTarget = segmentTarget;
    config.partTarget = MediaTime{0, segmentTarget.timescale};
    config.dvrWindow = std::nullopt;
    config.availabilityStartMs = availabilityStartMs;
    config.keepMedia = false;
    config.numberedByFeed = true;
    config.logComponent = "archive";
    return config;
}

const TrackView* ChannelView::track(const std::string& id) const {
    for (const auto& t : tracks) {
        if (t.info.id == id) {
            return &t;
        }
    }
    return nullptr;
}

SegmentWindow::SegmentWindow(WindowConfig config)
    : config_(std::move(config)),
      anchorMs_(config_.availabilityStartMs),
      windowCuts_(config_.logComponent, 60000),
      cutShort_(config_.logComponent, 60000) {}

void SegmentWindow::setTracks(const std::vector<TrackInfo>& tracks) {
    std::unordered_map<std::string, std::shared_ptr<TrackState>> existing;
    for (const auto& t : tracks_) {
        existing.emplace(t->info.id, t);
    }
    std::vector<std::shared_ptr<TrackState>> next;
    next.reserve(tracks.size());
    byIndex_.clear();
    for (const auto& info : tracks) {
        auto found = existing.find(info.id);
        auto state = found != existing.end() ? found->second : std::make_shared<TrackState>();
        state->info = info;
        byIndex_[info.trackIndex] = state.get();
        next.push_back(std::move(state));
    }
    tracks_ = std::move(next);
}

SegmentWindow::TrackState* SegmentWindow::findTrack(int trackIndex) {
    const auto it = byIndex_.find(trackIndex);
    return it == byIndex_.end() ? nullptr : it->second;
}

void SegmentWindow::setInit(const InitSegmentPtr& init) {
    TrackState* track = findTrack(init->track.trackIndex);
    if (!track) {
        return;
    }
    if (track->init && track->init->bytes != init->bytes) {
        track->nextIsDiscontinuity = true;
    }
    track->init = init;
    track->info = init->track;
}

bool SegmentWindow::closeCutShort(TrackState& track, SegmentList::Items& items, int64_t number) {
    if (items.empty() || items.back()->isComplete() || track.openNumber == number) {
        return false;
    }
    // The rest of the open segment will never come (the feed's queue dropped it): what came is
    // a valid, shorter segment (styp + whole chunks). Close it as it is; appending the next
    // segment's chunks to it would serve two segments glued together under one number.
    StoredSegment done = *items.back();
    items.pop_back();
    track.windowBytes -= done.footprintBytes();
    done.bytes = joinParts(done);
    complete(track, done);
    items.push_back(std::make_shared<const StoredSegment>(std::move(done)));
    cutShort_.hit(LogLevel::Warning, "track " + track.info.id +
                                         ": a segment's end was lost on the way; served shorter");
    return true;
}

void SegmentWindow::startSegment(TrackState& track, StoredSegment& segment, int64_t number) {
    const SegmentList& segments = track.segments;
    segment.sequence = config_.numberedByFeed ? number : nextSequence(segments, number);
    const bool gap =
        config_.numberedByFeed && !segments.empty() && number != segments.back().sequence + 1;
    segment.discontinuity = track.nextIsDiscontinuity || gap;
    track.nextIsDiscontinuity = false;
}

void SegmentWindow::complete(TrackState& track, StoredSegment& segment) {
    segment.size = segment.bytes ? segment.bytes->size() : 0;
    if (!config_.keepMedia) {
        static const Bytes kLetGo = std::make_shared<const std::vector<uint8_t>>();
        segment.bytes = kLetGo;  // complete, and none of its bytes held
        segment.parts.clear();
        segment.source.reset();
    }
    track.windowBytes += segment.footprintBytes();
    track.completeBytes += segment.size;
    track.completeMicros += micros(segment.duration);
}

void SegmentWindow::anchorAt(MediaTime end) {
    if (anchorMs_ == 0) {
        anchorMs_ = wallClockMillis() - int64_t(end.seconds() * 1000.0 + 0.5);
    }
}

bool SegmentWindow::addChunk(const ChunkPtr& chunk) {
    TrackState* track = findTrack(chunk->trackIndex);
    if (!track || ended_) {
        return false;
    }
    SegmentList::Items items = track->segments.items();
    const bool closed = closeCutShort(*track, items, chunk->segmentNumber);
    StoredSegment open;
    const bool opensSegment = items.empty() || items.back()->isComplete();
    if (opensSegment) {
        if (chunk->partIndex != 0) {
            // Joined mid-segment: wait for the next segment's first part. A segment closed
            // just above is kept (its bytes are already counted in the window).
            if (closed) {
                track->segments =
                    SegmentList(std::make_shared<const SegmentList::Items>(std::move(items)));
                evictForBytes();
            }
            return closed;
        }
        anchorAt(chunk->start + chunk->duration);
        startSegment(*track, open, chunk->segmentNumber);
        open.start = chunk->start;
        open.duration = MediaTime{0, chunk->start.timescale};
        open.programDateTimeMs = anchorMs_ + int64_t(chunk->start.seconds() * 1000.0 + 0.5);
        track->openNumber = chunk->segmentNumber;
    } else {
        open = *items.back();  // copies the part list (pointers), not the bytes
        items.pop_back();
    }
    open.parts.push_back(
        StoredPart{chunk->duration, chunk->isIndependent, Bytes(chunk, &chunk->bytes)});
    open.duration = open.duration + chunk->duration;
    items.push_back(std::make_shared<const StoredSegment>(std::move(open)));
    track->segments = SegmentList(std::make_shared<const SegmentList::Items>(std::move(items)));
    track->bytesIn += chunk->bytes.size();
    track->windowBytes += chunk->bytes.size();
    evictForBytes();
    return true;
}

bool SegmentWindow::addSegment(const SegmentPtr& segment) {
    TrackState* track = findTrack(segment->trackIndex);
    if (!track || ended_) {
        return false;
    }
    SegmentList::Items items = track->segments.items();
    closeCutShort(*track, items, segment->number);
    const bool hasOpen = !items.empty() && !items.back()->isComplete();
    StoredSegment done;
    const Bytes whole = bytesOf(segment);
    if (hasOpen) {
        done = *items.back();
        items.pop_back();
        track->windowBytes -= done.footprintBytes();
    } else {
        // A feed without chunks: the whole segment at once, its parts as recorded. A part
        // covering the whole segment (ingest: one fragment, one part) shares its bytes.
        anchorAt(segment->start + segment->duration);
        startSegment(*track, done, segment->number);
        done.start = segment->start;
        done.programDateTimeMs = anchorMs_ + int64_t(segment->start.seconds() * 1000.0 + 0.5);
        for (const auto& p : segment->parts) {
            if (!config_.keepMedia) {
                break;  // a recording keeps no parts (complete() would let them go)
            }
            Bytes bytes = whole;
            if (p.offset != 0 || p.size != segment->bytes.size()) {
                bytes = std::make_shared<const std::vector<uint8_t>>(
                    segment->bytes.begin() + std::ptrdiff_t(p.offset),
                    segment->bytes.begin() + std::ptrdiff_t(p.offset + p.size));
            }
            done.parts.push_back(StoredPart{p.duration, p.isIndependent, std::move(bytes)});
        }
        track->bytesIn += segment->bytes.size();
    }
    done.duration = segment->duration;
    done.bytes = whole;
    done.source = segment;
    complete(*track, done);
    track->peakBitrateBps = std::max(track->peakBitrateBps, segment->bitrateBps());
    items.push_back(std::make_shared<const StoredSegment>(std::move(done)));
    track->segments = SegmentList(std::make_shared<const SegmentList::Items>(std::move(items)));
    evict(*track);
    evictForBytes();
    return true;
}

void SegmentWindow::evict(TrackState& track) {
    const SegmentList::Items& items = track.segments.items();
    if (items.empty()) {
        return;
    }
    const MediaTime newestEnd = items.back()->start + items.back()->duration;
    const std::size_t maxCount = std::size_t(std::max(1, config_.maxSegmentsPerTrack));
    std::size_t drop = 0;
    bool cutByCount = false;
    // By time, keeping at least three complete segments (HLS needs 3 target durations); by
    // count, keeping the newest complete one.
    for (; drop < items.size(); ++drop) {
        const std::size_t left = items.size() - drop;
        const StoredSegment& oldest = *items[drop];
        const bool tooOld = config_.dvrWindow && left > 4 &&
                            newestEnd - (oldest.start + oldest.duration) > *config_.dvrWindow;
        const bool tooMany = left > maxCount && (left >= 3 || items.back()->isComplete());
        if (!tooOld && !tooMany) {
            break;
        }
        cutByCount = cutByCount || !tooOld;
    }
    if (drop == 0) {
        return;
    }
    for (std::size_t i = 0; i < drop; ++i) {
        track.windowBytes -= items[i]->footprintBytes();
        track.completeBytes -= items[i]->size;
        track.completeMicros -= micros(items[i]->duration);
        if (items[i + 1]->discontinuity) {
            ++track.discontinuitySequence;
        }
    }
    track.segments = SegmentList(std::make_shared<const SegmentList::Items>(
        items.begin() + std::ptrdiff_t(drop), items.end()));
    if (cutByCount) {
        windowCuts_.hit(LogLevel::Warning, "channel " + config_.name + ": window of track " +
                                               track.info.id + " cut to " +
                                               std::to_string(maxCount) + " segments (" +
                                               config_.segmentLimitName + ")");
    }
}

uint64_t SegmentWindow::heldBytes() const {
    uint64_t total = 0;
    for (const auto& t : tracks_) {
        total += t->windowBytes;
    }
    return total;
}

void SegmentWindow::evictForBytes() {
    uint64_t held = heldBytes();
    if (held <= config_.maxBytes) {
        return;
    }
    // Oldest media first, across the tracks, until the channel fits (or only each track's
    // newest complete segment is left).
    std::vector<std::pair<TrackState*, std::size_t>> drops;  // track, segments to drop
    for (const auto& t : tracks_) {
        drops.emplace_back(t.get(), 0);
    }
    while (held > config_.maxBytes) {
        std::pair<TrackState*, std::size_t>* oldest = nullptr;
        double oldestStart = 0;
        for (auto& d : drops) {
            const SegmentList::Items& items = d.first->segments.items();
            const std::size_t left = items.size() - d.second;
            // A segment leaves only if a newer complete one stays behind it.
            const bool canDrop = left >= 3 || (left == 2 && items.back()->isComplete());
            if (!canDrop) {
                continue;
            }
            const double start = items[d.second]->start.seconds();
            if (!oldest || start < oldestStart) {
                oldest = &d;
                oldestStart = start;
            }
        }
        if (!oldest) {
            break;
        }
        const StoredSegment& segment = *oldest->first->segments.items()[oldest->second];
        held -= segment.footprintBytes();
        ++oldest->second;
    }
    for (auto& [track, drop] : drops) {
        if (drop == 0) {
            continue;
        }
        const SegmentList::Items& items = track->segments.items();
        for (std::size_t i = 0; i < drop; ++i) {
            track->windowBytes -= items[i]->footprintBytes();
            track->completeBytes -= items[i]->size;
            track->completeMicros -= micros(items[i]->duration);
            if (items[i + 1]->discontinuity) {
                ++track->discontinuitySequence;
            }
        }
        track->segments = SegmentList(std::make_shared<const SegmentList::Items>(
            items.begin() + std::ptrdiff_t(drop), items.end()));
    }
    windowCuts_.hit(LogLevel::Warning, "channel " + config_.name + ": window cut to " +
                                           std::to_string(heldBytes()) + " bytes (" +
                                           config_.byteLimitName + " " +
                                           std::to_string(config_.maxBytes) + ")");
}

void SegmentWindow::markDiscontinuity() {
    for (auto& t : tracks_) {
        t->nextIsDiscontinuity = true;
    }
}

void SegmentWindow::end() {
    ended_ = true;
}

ChannelViewPtr SegmentWindow::snapshot(uint64_t version) const {
    auto view = std::make_shared<ChannelView>();
    view->name = config_.name;
    view->segmentTarget = config_.segmentTarget;
    view->partTarget = config_.partTarget;
    view->availabilityStartMs = anchorMs_;
    view->ended = ended_;
    view->version = version;
    view->tracks.reserve(tracks_.size());
    for (const auto& t : tracks_) {
        TrackView tv;
        tv.info = t->info;
        tv.init = t->init;
        tv.segments = t->segments;  // one pointer: the segments are shared with the last view
        tv.discontinuitySequence = t->discontinuitySequence;
        tv.peakBitrateBps = t->peakBitrateBps;
        tv.bytesIn = t->bytesIn;
        tv.windowBytes = t->windowBytes;
        tv.averageBitrateBps = t->completeMicros > 0
                                   ? double(t->completeBytes) * 8e6 / double(t->completeMicros)
                                   : 0.0;
        view->tracks.push_back(std::move(tv));
    }
    return view;
}

}  // namespace podium::publisher::manifest

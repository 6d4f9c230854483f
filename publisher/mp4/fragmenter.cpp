#include "publisher/mp4/fragmenter.h"

#include <limits>

#include "publisher/mp4/init_segment.h"
#include "publisher/mp4/media_segment.h"

namespace podium::publisher::mp4 {

Fragmenter::Fragmenter(const TrackInfo& track, SegmentSchedule schedule)
    : track_(track),
      schedule_(schedule),
      partSchedule_(schedule.partDuration(), schedule.partDuration()) {}

Status Fragmenter::error(ErrorCode code, const std::string& message) const {
    return Status(code, message).withContext("track " + track_.id);
}

// Parts are cut on decode time: it is monotonic and evenly spaced, so every part holds the same
// number of frames (15 at 30 fps for 0.5 s) even with B-frame reordering. Segments are cut on the
// IDR's presentation time (the schedule), which equals its decode time after decodeShift_.
int64_t Fragmenter::partIndexInOpenSegment(int64_t decodeTime) const {
    const MediaTime segmentStart = schedule_.segmentStart(segment_->number);
    return partSchedule_.segmentIndexOf(MediaTime{decodeTime, track_.timescale} - segmentStart);
}

Result<FragmenterOutput> Fragmenter::addPacket(const EncodedPacket& packet) {
    if (finished_) {
        return makeError(error(ErrorCode::InvalidArgument, "packet after finish()"));
    }
    const bool isVideo = track_.kind == TrackKind::Video;
    if (!started_ && isVideo && !packet.isKeyframe) {
        ++droppedPackets_;
        return FragmenterOutput{};
    }
    if (started_ && packet.dts <= lastDts_) {
        return makeError(
            error(ErrorCode::InvalidArgument, "non-monotonic dts " + std::to_string(packet.dts) +
                                                  " after " + std::to_string(lastDts_)));
    }
    if (!started_) {
        started_ = true;
        decodeShift_ = packet.pts - packet.dts;
    }
    lastDts_ = packet.dts;

    PendingSample next{packet.pts, packet.dts + decodeShift_, packet.duration,
                       !isVideo || packet.isKeyframe, packet.data};
    FragmenterOutput out;
    if (pending_) {
        pending_->duration = next.decodeTime - pending_->decodeTime;
        auto committed = commit(std::move(*pending_));
        pending_.reset();
        if (!committed) {
            return makeError(committed.error());
        }
        const int64_t segmentIndex =
            schedule_.segmentIndexOf(MediaTime{next.pts, track_.timescale});
        if (segmentIndex > segment_->number && next.isSync) {
            closeChunk(out);
            closeSegment(out, false);
        } else if (partIndexInOpenSegment(next.decodeTime) > openPartIndex_) {
            closeChunk(out);
        }
    }
    openSegmentIfNeeded(next);
    if (next.decodeTime < 0) {
        return makeError(error(ErrorCode::InvalidArgument,
                               "negative decode time " + std::to_string(next.decodeTime)));
    }
    pending_ = std::move(next);
    return out;
}

void Fragmenter::openSegmentIfNeeded(const PendingSample& first) {
    if (!segment_) {
        segment_ = Segment{};
        segment_->trackIndex = track_.trackIndex;
        segment_->number = schedule_.segmentIndexOf(MediaTime{first.pts, track_.timescale});
        segment_->start = MediaTime{first.decodeTime, track_.timescale};
        segment_->duration = MediaTime{0, track_.timescale};
    }
    if (chunkSamples_.empty()) {
        openPartIndex_ = partIndexInOpenSegment(first.decodeTime);
    }
}

Result<void> Fragmenter::commit(PendingSample sample) {
    if (sample.duration <= 0 || sample.duration > std::numeric_limits<uint32_t>::max()) {
        return makeError(error(ErrorCode::InvalidArgument,
                               "sample duration " + std::to_string(sample.duration) +
                                   " out of range at pts " + std::to_string(sample.pts)));
    }
    const int64_t offset = sample.pts - sample.decodeTime;
    if (offset < std::numeric_limits<int32_t>::min() ||
        offset > std::numeric_limits<int32_t>::max()) {
        return makeError(
            error(ErrorCode::InvalidArgument,
                  "composition offset out of range at pts " + std::to_string(sample.pts)));
    }
    chunkSamples_.push_back(std::move(sample));
    return ok();
}

void Fragmenter::closeChunk(FragmenterOutput& out) {
    if (chunkSamples_.empty()) {
        return;
    }
    std::vector<Sample> samples;
    samples.reserve(chunkSamples_.size());
    int64_t duration = 0;
    for (const PendingSample& s : chunkSamples_) {
        samples.push_back(
            Sample{uint32_t(s.duration), s.isSync, int32_t(s.pts - s.decodeTime), s.data});
        duration += s.duration;
    }
    const bool firstOfSegment = segment_->parts.empty();
    ChunkConfig config;
    config.sequenceNumber = nextSequence_++;
    config.trackId = trackIdOf(track_);
    config.baseDecodeTime = uint64_t(chunkSamples_.front().decodeTime);
    if (firstOfSegment) {
        config.stypBrands = segmentStypBrands();
    }

    Chunk chunk;
    chunk.trackIndex = track_.trackIndex;
    chunk.segmentNumber = segment_->number;
    chunk.partIndex = int(segment_->parts.size());
    chunk.start = MediaTime{chunkSamples_.front().decodeTime, track_.timescale};
    chunk.duration = MediaTime{duration, track_.timescale};
    chunk.isIndependent = chunkSamples_.front().isSync;
    chunk.bytes = buildChunk(config, samples);

    segment_->parts.push_back(
        PartInfo{segment_->bytes.size(), chunk.bytes.size(), chunk.duration, chunk.isIndependent});
    segment_->bytes.insert(segment_->bytes.end(), chunk.bytes.begin(), chunk.bytes.end());
    segment_->duration.value += duration;
    chunkSamples_.clear();
    out.chunks.push_back(std::move(chunk));
}

void Fragmenter::closeSegment(FragmenterOutput& out, bool isLast) {
    if (!segment_) {
        return;
    }
    segment_->isLast = isLast;
    out.segments.push_back(std::move(*segment_));
    segment_.reset();
}

Result<FragmenterOutput> Fragmenter::finish() {
    FragmenterOutput out;
    if (finished_) {
        return out;
    }
    finished_ = true;
    if (pending_) {
        if (pending_->duration <= 0 && !chunkSamples_.empty()) {
            pending_->duration = chunkSamples_.back().duration;  // no nominal duration given
        }
        auto committed = commit(std::move(*pending_));
        pending_.reset();
        if (!committed) {
            return makeError(committed.error());
        }
    }
    closeChunk(out);
    closeSegment(out, true);
    return out;
}

}  // namespace podium::publisher::mp4

#include "publisher/mp4/packager.h"

#include <memory>

#include "publisher/mp4/init_segment.h"

namespace podium::publisher {

Packager::Packager(std::vector<TrackInfo> tracks, SegmentSchedule schedule,
                   PackagerListener& listener)
    : tracks_(std::move(tracks)), listener_(listener) {
    fragmenters_.reserve(tracks_.size());
    for (const TrackInfo& track : tracks_) {
        fragmenters_.emplace_back(track, schedule);
    }
}

void Packager::start() {
    for (const TrackInfo& track : tracks_) {
        auto init = std::make_shared<InitSegment>();
        init->track = track;
        init->bytes = mp4::buildInitSegment(track);
        listener_.onInitSegment(init);
    }
}

Result<void> Packager::addPacket(const EncodedPacket& packet) {
    for (mp4::Fragmenter& fragmenter : fragmenters_) {
        if (fragmenter.track().trackIndex != packet.trackIndex) {
            continue;
        }
        ++packetsIn_;
        auto output = fragmenter.addPacket(packet);
        if (!output) {
            return makeError(output.error());
        }
        forward(std::move(*output));
        return ok();
    }
    return makeError(ErrorCode::InvalidArgument,
                     "packet for unknown track index " + std::to_string(packet.trackIndex));
}

Result<void> Packager::finish() {
    if (finished_) {
        return ok();
    }
    finished_ = true;
    Result<void> result = ok();
    for (mp4::Fragmenter& fragmenter : fragmenters_) {
        auto output = fragmenter.finish();
        if (!output) {
            if (result) {
                result = makeError(output.error());
            }
            continue;
        }
        forward(std::move(*output));
    }
    listener_.onEndOfStream();
    return result;
}

int64_t Packager::droppedPackets() const {
    int64_t dropped = 0;
    for (const mp4::Fragmenter& fragmenter : fragmenters_) {
        dropped += fragmenter.droppedPackets();
    }
    return dropped;
}

void Packager::forward(mp4::FragmenterOutput output) {
    for (Chunk& chunk : output.chunks) {
        listener_.onChunk(std::make_shared<const Chunk>(std::move(chunk)));
    }
    for (Segment& segment : output.segments) {
        ++segmentsOut_;
        listener_.onSegment(std::make_shared<const Segment>(std::move(segment)));
    }
}

}  // namespace podium::publisher

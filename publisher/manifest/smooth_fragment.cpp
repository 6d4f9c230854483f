#include "publisher/manifest/smooth_fragment.h"

#include <algorithm>
#include <string>

#include "publisher/mp4/fragment_merge.h"
#include "publisher/mp4/media_segment.h"

namespace podium::publisher::manifest {

Result<std::vector<uint8_t>> buildSmoothFragment(const TrackView& track, int64_t startTicks,
                                                 int lookahead, bool ended) {
    std::vector<const StoredSegment*> complete;
    for (const auto& s : track.segments) {
        if (s.isComplete()) {
            complete.push_back(&s);
        }
    }
    const auto it = std::find_if(complete.begin(), complete.end(),
                                 [&](const auto* s) { return s->start.value == startTicks; });
    const std::string where = "track " + track.info.id + " fragment " + std::to_string(startTicks);
    if (it == complete.end()) {
        const bool future =
            !track.segments.empty() && startTicks >= track.segments.back().start.value;
        if (future && !ended) {
            return makeError(Status(ErrorCode::FailedPrecondition, "fragment not available yet")
                                 .withContext(where));
        }
        return makeError(Status(ErrorCode::NotFound, "no such fragment").withContext(where));
    }
    const size_t index = size_t(it - complete.begin());
    const size_t held = ended ? 0 : size_t(std::max(0, lookahead));
    if (index + held >= complete.size()) {
        return makeError(
            Status(ErrorCode::FailedPrecondition, "fragment not announced yet").withContext(where));
    }
    const StoredSegment& segment = **it;
    mp4::MergeOptions merge;
    merge.sequenceNumber = uint32_t(segment.sequence + 1);
    merge.decodeTime = uint64_t(segment.start.value);
    merge.video = track.info.kind == TrackKind::Video;
    merge.tfxd = mp4::FragmentTime{segment.start.value, segment.duration.value};
    for (size_t i = index + 1;
         i < complete.size() && merge.tfrf.size() < size_t(std::max(0, lookahead)); ++i) {
        merge.tfrf.push_back(
            mp4::FragmentTime{complete[i]->start.value, complete[i]->duration.value});
    }
    auto fragment = mp4::mergeFragments(*segment.bytes, merge);
    if (!fragment) {
        return makeError(fragment.error()
                             .withContext("segment " + std::to_string(segment.sequence))
                             .withContext(where));
    }
    return fragment;
}

}  // namespace podium::publisher::manifest

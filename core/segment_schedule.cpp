#include "segment_schedule.h"

#include <cassert>

namespace podium {

namespace {
// floor(t / d) on exact rational times.
int64_t floorDiv(MediaTime t, MediaTime d) {
    const __int128 num = static_cast<__int128>(t.value) * d.timescale;
    const __int128 den = static_cast<__int128>(d.value) * t.timescale;
    __int128 q = num / den;
    if ((num % den != 0) && ((num < 0) != (den < 0))) {
        --q;
    }
    return static_cast<int64_t>(q);
}
}  // namespace

SegmentSchedule::SegmentSchedule(MediaTime segmentDuration, MediaTime partDuration)
    : segmentDuration_(segmentDuration), partDuration_(partDuration) {
    assert(segmentDuration.value > 0 && partDuration.value > 0);
    assert(partDuration <= segmentDuration);
}

int64_t SegmentSchedule::segmentIndexOf(MediaTime t) const { return floorDiv(t, segmentDuration_); }

MediaTime SegmentSchedule::segmentStart(int64_t segmentIndex) const {
    return MediaTime{segmentDuration_.value * segmentIndex, segmentDuration_.timescale};
}

int64_t SegmentSchedule::partIndexOf(MediaTime t) const {
    return floorDiv(t - segmentStart(segmentIndexOf(t)), partDuration_);
}

bool SegmentSchedule::isSegmentBoundary(MediaTime previous, MediaTime current) const {
    return segmentIndexOf(current) != segmentIndexOf(previous);
}

bool SegmentSchedule::isPartBoundary(MediaTime previous, MediaTime current) const {
    return isSegmentBoundary(previous, current) || partIndexOf(current) != partIndexOf(previous);
}

}  // namespace podium

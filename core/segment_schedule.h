#pragma once

#include <cstdint>

#include "media_time.h"

namespace podium {

/// The one alignment rule (shaka's "consistent chunking"): a presentation time t belongs to
/// segment floor(t / segmentDuration) and, inside it, to part floor((t - segmentStart) /
/// partDuration). The encoder forces an IDR on the first frame whose segment index changes, and
/// every fragmenter cuts on the same test, so all renditions line up without talking.
class SegmentSchedule {
public:
    /// Both durations must be > 0 and partDuration <= segmentDuration.
    SegmentSchedule(MediaTime segmentDuration, MediaTime partDuration);

    [[nodiscard]] int64_t segmentIndexOf(MediaTime t) const;
    [[nodiscard]] int64_t partIndexOf(MediaTime t) const;  ///< part inside its segment
    [[nodiscard]] MediaTime segmentStart(int64_t segmentIndex) const;

    /// True when `current` is the first time of a new segment after `previous`.
    [[nodiscard]] bool isSegmentBoundary(MediaTime previous, MediaTime current) const;
    /// True when `current` starts a new part (a new segment also starts a new part).
    [[nodiscard]] bool isPartBoundary(MediaTime previous, MediaTime current) const;

    [[nodiscard]] MediaTime segmentDuration() const { return segmentDuration_; }
    [[nodiscard]] MediaTime partDuration() const { return partDuration_; }

private:
    MediaTime segmentDuration_;
    MediaTime partDuration_;
};

}  // namespace podium

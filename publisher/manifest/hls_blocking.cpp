#include "publisher/manifest/hls_blocking.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <string>

namespace podium::publisher::manifest {

namespace {

constexpr int kMaxSegmentsAhead = 2;  // rfc8216bis 6.2.5.2: msn > last + 2 -> 400

Result<int64_t> parseNonNegative(std::string_view name, std::string_view text) {
    int64_t value = -1;
    const auto* end = text.data() + text.size();
    const auto result = std::from_chars(text.data(), end, value);
    if (text.empty() || result.ec != std::errc() || result.ptr != end || value < 0) {
        return makeError(
            ErrorCode::InvalidArgument,
            std::string(name) + " must be a non-negative integer, got '" + std::string(text) + "'");
    }
    return value;
}

/// Part index beyond which a request is refused: the most parts a segment can hold plus the
/// Advance Part Limit (3 s of parts, at least 3). "Can hold" is also what a segment in the
/// window did hold: an encoder that drops frames (a starved machine) cuts irregular parts, so
/// one long part must not shrink the limit below a part index a player legitimately asks for
/// (the one after the last part of a segment that had more parts than usual).
int64_t partLimit(const TrackView& track, MediaTime targetDuration) {
    double partSeconds = 0;
    size_t mostParts = 0;
    for (const auto& s : track.segments) {
        mostParts = std::max(mostParts, s.parts.size());
        for (const auto& p : s.parts) {
            partSeconds = std::max(partSeconds, p.duration.seconds());
        }
    }
    if (partSeconds <= 0) {
        return 1000;  // no parts seen yet: nothing to bound against
    }
    const double perSegment =
        std::max(std::ceil(targetDuration.seconds() / partSeconds), double(mostParts));
    const double advance = std::max(3.0, std::ceil(3.0 / partSeconds));
    return static_cast<int64_t>(perSegment + advance);
}

const StoredSegment* findSegment(const TrackView& track, int64_t msn) {
    for (const auto& s : track.segments) {
        if (s.sequence == msn) {
            return &s;
        }
    }
    return nullptr;
}

}  // namespace

Result<BlockingRequest> parseBlockingQuery(std::optional<std::string_view> msnText,
                                           std::optional<std::string_view> partText) {
    BlockingRequest request;
    if (partText && !msnText) {
        return makeError(ErrorCode::InvalidArgument, "_HLS_part without _HLS_msn");
    }
    if (msnText) {
        auto msn = parseNonNegative("_HLS_msn", *msnText);
        if (!msn) {
            return makeError(msn.error());
        }
        request.msn = *msn;
    }
    if (partText) {
        auto part = parseNonNegative("_HLS_part", *partText);
        if (!part) {
            return makeError(part.error());
        }
        if (*part > 1'000'000) {
            return makeError(ErrorCode::InvalidArgument, "_HLS_part out of range");
        }
        request.part = static_cast<int>(*part);
    }
    return request;
}

BlockDecision decideBlocking(const TrackView& track, bool ended, int64_t msn,
                             std::optional<int> part, MediaTime targetDuration) {
    if (msn < 0 || (part && *part < 0)) {
        return BlockDecision::BadRequest;
    }
    if (ended) {
        return BlockDecision::ServeNow;  // ENDLIST disables blocking
    }
    if (part && *part > partLimit(track, targetDuration)) {
        return BlockDecision::BadRequest;
    }
    if (track.segments.empty()) {
        return BlockDecision::Wait;
    }
    int64_t lastComplete = track.segments.front().sequence - 1;
    for (const auto& s : track.segments) {
        if (s.isComplete()) {
            lastComplete = s.sequence;
        }
    }
    if (msn > lastComplete + kMaxSegmentsAhead) {
        return BlockDecision::BadRequest;
    }
    if (msn < track.segments.front().sequence) {
        return BlockDecision::ServeNow;  // already left the window: the playlist is past it
    }
    const StoredSegment* segment = findSegment(track, msn);
    if (!part) {
        return segment && segment->isComplete() ? BlockDecision::ServeNow : BlockDecision::Wait;
    }
    if (segment && static_cast<size_t>(*part) < segment->parts.size()) {
        return BlockDecision::ServeNow;
    }
    if (segment && segment->isComplete()) {
        // A part index past the segment's last part is part 0 of the next segment.
        const StoredSegment* next = findSegment(track, msn + 1);
        const bool started = next && (!next->parts.empty() || next->isComplete());
        return started ? BlockDecision::ServeNow : BlockDecision::Wait;
    }
    return BlockDecision::Wait;
}

Result<BlockDecision> decideBlockingQuery(const ChannelView& view, const TrackView& track,
                                          std::optional<std::string_view> msnText,
                                          std::optional<std::string_view> partText) {
    auto request = parseBlockingQuery(msnText, partText);
    if (!request) {
        return makeError(request.error());
    }
    if (!request->isBlocking()) {
        return BlockDecision::ServeNow;
    }
    const BlockDecision decision =
        decideBlocking(track, view.ended, *request->msn, request->part, view.segmentTarget);
    if (decision == BlockDecision::BadRequest) {
        return makeError(ErrorCode::InvalidArgument,
                         "_HLS_msn / _HLS_part out of range for track " + track.info.id);
    }
    return decision;
}

}  // namespace podium::publisher::manifest

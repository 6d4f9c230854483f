#pragma once
// Shared helpers of the relay tests: a channel in a ChannelStore fed with a real encode.

#include <memory>

#include "../push/push_test_support.h"
#include "publisher/origin/channel_store.h"

namespace podium::publisher::relay::test {

using push::test::TestStream;

/// Declares the stream's tracks on `channel`, then stores every init and segment (and ends the
/// channel when the stream carries its end), as an in-process feed would.
inline void feedChannel(origin::Channel& channel, const TestStream& stream, bool end = true) {
    channel.setTracks(stream.tracks);
    for (const auto& item : stream.items) {
        if (const auto* init = std::get_if<InitSegmentPtr>(&item)) {
            channel.setInit(*init);
        } else if (const auto* segment = std::get_if<SegmentPtr>(&item)) {
            channel.addSegment(*segment);
        } else if (end) {
            channel.end();
        }
    }
}

/// Complete segments of a track view.
inline std::vector<const manifest::StoredSegment*> completeSegments(const manifest::TrackView& t) {
    std::vector<const manifest::StoredSegment*> out;
    for (const auto& s : t.segments) {
        if (s.isComplete()) {
            out.push_back(&s);
        }
    }
    return out;
}

}  // namespace podium::publisher::relay::test

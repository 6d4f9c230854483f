#include "publisher/origin/origin_sink.h"

#include <type_traits>

namespace podium::publisher::origin {

OriginSink::OriginSink(ChannelStore& store, ChannelConfig config)
    : store_(store), config_(std::move(config)) {}

Result<void> OriginSink::open(const StreamDescription& stream) {
    ChannelConfig config = config_;
    if (stream.epochMs != 0) {
        config.availabilityStartMs = stream.epochMs;
    }
    channel_ = store_.recreate(config);
    channel_->setTracks(stream.tracks);
    return ok();
}

Result<void> OriginSink::deliver(const SinkItem& item) {
    std::visit(
        [&](const auto& value) {
            using T = std::decay_t<decltype(value)>;
            if constexpr (std::is_same_v<T, InitSegmentPtr>) {
                channel_->setInit(value);
            } else if constexpr (std::is_same_v<T, ChunkPtr>) {
                channel_->addChunk(value);
            } else if constexpr (std::is_same_v<T, SegmentPtr>) {
                channel_->addSegment(value);
            } else {
                channel_->end();
            }
        },
        item);
    ++items_;
    bytes_ += sinkItemBytes(item);
    return ok();
}

Result<void> OriginSink::close() {
    channel_->end();
    return ok();
}

SinkStats OriginSink::stats() const {
    return SinkStats{items_, bytes_};
}

}  // namespace podium::publisher::origin

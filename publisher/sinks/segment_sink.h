#pragma once

#include <cstdint>
#include <string>
#include <variant>
#include <vector>

#include "core/encoded_packet.h"
#include "core/status.h"
#include "publisher/segment.h"

namespace podium::publisher {

/// Marks the end of the stream in a sink's queue (after the last segment of every track).
struct EndOfStream {};

/// What travels on a sink's queue: shared, immutable packager output.
using SinkItem = std::variant<InitSegmentPtr, ChunkPtr, SegmentPtr, EndOfStream>;

/// What a sink reports about itself (bytes it wrote/sent). Sizes in bytes.
struct SinkStats {
    uint64_t itemsWritten = 0;
    uint64_t bytesWritten = 0;
};

/// A destination of the packaged stream (archive, origin store, push client). SinkFanout
/// calls open() on the caller's thread, then deliver()/close() on the sink's own worker
/// thread, one call at a time and in packager order; stats() may be called from any thread.
/// Implementations return Status (never throw); a failed deliver() stops the sink.
class SegmentSink {
public:
    virtual ~SegmentSink() = default;

    /// Short human name for logs and the UI ("archive /data/talk").
    [[nodiscard]] virtual std::string name() const = 0;
    /// True if the sink wants CMAF chunks (LL-HLS parts) as well as finished segments.
    [[nodiscard]] virtual bool wantsChunks() const { return false; }

    /// Called once before any item with the stream's tracks, schedule and epoch (see
    /// StreamDescription). Fail fast here (unwritable folder...).
    virtual Result<void> open(const StreamDescription& stream) = 0;
    /// One item, in order: every track's init first, then chunks/segments, then EndOfStream.
    virtual Result<void> deliver(const SinkItem& item) = 0;
    /// End of stream: finish files / requests. Called once, after the last deliver().
    virtual Result<void> close() = 0;

    [[nodiscard]] virtual SinkStats stats() const = 0;
};

/// Payload size of an item in bytes (0 for EndOfStream).
uint64_t sinkItemBytes(const SinkItem& item);

}  // namespace podium::publisher

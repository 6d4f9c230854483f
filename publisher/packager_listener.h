#pragma once

#include "publisher/segment.h"

namespace podium::publisher {

/// The seam between packaging and delivery (shaka's MuxerListener): the packager reports what
/// it produced; it never calls manifests or sinks directly. Called on the packager thread, in
/// order: every track's init first, then chunks and segments as they complete, then
/// onEndOfStream once. Implementations must not block for long (hand over to a queue).
class PackagerListener {
public:
    virtual ~PackagerListener() = default;
    virtual void onInitSegment(const InitSegmentPtr& init) = 0;
    virtual void onChunk(const ChunkPtr& chunk) = 0;
    virtual void onSegment(const SegmentPtr& segment) = 0;
    virtual void onEndOfStream() = 0;
};

}  // namespace podium::publisher

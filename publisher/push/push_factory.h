#pragma once

#include <memory>

#include "core/status.h"
#include "publisher/push/push_status.h"
#include "publisher/push/push_target.h"

namespace podium::publisher::push {

/// The push sink for `target.protocol`: SmoothPush, or a RequestPush speaking CMAF ingest or
/// HLS/DASH PUT (Hls and Dash both upload the HLS playlists and the MPD). Add it to the SinkFanout
/// with SinkQueuePolicy::sinkQueues() (its spool is its queue) or, when the spool is on disk,
/// dropOldestSegment(); keep a raw pointer for status(). Any thread.
Result<std::unique_ptr<PushSink>> makePushSink(const PushTarget& target,
                                               const PushOptions& options);

}  // namespace podium::publisher::push

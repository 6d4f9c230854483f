#pragma once

#include <memory>
#include <mutex>

#include "publisher/origin/ingest/ingest_registry.h"
#include "publisher/origin/segment_store.h"
#include "publisher/origin/server/origin_responder.h"
#include "publisher/origin/server/origin_server.h"
#include "publisher/origin/server/origin_stats.h"

namespace podium::publisher::origin {

/// Whether the server's io_context may still receive posted work. Channel change callbacks
/// run on writer threads (possibly after the server stopped): they post only while open.
struct PostGate {
    std::mutex mutex;
    bool open = true;
};

/// What every connection of one server shares; connections hold it by shared_ptr, so it
/// outlives the last of them. No Beast/Asio state in here.
struct ServerShared {
    ServerShared(OriginConfig c, SegmentStore& s)
        : config(std::move(c)), store(s), responder(store, config, stats) {}

    const OriginConfig config;
    SegmentStore& store;
    OriginStats stats;
    IngestRegistry ingestRegistry;
    OriginResponder responder;
    std::shared_ptr<PostGate> gate = std::make_shared<PostGate>();
};

}  // namespace podium::publisher::origin

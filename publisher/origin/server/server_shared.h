#pragma once

#include <atomic>
#include <memory>
#include <mutex>

#include "publisher/origin/channel_store.h"
#include "publisher/origin/ingest/ingest_registry.h"
#include "publisher/origin/server/connection_limiter.h"
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
    ServerShared(OriginConfig c, ChannelStore& s)
        : config(std::move(c)),
          store(s),
          stats(config.limits.maxViewerEntries),
          responder(store, config, stats),
          connections(config.limits.maxConnections, config.limits.maxConnectionsPerClient) {}

    const OriginConfig config;
    ChannelStore& store;
    OriginStats stats;
    IngestRegistry ingestRegistry;
    OriginResponder responder;
    std::shared_ptr<PostGate> gate = std::make_shared<PostGate>();
    ConnectionLimiter connections;          ///< admitted connections (total, per client)
    std::atomic<int> ingestConnections{0};  ///< ingest POSTs being read (CountedSlot)
    std::atomic<int> refusing{0};           ///< RefusedConnections answering now
};

}  // namespace podium::publisher::origin

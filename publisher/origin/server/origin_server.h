#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "core/status.h"
#include "publisher/origin/segment_store.h"
#include "publisher/origin/server/origin_stats.h"

namespace podium::publisher::origin {

struct OriginConfig {
    std::string bindAddress = "127.0.0.1";
    uint16_t port = 0;            ///< 0 = any free port (read it back with OriginServer::port())
    int threads = 2;              ///< I/O threads running every connection
    std::string publishToken;     ///< ingest credentials; empty = open ingest (local tests)
    std::string viewPasscode;     ///< viewer passcode for pages and media; empty = open
    bool acceptIngest = true;     ///< false: POST ingest answers 403
    int smoothLookahead = 2;      ///< LookAheadFragmentCount of the Smooth output
    int idleTimeoutSeconds = 60;  ///< a connection with no complete request for this long closes
    int maxHeaderBytes = 16 * 1024;
};

/// The origin's HTTP server (Boost.Beast/Asio): serves the channels of a SegmentStore as HLS /
/// LL-HLS, DASH and Smooth, the player pages, /metrics, and accepts ingest POSTs. A small pool
/// of I/O threads runs all connections; each connection is serialised on its own strand, and
/// blocked requests (LL-HLS reloads) wait asynchronously, holding no thread.
/// start/stop/port/metrics may be called from any thread; the store must outlive the server.
class OriginServer {
public:
    /// Binds and listens before returning; a busy port is an error such as
    /// "cannot listen on 127.0.0.1:8080: Address already in use".
    [[nodiscard]] static Result<std::unique_ptr<OriginServer>> start(OriginConfig config,
                                                                     SegmentStore& store);
    ~OriginServer();
    OriginServer(const OriginServer&) = delete;
    OriginServer& operator=(const OriginServer&) = delete;

    /// The bound port (the real one when the config asked for 0).
    [[nodiscard]] uint16_t port() const;
    /// Closes the listener and every connection, then joins the threads. Idempotent.
    void stop();
    [[nodiscard]] OriginMetrics metrics() const;

    struct Impl;

private:
    explicit OriginServer(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> impl_;
};

}  // namespace podium::publisher::origin

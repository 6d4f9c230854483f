#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "core/status.h"
#include "publisher/origin/channel_store.h"
#include "publisher/origin/origin_limits.h"
#include "publisher/origin/server/origin_stats.h"
#include "publisher/origin/server/publish_tokens.h"

namespace podium::publisher::origin {

struct OriginConfig {
    std::string bindAddress = "127.0.0.1";
    uint16_t port = 0;            ///< 0 = any free port (read it back with OriginServer::port())
    int threads = 2;              ///< I/O threads running every connection
    std::string publishToken;     ///< ingest credentials for every channel (--publish-token)
    PublishTokens publishTokens;  ///< per-channel ones (--publish-token-file); with neither,
                                  ///< ingest is open (in-process tests, loopback)
    std::string viewPasscode;     ///< viewer passcode for pages, the channel list and media
    std::string metricsToken;     ///< Bearer token for /metrics; empty: open, or the viewer
                                  ///< passcode when there is one
    bool acceptIngest = true;     ///< false: POST ingest answers 403
    int smoothLookahead = 2;      ///< LookAheadFragmentCount of the Smooth output
    OriginLimits limits;          ///< connections, headers, ingest, viewers, reloads
};

/// The origin's HTTP server (Boost.Beast/Asio): serves the channels of a ChannelStore as HLS /
/// LL-HLS, DASH and Smooth, the player pages, /metrics, and accepts ingest POSTs. A small pool
/// of I/O threads runs all connections; each connection is serialised on its own strand, and
/// blocked requests (LL-HLS reloads) wait asynchronously, holding no thread.
/// start/stop/port/metrics may be called from any thread; the store must outlive the server.
class OriginServer {
public:
    /// Binds and listens before returning; a busy port is an error such as
    /// "cannot listen on 127.0.0.1:8080: Address already in use".
    [[nodiscard]] static Result<std::unique_ptr<OriginServer>> start(OriginConfig config,
                                                                     ChannelStore& store);
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

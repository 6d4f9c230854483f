#include "publisher/origin/server/origin_server.h"

#include <sys/resource.h>

#include <algorithm>
#include <atomic>
#include <thread>
#include <vector>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>

#include "core/log.h"
#include "core/thread.h"
#include "publisher/origin/server/http_connection.h"
#include "publisher/origin/server/refused_connection.h"
#include "publisher/origin/server/server_shared.h"

namespace podium::publisher::origin {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

namespace {

const char kLog[] = "origin";

/// Descriptors kept for everything but viewers: files, pipes, the archive, pushes, pulls.
constexpr rlim_t kReservedDescriptors = 64;
constexpr auto kFirstAcceptBackoff = std::chrono::milliseconds(50);
constexpr auto kMaxAcceptBackoff = std::chrono::seconds(1);

/// Many viewers means many sockets: raise the soft descriptor limit to the hard one (as
/// nginx's worker_rlimit_nofile does). Best effort. Returns the limit now in force.
rlim_t raiseDescriptorLimit() {
    rlimit limit{};
    if (getrlimit(RLIMIT_NOFILE, &limit) != 0) {
        return RLIM_INFINITY;
    }
    if (limit.rlim_cur < limit.rlim_max) {
        limit.rlim_cur = limit.rlim_max;
        if (setrlimit(RLIMIT_NOFILE, &limit) != 0) {
            getrlimit(RLIMIT_NOFILE, &limit);
        }
    }
    return limit.rlim_cur;
}

/// maxConnections, lowered so that connections alone never exhaust the descriptors: past the
/// limit a viewer gets a clean 503 and the archive can still open its files.
OriginConfig withDescriptorBound(OriginConfig config) {
    const rlim_t descriptors = raiseDescriptorLimit();
    int& max = config.limits.maxConnections;
    if (descriptors != RLIM_INFINITY && rlim_t(max) + 2 * kReservedDescriptors > descriptors) {
        const rlim_t room =
            descriptors > 2 * kReservedDescriptors ? descriptors - 2 * kReservedDescriptors : 8;
        logWarning(kLog, "open-file limit " + std::to_string(descriptors) +
                             " (ulimit -n): connections capped at " + std::to_string(room) +
                             " instead of " + std::to_string(max));
        max = static_cast<int>(room);
    }
    return config;
}

/// accept() errors that say "no resources now" (the listener itself is fine): retrying at once
/// would spin on the same pending connection.
bool isResourceExhaustion(const boost::system::error_code& ec) {
    namespace errc = boost::system::errc;
    return ec == asio::error::no_descriptors || ec == errc::too_many_files_open_in_system ||
           ec == asio::error::no_buffer_space || ec == asio::error::no_memory;
}

}  // namespace

struct OriginServer::Impl {
    explicit Impl(OriginConfig config, ChannelStore& store)
        : shared(std::make_shared<ServerShared>(std::move(config), store)),
          ioc(std::max(1, shared->config.threads)),
          acceptor(asio::make_strand(ioc)),
          acceptPause(acceptor.get_executor()),
          ingestIoc(std::max(1, shared->config.threads)),
          ingestWork(asio::make_work_guard(ingestIoc)) {}

    Result<void> listen();
    void accept();
    void onAccepted(tcp::socket socket);
    void pauseAccepting(const boost::system::error_code& ec);
    void run();
    void runIngest();

    std::shared_ptr<ServerShared> shared;
    asio::io_context ioc;
    tcp::acceptor acceptor;
    asio::steady_timer acceptPause;  ///< on the acceptor's strand
    std::chrono::milliseconds acceptBackoff{0};
    RateLimitedLog refusals{kLog};
    RateLimitedLog acceptFailures{kLog};
    // Ingest bodies are parsed and stored here, never on the threads that answer viewers: a
    // heavy or stuck ingest cannot delay a playlist or /healthz. Declared after `ioc` so that
    // it is destroyed first (its queued work holds connections whose sockets live in `ioc`).
    asio::io_context ingestIoc;
    asio::executor_work_guard<asio::io_context::executor_type> ingestWork;
    std::vector<std::jthread> ingestThreads;
    uint16_t port = 0;
    std::vector<std::jthread> threads;
    std::atomic<bool> stopped{false};
};

Result<void> OriginServer::Impl::listen() {
    const OriginConfig& config = shared->config;
    const std::string where =
        "cannot listen on " + config.bindAddress + ":" + std::to_string(config.port) + ": ";
    boost::system::error_code ec;
    const auto address = asio::ip::make_address(config.bindAddress, ec);
    if (ec)
        return makeError(ErrorCode::InvalidArgument, where + "bad address");
    const tcp::endpoint endpoint(address, config.port);
    if (acceptor.open(endpoint.protocol(), ec); ec) {
        return makeError(ErrorCode::Io, where + ec.message());
    }
    acceptor.set_option(asio::socket_base::reuse_address(true), ec);
    if (acceptor.bind(endpoint, ec); ec) {
        // Another program has the port: Unavailable (try another), not a broken disk or socket.
        const bool taken = ec == asio::error::address_in_use;
        return makeError(taken ? ErrorCode::Unavailable : ErrorCode::Io, where + ec.message());
    }
    if (acceptor.listen(asio::socket_base::max_listen_connections, ec); ec) {
        return makeError(ErrorCode::Io, where + ec.message());
    }
    port = acceptor.local_endpoint(ec).port();
    return ok();
}

void OriginServer::Impl::accept() {
    // Each connection gets its own strand: its handlers never run concurrently.
    acceptor.async_accept(
        asio::make_strand(ioc), [this](boost::system::error_code ec, tcp::socket socket) {
            if (ec == asio::error::operation_aborted || !acceptor.is_open())
                return;
            if (isResourceExhaustion(ec))
                return pauseAccepting(ec);
            acceptBackoff = std::chrono::milliseconds(0);
            if (ec) {
                acceptFailures.hit(LogLevel::Warning, "accept failed: " + ec.message());
            } else {
                onAccepted(std::move(socket));
            }
            accept();
        });
}

void OriginServer::Impl::onAccepted(tcp::socket socket) {
    boost::system::error_code ec;
    const auto peer = socket.remote_endpoint(ec);
    const std::string clientIp = ec ? std::string() : peer.address().to_string();
    switch (shared->connections.admit(clientIp)) {
        case ConnectionLimiter::Admission::Admitted:
            socket.set_option(tcp::no_delay(true), ec);
            std::make_shared<HttpConnection>(std::move(socket), clientIp, shared,
                                             ingestIoc.get_executor())
                ->start();
            return;
        case ConnectionLimiter::Admission::ServerFull:
            shared->stats.countRefused();
            refusals.hit(LogLevel::Warning,
                         "server full (" + std::to_string(shared->connections.maxTotal()) +
                             " connections, --max-connections): refused a connection");
            return RefusedConnection::refuse(std::move(socket), "503 Service Unavailable",
                                             "server full, try again\n", shared->refusing);
        case ConnectionLimiter::Admission::ClientFull:
            shared->stats.countRefused();
            refusals.hit(LogLevel::Warning,
                         "client " + clientIp + " has " +
                             std::to_string(shared->connections.maxPerClient()) +
                             " connections open (--max-connections-per-client): refused one");
            return RefusedConnection::refuse(std::move(socket), "429 Too Many Requests",
                                             "too many connections from your address\n",
                                             shared->refusing);
    }
}

void OriginServer::Impl::pauseAccepting(const boost::system::error_code& ec) {
    // Out of descriptors (or buffers): the pending connection stays in the backlog and the
    // listener stays readable, so accepting again at once would spin. Wait, doubling up to 1 s.
    shared->stats.countAcceptError();
    acceptBackoff = std::clamp(acceptBackoff * 2, std::chrono::milliseconds(kFirstAcceptBackoff),
                               std::chrono::milliseconds(kMaxAcceptBackoff));
    acceptFailures.hit(LogLevel::Warning, "cannot accept connections: " + ec.message() +
                                              "; retrying in " +
                                              std::to_string(acceptBackoff.count()) + " ms");
    acceptPause.expires_after(acceptBackoff);
    acceptPause.async_wait([this](boost::system::error_code waitEc) {
        if (waitEc == asio::error::operation_aborted || !acceptor.is_open())
            return;
        accept();
    });
}

void OriginServer::Impl::run() {
    // A thread entry: nothing escapes. Handlers do not throw by design; if one does, log it
    // and keep the loop running.
    while (!runGuarded(kLog, [this] { ioc.run(); })) {
    }
}

void OriginServer::Impl::runIngest() {
    while (!runGuarded(kLog, [this] { ingestIoc.run(); })) {
    }
}

Result<std::unique_ptr<OriginServer>> OriginServer::start(OriginConfig config,
                                                          ChannelStore& store) {
    auto impl = std::make_unique<Impl>(withDescriptorBound(std::move(config)), store);
    if (auto listening = impl->listen(); !listening)
        return makeError(listening.error());
    impl->accept();
    const int threads = std::max(1, impl->shared->config.threads);
    for (int i = 0; i < threads; ++i) {
        auto thread = startThread("origin io " + std::to_string(i),
                                  [raw = impl.get()](std::stop_token) { raw->run(); });
        if (!thread) {
            impl->ioc.stop();
            return makeError(thread.error().withContext("origin"));
        }
        impl->threads.push_back(std::move(*thread));
        auto ingest = startThread("origin ingest " + std::to_string(i),
                                  [raw = impl.get()](std::stop_token) { raw->runIngest(); });
        if (!ingest) {
            impl->ioc.stop();
            impl->ingestIoc.stop();
            return makeError(ingest.error().withContext("origin"));
        }
        impl->ingestThreads.push_back(std::move(*ingest));
    }
    logInfo(kLog, "listening on " + impl->shared->config.bindAddress + ":" +
                      std::to_string(impl->port) + " (" + std::to_string(threads) + " threads)");
    return std::unique_ptr<OriginServer>(new OriginServer(std::move(impl)));
}

OriginServer::OriginServer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

OriginServer::~OriginServer() {
    stop();
}

uint16_t OriginServer::port() const {
    return impl_->port;
}

void OriginServer::stop() {
    if (impl_->stopped)
        return;
    impl_->stopped = true;
    {
        // From now on channel change callbacks post nothing into the io_context.
        std::lock_guard lock(impl_->shared->gate->mutex);
        impl_->shared->gate->open = false;
    }
    // Stop the loop; unfinished handlers (and with them the connections, their sockets and
    // waiters) are destroyed with the io_context.
    impl_->ioc.stop();
    for (auto& t : impl_->threads)
        t.join();
    impl_->threads.clear();
    // Then the ingest work: a feed in progress finishes (it may touch the store, which must
    // outlive the server), queued ones are dropped.
    impl_->ingestIoc.stop();
    for (auto& t : impl_->ingestThreads)
        t.join();
    impl_->ingestThreads.clear();
    boost::system::error_code ec;
    impl_->acceptPause.cancel();
    impl_->acceptor.close(ec);
    logInfo(kLog, "stopped");
}

OriginMetrics OriginServer::metrics() const {
    return impl_->shared->stats.snapshot(unixNowMs());
}

}  // namespace podium::publisher::origin

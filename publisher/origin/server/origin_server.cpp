#include "publisher/origin/server/origin_server.h"

#include <sys/resource.h>

#include <atomic>
#include <thread>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/strand.hpp>

#include "core/log.h"
#include "publisher/origin/server/http_connection.h"
#include "publisher/origin/server/server_shared.h"
#include "core/thread.h"

namespace podium::publisher::origin {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

namespace {

const char kLog[] = "origin";

/// Many viewers means many sockets: raise the soft descriptor limit to the hard one (as
/// nginx's worker_rlimit_nofile does). Best effort.
void raiseDescriptorLimit() {
    rlimit limit{};
    if (getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur < limit.rlim_max) {
        limit.rlim_cur = limit.rlim_max;
        setrlimit(RLIMIT_NOFILE, &limit);
    }
}

}  // namespace

struct OriginServer::Impl {
    explicit Impl(OriginConfig config, SegmentStore& store)
        : shared(std::make_shared<ServerShared>(std::move(config), store)),
          ioc(std::max(1, shared->config.threads)),
          acceptor(asio::make_strand(ioc)) {}

    Result<void> listen();
    void accept();
    void run();

    std::shared_ptr<ServerShared> shared;
    asio::io_context ioc;
    tcp::acceptor acceptor;
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
    if (acceptor.bind(endpoint, ec); ec)
        return makeError(ErrorCode::Io, where + ec.message());
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
            if (ec) {
                RateLimitedLog static failures(kLog);
                failures.hit(LogLevel::Warning, "accept failed: " + ec.message());
            } else {
                socket.set_option(tcp::no_delay(true), ec);
                std::make_shared<HttpConnection>(std::move(socket), shared)->start();
            }
            accept();
        });
}

void OriginServer::Impl::run() {
    // A thread entry: nothing escapes. Handlers do not throw by design; if one does, log it
    // and keep the loop running.
    while (!runGuarded(kLog, [this] { ioc.run(); })) {
    }
}

Result<std::unique_ptr<OriginServer>> OriginServer::start(OriginConfig config,
                                                          SegmentStore& store) {
    raiseDescriptorLimit();
    auto impl = std::make_unique<Impl>(std::move(config), store);
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
    boost::system::error_code ec;
    impl_->acceptor.close(ec);
    logInfo(kLog, "stopped");
}

OriginMetrics OriginServer::metrics() const {
    return impl_->shared->stats.snapshot(unixNowMs());
}

}  // namespace podium::publisher::origin

#include "publisher/origin/server/refused_connection.h"

#include <chrono>

#include <boost/asio/write.hpp>

namespace podium::publisher::origin {

namespace asio = boost::asio;
namespace beast = boost::beast;

namespace {
constexpr auto kLinger = std::chrono::seconds(2);
constexpr std::size_t kMaxDrainBytes = 64 * 1024;
}  // namespace

void RefusedConnection::refuse(asio::ip::tcp::socket socket, std::string status, std::string text,
                               std::atomic<int>& inFlight) {
    if (inFlight.fetch_add(1, std::memory_order_relaxed) >= kMaxInFlight) {
        inFlight.fetch_sub(1, std::memory_order_relaxed);
        boost::system::error_code ec;
        socket.close(ec);
        return;
    }
    std::string response = "HTTP/1.1 " + status +
                           "\r\nServer: podium\r\nContent-Type: text/plain; charset=utf-8\r\n"
                           "Cache-Control: no-store\r\nRetry-After: 5\r\n"
                           "Access-Control-Allow-Origin: *\r\nConnection: close\r\n"
                           "Content-Length: " +
                           std::to_string(text.size()) + "\r\n\r\n" + text;
    std::shared_ptr<RefusedConnection>(
        new RefusedConnection(std::move(socket), std::move(response), inFlight))
        ->start();
}

RefusedConnection::RefusedConnection(asio::ip::tcp::socket socket, std::string response,
                                     std::atomic<int>& inFlight)
    : stream_(std::move(socket)), response_(std::move(response)), inFlight_(inFlight) {}

RefusedConnection::~RefusedConnection() {
    inFlight_.fetch_sub(1, std::memory_order_relaxed);
}

void RefusedConnection::start() {
    stream_.expires_after(kLinger);
    asio::async_write(stream_, asio::buffer(response_),
                      [self = shared_from_this()](beast::error_code ec, std::size_t) {
                          if (ec) {
                              return self->stream_.close();
                          }
                          beast::error_code ignored;
                          self->stream_.socket().shutdown(asio::socket_base::shutdown_send,
                                                          ignored);
                          self->drain();
                      });
}

void RefusedConnection::drain() {
    // The deadline set in start() bounds the whole linger.
    stream_.async_read_some(asio::buffer(sink_),
                            [self = shared_from_this()](beast::error_code ec, std::size_t n) {
                                self->drained_ += n;
                                if (ec || self->drained_ > kMaxDrainBytes) {
                                    return self->stream_.close();
                                }
                                self->drain();
                            });
}

}  // namespace podium::publisher::origin

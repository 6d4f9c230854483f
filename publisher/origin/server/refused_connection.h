#pragma once

#include <atomic>
#include <memory>
#include <string>

#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/tcp_stream.hpp>

namespace podium::publisher::origin {

/// A connection the server will not serve (too many open, or too many from one client): it
/// gets a short canned answer ("503 server full" / "429 too many connections"), then a
/// lingering close (the request the client may already have sent is read and dropped for at
/// most two seconds, so the close does not reset the answer away). Holds no request state.
/// At most kMaxInFlight are answered at once; beyond, the socket is closed at once.
class RefusedConnection : public std::enable_shared_from_this<RefusedConnection> {
public:
    static constexpr int kMaxInFlight = 64;

    /// Answers `status` ("503 Service Unavailable") with `text` on `socket`, or closes it at
    /// once when `inFlight` is at kMaxInFlight. `inFlight` must outlive the answer.
    static void refuse(boost::asio::ip::tcp::socket socket, std::string status, std::string text,
                       std::atomic<int>& inFlight);
    ~RefusedConnection();

private:
    RefusedConnection(boost::asio::ip::tcp::socket socket, std::string response,
                      std::atomic<int>& inFlight);
    void start();
    void drain();

    boost::beast::tcp_stream stream_;
    std::string response_;
    std::atomic<int>& inFlight_;
    char sink_[4096];
    std::size_t drained_ = 0;
};

}  // namespace podium::publisher::origin

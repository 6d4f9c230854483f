#pragma once

#include <array>
#include <chrono>
#include <memory>
#include <optional>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/buffer_body.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/serializer.hpp>
#include <boost/beast/http/span_body.hpp>

#include "publisher/origin/ingest/ingest_session.h"
#include "publisher/origin/server/http_types.h"
#include "publisher/origin/server/request_router.h"
#include "publisher/origin/server/server_shared.h"

namespace podium::publisher::origin {

/// One HTTP/1.1 connection of the origin (internal to the server folder). All its handlers
/// run on the connection's strand (the socket's executor), so it needs no locks. It reads one
/// request header at a time (bounded size, idle timeout), answers GETs through the
/// OriginResponder, parks blocked requests without holding a thread (Channel::waitForChange
/// posts back to the strand; a steady_timer bounds the wait), and streams ingest POST bodies
/// chunk by chunk into an IngestSession. Keep-alive until the client or an error closes.
class HttpConnection : public std::enable_shared_from_this<HttpConnection> {
public:
    /// `socket` was admitted by the server's ConnectionLimiter for `clientIp`; the connection
    /// releases its place when destroyed. Ingest bodies are fed to their session on
    /// `ingestExecutor` (other threads than the connection's).
    HttpConnection(boost::asio::ip::tcp::socket socket, std::string clientIp,
                   std::shared_ptr<ServerShared> shared,
                   boost::asio::any_io_executor ingestExecutor);
    ~HttpConnection();

    void start();

private:
    using Parser = boost::beast::http::request_parser<boost::beast::http::buffer_body>;
    using Response = boost::beast::http::response<boost::beast::http::span_body<const uint8_t>>;

    void readHeader();
    void onHeader(boost::beast::error_code ec);
    void answer(bool waitExpired);
    void park(const WaitForChange& wait);
    void onChannelChanged(uint64_t token);
    void onWaitTimer(uint64_t token, boost::beast::error_code ec);
    void endWait();
    void refuseWait();
    void send(HttpReply reply);
    void startStream(StreamSegment stream);
    void continueStream();
    void writeStreamChunk(manifest::Bytes bytes);
    void finishStream();
    void onWritten(boost::beast::error_code ec, bool close);
    void shutdown();        ///< abrupt: an error or a truncated body
    void lingeringClose();  ///< after a final answer: drain, then close
    void lingerRead(std::size_t drained);

    // A small POST body read whole (a QoE beacon), then answered like a GET.
    void readSmallBody();
    void onSmallBody(boost::beast::error_code ec);
    std::string smallBody_;

    /// Answers a POST without reading its body: the connection cannot be reused.
    void refuseUnread(HttpReply reply);

    // Ingest (POST .../Streams(id)).
    void startIngest(const IngestRoute& route);
    void startIngestWindow();
    void readIngestBody();
    void onIngestBody(boost::beast::error_code ec);
    void onIngestFed(const Result<void>& fed);
    void failIngest(const Status& status);
    [[nodiscard]] std::string where() const;  ///< "<path> from <ip>", for log lines

    boost::beast::tcp_stream stream_;
    std::shared_ptr<ServerShared> shared_;
    std::string clientIp_;
    boost::beast::flat_buffer buffer_;
    std::optional<Parser> parser_;
    HttpRequest request_;
    ParsedTarget target_;
    bool keepAlive_ = true;

    // A parked request (blocking reload).
    boost::asio::steady_timer waitTimer_;
    std::shared_ptr<Channel> waitChannel_;
    uint64_t waiterId_ = 0;
    uint64_t waitToken_ = 0;  ///< bumps on every park; stale wake-ups compare it
    bool parked_ = false;
    std::optional<std::chrono::steady_clock::time_point>
        waitDeadline_;  ///< set: counted in the stats' waiting requests

    // An in-progress segment being streamed as chunks (LL-DASH).
    using StreamHeader = boost::beast::http::response<boost::beast::http::empty_body>;
    using StreamSerializer =
        boost::beast::http::response_serializer<boost::beast::http::empty_body>;
    std::optional<StreamSegment> streamSegment_;
    std::optional<StreamHeader> streamHeader_;
    std::optional<StreamSerializer> streamSerializer_;
    std::size_t streamPartsSent_ = 0;
    manifest::Bytes streamChunk_;  ///< keeps the chunk being written alive

    // The response being written: Beast's message and the reply that owns its body bytes.
    std::optional<Response> response_;
    HttpReply reply_;

    // An ingest body: the session, its place among the ingest connections, and the rate
    // window (at least minIngestBytesPerSecond over every ingestBodyStallSeconds).
    // While a feed runs on ingestExecutor_ nothing else of the connection runs (no read is
    // pending), so the session and the body buffer are never used from two threads at once.
    boost::asio::any_io_executor ingestExecutor_;
    std::unique_ptr<IngestSession> ingest_;
    CountedSlot ingestSlot_;
    std::unique_ptr<std::array<uint8_t, 64 * 1024>> bodyBuffer_;  ///< ingest only
    std::chrono::steady_clock::time_point ingestWindowStart_;
    uint64_t ingestWindowBytes_ = 0;
};

}  // namespace podium::publisher::origin

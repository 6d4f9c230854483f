#include "publisher/origin/server/http_connection.h"

#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/http/chunk_encode.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>

#include <limits>

#include "core/log.h"
#include "publisher/origin/qoe/qoe_beacon.h"
#include "publisher/origin/server/access_control.h"

namespace podium::publisher::origin {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

namespace {

constexpr auto kWriteTimeout = std::chrono::seconds(60);
constexpr auto kLinger = std::chrono::seconds(2);
constexpr std::size_t kMaxLingerBytes = 256 * 1024;
const char kLog[] = "origin";

HttpMethod methodOf(http::verb verb) {
    switch (verb) {
        case http::verb::get:
            return HttpMethod::Get;
        case http::verb::head:
            return HttpMethod::Head;
        case http::verb::post:
            return HttpMethod::Post;
        case http::verb::options:
            return HttpMethod::Options;
        default:
            return HttpMethod::Other;
    }
}

std::string headerText(const http::fields& fields, http::field name) {
    auto it = fields.find(name);
    return it == fields.end() ? std::string() : std::string(it->value());
}

}  // namespace

HttpConnection::HttpConnection(tcp::socket socket, std::string clientIp,
                               std::shared_ptr<ServerShared> shared,
                               asio::any_io_executor ingestExecutor)
    : stream_(std::move(socket)),
      shared_(std::move(shared)),
      clientIp_(std::move(clientIp)),
      waitTimer_(stream_.get_executor()),
      ingestExecutor_(std::move(ingestExecutor)) {
    shared_->stats.connectionOpened();
}

HttpConnection::~HttpConnection() {
    // Never runs on a Channel writer thread (change callbacks hold only a weak_ptr and lock it
    // on the strand), so cancelling the waiter here cannot deadlock on the channel's mutex.
    if (waiterId_ != 0 && waitChannel_)
        waitChannel_->cancelWaiter(waiterId_);
    if (waitDeadline_)
        shared_->stats.waitEnded();
    shared_->stats.connectionClosed();
    shared_->connections.release(clientIp_);
}

void HttpConnection::start() {
    asio::dispatch(stream_.get_executor(), [self = shared_from_this()] { self->readHeader(); });
}

void HttpConnection::readHeader() {
    parser_.emplace();
    parser_->header_limit(static_cast<std::uint32_t>(shared_->config.limits.maxHeaderBytes));
    // No body limit: Beast would check it against Content-Length while reading the header,
    // refusing a long ingest POST before we know what it is. Only ingest bodies are read (box
    // and segment limits bound them); any other request with a body closes the connection.
    // (Not boost::none: Boost 1.74 compares Content-Length > none as true and fails them all.)
    parser_->body_limit(std::numeric_limits<std::uint64_t>::max());
    stream_.expires_after(std::chrono::seconds(shared_->config.limits.idleTimeoutSeconds));
    http::async_read_header(
        stream_, buffer_, *parser_,
        [self = shared_from_this()](beast::error_code ec, std::size_t) { self->onHeader(ec); });
}

void HttpConnection::onHeader(beast::error_code ec) {
    if (ec) {
        const bool quiet = ec == http::error::end_of_stream || ec == beast::error::timeout ||
                           ec == asio::error::connection_reset ||
                           ec == asio::error::operation_aborted;
        if (quiet)
            return shutdown();
        keepAlive_ = false;
        const int status = ec == http::error::header_limit ? 431 : 400;
        return send(textReply(status, "bad request: " + ec.message() + "\n"));
    }
    const auto& req = parser_->get();
    request_.method = methodOf(req.method());
    request_.target = std::string(req.target());
    request_.host = headerText(req, http::field::host);
    request_.cookie = headerText(req, http::field::cookie);
    request_.authorization = headerText(req, http::field::authorization);
    request_.userAgent = headerText(req, http::field::user_agent);
    request_.clientIp = clientIp_;
    request_.body.clear();
    keepAlive_ = req.keep_alive();
    target_ = parseTarget(request_.target);
    shared_->stats.countRequest(routeKind(target_.route));

    if (request_.method == HttpMethod::Post) {
        if (auto* ingest = std::get_if<IngestRoute>(&target_.route))
            return startIngest(*ingest);
        if (std::holds_alternative<QoeRoute>(target_.route))
            return readSmallBody();
    }
    // We answer without reading a request body: only keep the connection if there is none.
    if (req.chunked() || (req.has_content_length() && !parser_->is_done()))
        keepAlive_ = false;
    waitDeadline_.reset();
    answer(false);
}

void HttpConnection::readSmallBody() {
    const auto length = parser_->content_length();
    if (parser_->chunked() || !length)
        return refuseUnread(textReply(411, "a beacon needs a Content-Length\n"));
    if (*length > kMaxQoeBeaconBytes) {
        return refuseUnread(textReply(
            413, "a beacon is at most " + std::to_string(kMaxQoeBeaconBytes) + " bytes\n"));
    }
    if (*length == 0 || parser_->is_done())
        return answer(false);
    smallBody_.assign(static_cast<std::size_t>(*length), '\0');
    auto& body = parser_->get().body();
    body.data = smallBody_.data();
    body.size = smallBody_.size();
    stream_.expires_after(std::chrono::seconds(shared_->config.limits.idleTimeoutSeconds));
    http::async_read(
        stream_, buffer_, *parser_,
        [self = shared_from_this()](beast::error_code ec, std::size_t) { self->onSmallBody(ec); });
}

void HttpConnection::onSmallBody(beast::error_code ec) {
    if (ec == http::error::need_buffer)
        ec = {};
    if (ec)
        return shutdown();
    request_.body.assign(smallBody_.data(), smallBody_.size() - parser_->get().body().size);
    if (!parser_->is_done())
        keepAlive_ = false;
    answer(false);
}

void HttpConnection::answer(bool waitExpired) {
    Outcome outcome = shared_->responder.respond(request_, target_, waitExpired);
    if (auto* wait = std::get_if<WaitForChange>(&outcome))
        return park(*wait);
    if (auto* stream = std::get_if<StreamSegment>(&outcome))
        return startStream(std::move(*stream));
    send(std::move(std::get<HttpReply>(outcome)));
}

void HttpConnection::park(const WaitForChange& wait) {
    if (!waitDeadline_) {
        if (!shared_->stats.tryStartWait(shared_->config.limits.maxBlockingReloads))
            return refuseWait();
        waitDeadline_ = std::chrono::steady_clock::now() + wait.maxWait;
    }
    parked_ = true;
    const uint64_t token = ++waitToken_;
    waitChannel_ = wait.channel;
    stream_.expires_never();  // the wait timer bounds this request now
    waitTimer_.expires_at(*waitDeadline_);
    waitTimer_.async_wait(
        [self = shared_from_this(), token](beast::error_code ec) { self->onWaitTimer(token, ec); });
    // Runs on the channel writer's thread with its lock held: only post (if the server still
    // runs). The strand executor copy keeps the post target valid; the weak_ptr is locked there.
    auto onChange = [gate = shared_->gate, exec = stream_.get_executor(), weak = weak_from_this(),
                     token] {
        std::lock_guard lock(gate->mutex);
        if (!gate->open)
            return;
        asio::post(exec, [weak, token] {
            if (auto self = weak.lock())
                self->onChannelChanged(token);
        });
    };
    waiterId_ = wait.channel->waitForChange(wait.seenVersion, std::move(onChange));
}

void HttpConnection::onChannelChanged(uint64_t token) {
    if (!parked_ || token != waitToken_)
        return;  // a stale wake-up
    parked_ = false;
    waiterId_ = 0;  // the channel dropped the waiter when it fired
    if (streamSegment_)
        return continueStream();
    answer(false);
}

void HttpConnection::onWaitTimer(uint64_t token, beast::error_code ec) {
    if (ec == asio::error::operation_aborted || !parked_ || token != waitToken_)
        return;
    parked_ = false;
    if (waiterId_ != 0 && waitChannel_)
        waitChannel_->cancelWaiter(waiterId_);
    waiterId_ = 0;
    if (streamSegment_) {
        // The header is out: the only honest signal left is a truncated chunked body.
        logWarning(kLog, "segment stream of " + where() + " did not complete in time");
        return shutdown();
    }
    answer(true);
}

void HttpConnection::startStream(StreamSegment stream) {
    endWait();
    if (!shared_->stats.tryStartWait(shared_->config.limits.maxBlockingReloads))
        return refuseWait();
    streamPartsSent_ = 0;
    streamHeader_.emplace();
    StreamHeader& res = *streamHeader_;
    res.version(11);
    res.result(http::status::ok);
    res.set(http::field::server, "podium");
    res.set(http::field::content_type, stream.contentType);
    res.set(http::field::cache_control, stream.cacheControl);
    res.set(http::field::access_control_allow_origin, "*");
    res.set(http::field::access_control_expose_headers, "Content-Length, Content-Type, Date, Age");
    res.chunked(true);
    res.keep_alive(keepAlive_);
    // The whole stream is bounded like a blocking wait: a stalled encoder never pins the socket.
    waitDeadline_ = std::chrono::steady_clock::now() + stream.maxWait;
    streamSegment_ = std::move(stream);
    streamSerializer_.emplace(res);
    stream_.expires_after(kWriteTimeout);
    http::async_write_header(stream_, *streamSerializer_,
                             [self = shared_from_this()](beast::error_code ec, std::size_t) {
                                 if (ec)
                                     return self->shutdown();
                                 self->continueStream();
                             });
}

void HttpConnection::continueStream() {
    const StreamSegment& stream = *streamSegment_;
    const manifest::ChannelViewPtr view = stream.channel->view();
    const manifest::TrackView* track = view->track(stream.trackId);
    const manifest::StoredSegment* segment = nullptr;
    if (track) {
        for (const manifest::StoredSegment& s : track->segments) {
            if (s.sequence == stream.sequence)
                segment = &s;
        }
    }
    if (!segment)
        return shutdown();  // evicted or replaced under us: end with a truncated body
    if (streamPartsSent_ < segment->parts.size())
        return writeStreamChunk(segment->parts[streamPartsSent_++].bytes);
    if (segment->isComplete())
        return finishStream();
    if (view->ended)
        return shutdown();
    park(WaitForChange{stream.channel, view->version, stream.maxWait});
}

void HttpConnection::writeStreamChunk(manifest::Bytes bytes) {
    streamChunk_ = std::move(bytes);
    shared_->stats.addBytesOut(streamChunk_->size());
    stream_.expires_after(kWriteTimeout);
    asio::async_write(
        stream_, http::make_chunk(asio::const_buffer(streamChunk_->data(), streamChunk_->size())),
        [self = shared_from_this()](beast::error_code ec, std::size_t) {
            self->streamChunk_.reset();
            if (ec)
                return self->shutdown();
            self->continueStream();
        });
}

void HttpConnection::finishStream() {
    stream_.expires_after(kWriteTimeout);
    asio::async_write(stream_, http::make_chunk_last(),
                      [self = shared_from_this()](beast::error_code ec, std::size_t) {
                          self->endWait();
                          self->streamSegment_.reset();
                          self->streamSerializer_.reset();
                          self->streamHeader_.reset();
                          if (ec || !self->keepAlive_)
                              return self->shutdown();
                          self->readHeader();
                      });
}

void HttpConnection::endWait() {
    parked_ = false;
    ++waitToken_;
    waitTimer_.cancel();
    if (waiterId_ != 0 && waitChannel_)
        waitChannel_->cancelWaiter(waiterId_);
    waiterId_ = 0;
    waitChannel_.reset();
    if (waitDeadline_)
        shared_->stats.waitEnded();
    waitDeadline_.reset();
}

void HttpConnection::refuseWait() {
    shared_->stats.countRefused();
    RateLimitedLog static refusals(kLog);
    refusals.hit(LogLevel::Warning, "too many waiting requests (--max-blocking-reloads " +
                                        std::to_string(shared_->config.limits.maxBlockingReloads) +
                                        "): answered 503");
    HttpReply reply = textReply(503, "too many waiting requests, try again\n");
    reply.headers.emplace_back("Retry-After", "1");
    send(std::move(reply));
}

void HttpConnection::send(HttpReply reply) {
    endWait();
    reply_ = std::move(reply);
    const bool close = !keepAlive_ || reply_.closeConnection;
    response_.emplace();
    Response& res = *response_;
    res.version(11);
    res.result(static_cast<unsigned>(reply_.status));
    res.set(http::field::server, "podium");
    if (!reply_.contentType.empty())
        res.set(http::field::content_type, reply_.contentType);
    if (!reply_.cacheControl.empty())
        res.set(http::field::cache_control, reply_.cacheControl);
    res.set(http::field::access_control_allow_origin, "*");
    res.set(http::field::access_control_expose_headers, "Content-Length, Content-Type, Date, Age");
    for (const auto& [name, value] : reply_.headers)
        res.insert(name, value);
    const std::size_t size = reply_.bodySize();
    const auto* data =
        reply_.bytes ? reply_.bytes->data() : reinterpret_cast<const uint8_t*>(reply_.text.data());
    const bool head = request_.method == HttpMethod::Head;
    res.body() = beast::span<const uint8_t>(data, head ? 0 : size);
    res.content_length(size);
    res.keep_alive(!close);
    if (!head)
        shared_->stats.addBytesOut(size);
    stream_.expires_after(kWriteTimeout);
    http::async_write(stream_, res,
                      [self = shared_from_this(), close](beast::error_code ec, std::size_t) {
                          self->onWritten(ec, close);
                      });
}

void HttpConnection::onWritten(beast::error_code ec, bool close) {
    response_.reset();
    reply_ = HttpReply{};
    if (ec)
        return shutdown();
    if (close)
        return lingeringClose();
    readHeader();
}

void HttpConnection::shutdown() {
    endWait();
    streamSegment_.reset();
    ingest_.reset();
    ingestSlot_.reset();
    beast::error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
    stream_.close();
}

void HttpConnection::lingeringClose() {
    // The client may still be sending (a refused ingest body): closing with unread bytes would
    // reset the connection and could destroy the answer before the client reads it. Read and
    // drop what comes for a little while, then close.
    endWait();
    streamSegment_.reset();
    ingest_.reset();
    ingestSlot_.reset();
    beast::error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
    stream_.expires_after(kLinger);
    lingerRead(0);
}

void HttpConnection::lingerRead(std::size_t drained) {
    buffer_.clear();
    stream_.async_read_some(buffer_.prepare(4096), [self = shared_from_this(), drained](
                                                       beast::error_code ec, std::size_t n) {
        if (ec || drained + n > kMaxLingerBytes)
            return self->stream_.close();
        self->lingerRead(drained + n);
    });
}

}  // namespace podium::publisher::origin

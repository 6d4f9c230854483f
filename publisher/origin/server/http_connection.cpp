#include "publisher/origin/server/http_connection.h"

#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/chunk_encode.hpp>
#include <boost/beast/http/write.hpp>

#include "core/log.h"
#include "publisher/origin/server/access_control.h"

namespace podium::publisher::origin {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

namespace {

constexpr auto kWriteTimeout = std::chrono::seconds(60);
constexpr std::size_t kMaxGetBody = 1024 * 1024;  ///< a body on a GET is read and dropped
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

HttpConnection::HttpConnection(tcp::socket socket, std::shared_ptr<ServerShared> shared)
    : stream_(std::move(socket)), shared_(std::move(shared)), waitTimer_(stream_.get_executor()) {
    beast::error_code ec;
    const auto peer = stream_.socket().remote_endpoint(ec);
    if (!ec)
        clientIp_ = peer.address().to_string();
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
}

void HttpConnection::start() {
    asio::dispatch(stream_.get_executor(), [self = shared_from_this()] { self->readHeader(); });
}

void HttpConnection::readHeader() {
    parser_.emplace();
    parser_->header_limit(static_cast<std::uint32_t>(shared_->config.maxHeaderBytes));
    parser_->body_limit(kMaxGetBody);
    stream_.expires_after(std::chrono::seconds(shared_->config.idleTimeoutSeconds));
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
    keepAlive_ = req.keep_alive();
    target_ = parseTarget(request_.target);
    shared_->stats.countRequest(routeKind(target_.route));

    if (request_.method == HttpMethod::Post) {
        if (auto* ingest = std::get_if<IngestRoute>(&target_.route))
            return startIngest(*ingest);
    }
    // We answer without reading a request body: only keep the connection if there is none.
    if (req.chunked() || (req.has_content_length() && !parser_->is_done()))
        keepAlive_ = false;
    waitDeadline_.reset();
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
        waitDeadline_ = std::chrono::steady_clock::now() + wait.maxWait;
        shared_->stats.waitStarted();
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
        logWarning(kLog, "segment stream of " + request_.target + " did not complete in time");
        return shutdown();
    }
    answer(true);
}

void HttpConnection::startStream(StreamSegment stream) {
    endWait();
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
    shared_->stats.waitStarted();
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
    const ChannelViewPtr view = stream.channel->view();
    const TrackView* track = view->track(stream.trackId);
    const StoredSegment* segment = nullptr;
    if (track) {
        for (const StoredSegment& s : track->segments) {
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

void HttpConnection::writeStreamChunk(Bytes bytes) {
    streamChunk_ = std::move(bytes);
    shared_->stats.addBytesOut(streamChunk_->size());
    stream_.expires_after(kWriteTimeout);
    asio::async_write(stream_,
                      http::make_chunk(asio::const_buffer(streamChunk_->data(), streamChunk_->size())),
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
    if (ec || close)
        return shutdown();
    readHeader();
}

void HttpConnection::shutdown() {
    endWait();
    streamSegment_.reset();
    ingest_.reset();
    beast::error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
    stream_.close();
}

}  // namespace podium::publisher::origin

// HttpConnection: the ingest POST (/live/<ch>.isml[/Events(e)]/Streams(id)), body streamed
// chunk by chunk into an IngestSession as it arrives — never buffered whole.
#include <boost/asio/post.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/http/read.hpp>

#include "core/log.h"
#include "publisher/origin/server/access_control.h"
#include "publisher/origin/server/http_connection.h"

namespace podium::publisher::origin {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;

namespace {
const char kContinue[] = "HTTP/1.1 100 Continue\r\n\r\n";
const char kLog[] = "origin";
}  // namespace

void HttpConnection::refuseUnread(HttpReply reply) {
    // Whatever happens before the body is read, this connection cannot be reused.
    keepAlive_ = false;
    reply.closeConnection = true;
    send(std::move(reply));
}

void HttpConnection::startIngest(const IngestRoute& route) {
    const auto& req = parser_->get();
    const OriginLimits& limits = shared_->config.limits;
    if (!shared_->config.acceptIngest)
        return refuseUnread(textReply(403, "ingest is disabled\n"));
    switch (checkPublisher(shared_->config.publishTokens, shared_->config.publishToken,
                           route.channel, request_.authorization)) {
        case PublishAuth::Allowed:
            break;
        case PublishAuth::Missing: {
            HttpReply reply = textReply(401, "publish token required\n");
            reply.headers.emplace_back("WWW-Authenticate", "Basic realm=\"podium\"");
            return refuseUnread(std::move(reply));
        }
        case PublishAuth::Wrong:
            return refuseUnread(textReply(403, "wrong publish token\n"));
    }
    ingestSlot_ = CountedSlot::tryTake(shared_->ingestConnections, limits.maxIngestConnections);
    if (!ingestSlot_) {
        shared_->stats.countRefused();
        RateLimitedLog static full(kLog);
        full.hit(LogLevel::Warning, "ingest " + where() +
                                        " refused: " + std::to_string(limits.maxIngestConnections) +
                                        " ingest connections open (--max-ingest-connections)");
        HttpReply reply = textReply(503, "too many ingest connections, try again\n");
        reply.headers.emplace_back("Retry-After", "5");
        return refuseUnread(std::move(reply));
    }
    // Channels whose encoder stopped long ago no longer count against --max-channels.
    for (const auto& gone :
         shared_->store.expireIdle(unixNowMs(), int64_t(limits.channelIdleSeconds) * 1000)) {
        logInfo(kLog, "channel " + gone + " removed: no media for --channel-idle-seconds + --dvr");
    }
    if (!shared_->store.find(route.channel) &&
        shared_->store.channelCount() >= static_cast<std::size_t>(limits.maxChannels)) {
        shared_->stats.countRefused();
        RateLimitedLog static full(kLog);
        full.hit(LogLevel::Warning, "ingest " + where() + " refused: the origin holds " +
                                        std::to_string(limits.maxChannels) +
                                        " channels (--max-channels)");
        return refuseUnread(textReply(503, "too many channels on this origin\n"));
    }
    ingest_ = std::make_unique<IngestSession>(shared_->store, route.channel, route.streamId,
                                              &shared_->ingestRegistry, limits);
    bodyBuffer_ = std::make_unique<std::array<uint8_t, 64 * 1024>>();
    if (parser_->is_done())
        return onIngestBody({});  // an empty probe POST
    const auto expect = req.find(http::field::expect);
    if (expect != req.end() && beast::iequals(expect->value(), "100-continue")) {
        stream_.expires_after(std::chrono::seconds(limits.idleTimeoutSeconds));
        return asio::async_write(stream_, asio::buffer(kContinue, sizeof kContinue - 1),
                                 [self = shared_from_this()](beast::error_code ec, std::size_t) {
                                     if (ec)
                                         return self->shutdown();
                                     self->startIngestWindow();
                                     self->readIngestBody();
                                 });
    }
    startIngestWindow();
    readIngestBody();
}

void HttpConnection::startIngestWindow() {
    // The deadline is not pushed back by every read (a body dripping a byte at a time would
    // stay open forever): the window ends at a fixed time unless enough bytes came in it.
    const OriginLimits& limits = shared_->config.limits;
    ingestWindowStart_ = std::chrono::steady_clock::now();
    ingestWindowBytes_ = 0;
    stream_.expires_at(ingestWindowStart_ + std::chrono::seconds(limits.ingestBodyStallSeconds));
}

void HttpConnection::readIngestBody() {
    auto& body = parser_->get().body();
    body.data = bodyBuffer_->data();
    body.size = bodyBuffer_->size();
    // read_some: hand over whatever arrived (a live body trickles in; never wait for a full
    // buffer before feeding the session).
    http::async_read_some(
        stream_, buffer_, *parser_,
        [self = shared_from_this()](beast::error_code ec, std::size_t) { self->onIngestBody(ec); });
}

void HttpConnection::onIngestBody(beast::error_code ec) {
    if (ec == http::error::need_buffer)
        ec = {};
    const OriginLimits& limits = shared_->config.limits;
    if (ec == beast::error::timeout) {
        RateLimitedLog static slow(kLog);
        slow.hit(LogLevel::Warning,
                 "ingest " + where() + " closed: " + std::to_string(ingestWindowBytes_) +
                     " bytes in " + std::to_string(limits.ingestBodyStallSeconds) +
                     " s, below --min-ingest-rate " +
                     std::to_string(limits.minIngestBytesPerSecond) + " B/s");
        return shutdown();
    }
    if (ec) {
        // The encoder went away mid-body (reset): its stored fragments stay; a reconnect
        // continues the stream.
        logInfo(kLog, "ingest " + where() + " ended without a complete body: " + ec.message());
        return shutdown();
    }
    const std::size_t n = parser_->get().body().data != nullptr
                              ? bodyBuffer_->size() - parser_->get().body().size
                              : 0;
    if (n == 0)
        return onIngestFed(ok());
    ingestWindowBytes_ += n;
    // Parse and store off the viewers' threads; come back to this connection's strand after.
    asio::post(ingestExecutor_, [self = shared_from_this(), n] {
        Result<void> fed = self->ingest_->feed({self->bodyBuffer_->data(), n});
        asio::post(self->stream_.get_executor(),
                   [self, fed = std::move(fed)] { self->onIngestFed(fed); });
    });
}

void HttpConnection::onIngestFed(const Result<void>& fed) {
    if (!fed)
        return failIngest(fed.error());
    const OriginLimits& limits = shared_->config.limits;
    const uint64_t windowQuota =
        uint64_t(limits.minIngestBytesPerSecond) * uint64_t(limits.ingestBodyStallSeconds);
    if (ingestWindowBytes_ >= windowQuota)
        startIngestWindow();
    if (!parser_->is_done())
        return readIngestBody();
    if (auto finished = ingest_->finish(); !finished)
        return failIngest(finished.error());
    ingest_.reset();
    ingestSlot_.reset();
    bodyBuffer_.reset();
    send(textReply(200, "ok\n"));
}

void HttpConnection::failIngest(const Status& status) {
    logWarning(kLog, status.withContext("ingest " + where()).toString());
    ingest_.reset();
    ingestSlot_.reset();
    HttpReply reply = textReply(httpStatusFor(status.code()), status.toString() + "\n");
    refuseUnread(std::move(reply));
}

std::string HttpConnection::where() const {
    // The path only: a query string may carry a passcode or a token.
    return loggablePath(request_.target) + " from " + clientIp_;
}

}  // namespace podium::publisher::origin

// HttpConnection: the ingest POST (/live/<ch>.isml[/Events(e)]/Streams(id)), body streamed
// chunk by chunk into an IngestSession as it arrives — never buffered whole.
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

void HttpConnection::startIngest(const IngestRoute& route) {
    const auto& req = parser_->get();
    // Whatever happens before the body is read, this connection cannot be reused.
    auto refuse = [this](HttpReply reply) {
        keepAlive_ = false;
        reply.closeConnection = true;
        send(std::move(reply));
    };
    if (!shared_->config.acceptIngest)
        return refuse(textReply(403, "ingest is disabled\n"));
    switch (checkPublishToken(request_.authorization, shared_->config.publishToken)) {
        case PublishAuth::Allowed:
            break;
        case PublishAuth::Missing: {
            HttpReply reply = textReply(401, "publish token required\n");
            reply.headers.emplace_back("WWW-Authenticate", "Basic realm=\"podium\"");
            return refuse(std::move(reply));
        }
        case PublishAuth::Wrong:
            return refuse(textReply(403, "wrong publish token\n"));
    }
    ingest_ = std::make_unique<IngestSession>(shared_->store, route.channel, route.streamId,
                                              &shared_->ingestRegistry);
    parser_->body_limit(boost::none);  // a live ingest body has no end in sight
    if (parser_->is_done())
        return onIngestBody({});  // an empty probe POST
    const auto expect = req.find(http::field::expect);
    if (expect != req.end() && beast::iequals(expect->value(), "100-continue")) {
        stream_.expires_after(std::chrono::seconds(shared_->config.idleTimeoutSeconds));
        return asio::async_write(stream_, asio::buffer(kContinue, sizeof kContinue - 1),
                                 [self = shared_from_this()](beast::error_code ec, std::size_t) {
                                     if (ec)
                                         return self->shutdown();
                                     self->readIngestBody();
                                 });
    }
    readIngestBody();
}

void HttpConnection::readIngestBody() {
    auto& body = parser_->get().body();
    body.data = bodyBuffer_.data();
    body.size = bodyBuffer_.size();
    stream_.expires_after(std::chrono::seconds(shared_->config.idleTimeoutSeconds));
    // read_some: hand over whatever arrived (a live body trickles in; never wait for a full
    // buffer before feeding the session).
    http::async_read_some(
        stream_, buffer_, *parser_,
        [self = shared_from_this()](beast::error_code ec, std::size_t) { self->onIngestBody(ec); });
}

void HttpConnection::onIngestBody(beast::error_code ec) {
    if (ec == http::error::need_buffer)
        ec = {};
    if (ec) {
        // The encoder went away mid-body (reset, timeout): its stored fragments stay; a
        // reconnect continues the stream.
        logInfo(kLog, "ingest " + request_.target + " from " + clientIp_ +
                          " ended without a complete body: " + ec.message());
        return shutdown();
    }
    if (parser_->get().body().data != nullptr) {
        const std::size_t n = bodyBuffer_.size() - parser_->get().body().size;
        if (n > 0) {
            if (auto fed = ingest_->feed({bodyBuffer_.data(), n}); !fed) {
                return failIngest(fed.error());
            }
        }
    }
    if (!parser_->is_done())
        return readIngestBody();
    if (auto finished = ingest_->finish(); !finished)
        return failIngest(finished.error());
    ingest_.reset();
    send(textReply(200, "ok\n"));
}

void HttpConnection::failIngest(const Status& status) {
    const Status where = status.withContext("ingest " + request_.target + " from " + clientIp_);
    logWarning(kLog, where.toString());
    ingest_.reset();
    keepAlive_ = false;
    HttpReply reply = textReply(httpStatusFor(status.code()), status.toString() + "\n");
    reply.closeConnection = true;
    send(std::move(reply));
}

}  // namespace podium::publisher::origin

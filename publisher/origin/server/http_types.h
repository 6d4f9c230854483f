#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "publisher/origin/channel.h"

namespace podium::publisher::origin {

// The server's own view of an HTTP exchange, free of Boost.Beast types: the connection
// (http_connection.cpp) converts from and to Beast; the responders work on these.

enum class HttpMethod { Get, Head, Post, Options, Other };

/// The parts of a request the origin looks at.
struct HttpRequest {
    HttpMethod method = HttpMethod::Get;
    std::string target;         ///< origin-form target, query included
    std::string host;           ///< Host header ("127.0.0.1:8080")
    std::string cookie;         ///< Cookie header, raw
    std::string authorization;  ///< Authorization header, raw
    std::string userAgent;
    std::string clientIp;  ///< peer address, text
    std::string body;      ///< a small POST body read whole (a QoE beacon); empty otherwise
};

/// A complete response. The body is either `text` or the shared immutable `bytes` (a stored
/// segment: served without copying). Content-Length is always set by the connection.
struct HttpReply {
    int status = 200;
    std::string contentType;
    std::string cacheControl;
    std::vector<std::pair<std::string, std::string>> headers;  ///< extra headers
    std::string text;
    manifest::Bytes bytes;
    bool closeConnection = false;

    [[nodiscard]] std::size_t bodySize() const { return bytes ? bytes->size() : text.size(); }
};

/// "Ask me again when `channel` changes past `seenVersion`" (LL-HLS blocking reload, a part
/// or segment that is the next one). The connection bounds the whole wait by `maxWait`
/// (measured from the first Wait of the request), then asks again with `waitExpired`.
struct WaitForChange {
    std::shared_ptr<Channel> channel;
    uint64_t seenVersion = 0;
    std::chrono::milliseconds maxWait{0};
};

/// "Stream this in-progress segment" (LL-DASH, docs/PROTOCOLS.md): the connection sends
/// the segment's CMAF chunks as HTTP/1.1 chunks the moment each one is cut, and ends the body
/// when the segment completes. The body is byte-identical to the finished segment. If the
/// segment does not complete within `maxWait`, the connection is closed (a truncated chunked
/// body the client sees as an error and retries).
struct StreamSegment {
    std::shared_ptr<Channel> channel;
    std::string trackId;
    int64_t sequence = 0;
    std::string contentType;
    std::string cacheControl;
    std::chrono::milliseconds maxWait{0};
};

using Outcome = std::variant<HttpReply, WaitForChange, StreamSegment>;

/// The path of a request target, safe for a log line: no query string (it may carry a viewer
/// passcode or a token), at most 200 characters, printable ASCII only.
inline std::string loggablePath(std::string_view target) {
    std::string out(target.substr(0, target.find('?')).substr(0, 200));
    for (char& c : out) {
        if (c < 0x20 || c > 0x7e)
            c = '?';
    }
    return out;
}

/// A small text reply ("404 not found\n").
inline HttpReply textReply(int status, std::string text,
                           std::string contentType = "text/plain; charset=utf-8") {
    HttpReply reply;
    reply.status = status;
    reply.contentType = std::move(contentType);
    reply.cacheControl = "no-store";
    reply.text = std::move(text);
    return reply;
}

}  // namespace podium::publisher::origin

#pragma once
// A small blocking HTTP/1.1 client for the origin server tests (Boost.Beast, loopback only):
// one connection, keep-alive, optional receive timeout so a test never hangs forever.
#include <sys/socket.h>
#include <sys/time.h>

#include <cstdio>
#include <map>
#include <string>
#include <vector>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>

namespace podium::publisher::origin::test {

struct HttpResult {
    int status = 0;                              ///< 0: no response (connection closed / timeout)
    std::map<std::string, std::string> headers;  ///< lower-case names
    std::string body;
    std::string error;

    [[nodiscard]] std::string header(const std::string& name) const {
        auto it = headers.find(name);
        return it == headers.end() ? std::string() : it->second;
    }
};

class TestClient {
public:
    /// `fromAddress`: a local address to connect from ("127.0.0.2": another client on loopback).
    explicit TestClient(uint16_t port, int timeoutSeconds = 20, const std::string& fromAddress = {})
        : socket_(ioc_) {
        namespace asio = boost::asio;
        boost::system::error_code ec;
        if (!fromAddress.empty()) {
            socket_.open(asio::ip::tcp::v4(), ec);
            socket_.bind({asio::ip::make_address(fromAddress), 0}, ec);
        }
        socket_.connect({asio::ip::make_address("127.0.0.1"), port}, ec);
        connected_ = !ec;
        timeval tv{timeoutSeconds, 0};
        ::setsockopt(socket_.native_handle(), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    }

    [[nodiscard]] bool connected() const { return connected_; }
    /// The socket, for a test that writes from another thread while this one reads.
    [[nodiscard]] int nativeHandle() { return socket_.native_handle(); }

    /// Writes one request without waiting for the answer.
    bool send(const std::string& method, const std::string& target,
              const std::map<std::string, std::string>& headers = {},
              const std::string& body = {}) {
        namespace http = boost::beast::http;
        http::request<http::string_body> req;
        req.method_string(method);
        req.target(target);
        req.version(11);
        req.set(http::field::host, "127.0.0.1");
        req.set(http::field::user_agent, "podium-test");
        for (const auto& [k, v] : headers)
            req.set(k, v);
        req.body() = body;
        if (!body.empty() || method == "POST")
            req.prepare_payload();
        lastMethod_ = method;
        boost::system::error_code ec;
        http::write(socket_, req, ec);
        return !ec;
    }

    /// Writes raw bytes (a hand-made request, a chunk, a drip); the next receive() reads the
    /// answer as to a POST.
    bool sendRaw(const std::string& bytes) {
        lastMethod_ = "POST";
        boost::system::error_code ec;
        boost::asio::write(socket_, boost::asio::buffer(bytes), ec);
        return !ec;
    }

    /// A chunked POST of `body` in one chunk, then the last chunk.
    HttpResult postChunked(const std::string& target, const std::string& body,
                           const std::map<std::string, std::string>& headers = {}) {
        char size[32];
        std::snprintf(size, sizeof size, "%zx", body.size());
        std::string head = "POST " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n";
        for (const auto& [k, v] : headers)
            head += k + ": " + v + "\r\n";
        head += "Transfer-Encoding: chunked\r\n\r\n" + std::string(size) + "\r\n";
        if (!sendRaw(head + body + "\r\n0\r\n\r\n"))
            return HttpResult{0, {}, {}, "write failed"};
        return receive();
    }

    /// True once the server closed the connection (EOF or reset) within the receive timeout.
    bool closedByPeer() {
        char byte = 0;
        boost::system::error_code ec;
        for (;;) {
            socket_.read_some(boost::asio::buffer(&byte, 1), ec);
            if (ec)
                return ec == boost::asio::error::eof || ec == boost::asio::error::connection_reset;
        }
    }

    /// Reads the answer to the oldest unanswered request.
    HttpResult receive() {
        namespace http = boost::beast::http;
        HttpResult out;
        http::response_parser<http::string_body> parser;
        parser.body_limit(64 * 1024 * 1024);
        if (lastMethod_ == "HEAD")
            parser.skip(true);
        boost::system::error_code ec;
        http::read(socket_, buffer_, parser, ec);
        if (ec) {
            out.error = ec.message();
            return out;
        }
        const auto& res = parser.get();
        out.status = static_cast<int>(res.result_int());
        for (const auto& field : res) {
            std::string name(field.name_string());
            for (char& c : name)
                c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
            out.headers[name] = std::string(field.value());
        }
        out.body = res.body();
        return out;
    }

    HttpResult request(const std::string& method, const std::string& target,
                       const std::map<std::string, std::string>& headers = {},
                       const std::string& body = {}) {
        if (!send(method, target, headers, body))
            return HttpResult{0, {}, {}, "write failed"};
        return receive();
    }

    HttpResult get(const std::string& target, const std::map<std::string, std::string>& h = {}) {
        return request("GET", target, h);
    }

private:
    boost::asio::io_context ioc_;
    boost::asio::ip::tcp::socket socket_;
    boost::beast::flat_buffer buffer_;
    bool connected_ = false;
    std::string lastMethod_;
};

}  // namespace podium::publisher::origin::test

#pragma once
// A small blocking HTTP/1.1 client for the origin server tests (Boost.Beast, loopback only):
// one connection, keep-alive, optional receive timeout so a test never hangs forever.
#include <sys/socket.h>
#include <sys/time.h>

#include <map>
#include <string>
#include <vector>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
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
    explicit TestClient(uint16_t port, int timeoutSeconds = 20) : socket_(ioc_) {
        namespace asio = boost::asio;
        boost::system::error_code ec;
        socket_.connect({asio::ip::make_address("127.0.0.1"), port}, ec);
        connected_ = !ec;
        timeval tv{timeoutSeconds, 0};
        ::setsockopt(socket_.native_handle(), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    }

    [[nodiscard]] bool connected() const { return connected_; }

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

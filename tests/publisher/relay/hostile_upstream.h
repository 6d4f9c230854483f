#pragma once
// A tiny HTTP/1.1 server for the pull client's hostile-upstream tests: each GET path answers
// what the test set (status, headers, body; a body can be sent chunked, without a length).
// It plays an upstream origin that lies; the real OriginServer cannot be made to (a fake for
// faults the real thing cannot produce). One request per connection; loopback, port 0.
#include <algorithm>
#include <atomic>
#include <cstdio>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>

#include "core/thread.h"

namespace podium::publisher::relay::test {

struct UpstreamReply {
    int status = 200;
    std::vector<std::pair<std::string, std::string>> headers;
    std::string body;
    bool chunked = false;  ///< no Content-Length: the body comes in 16 KiB chunks
};

class HostileUpstream {
public:
    HostileUpstream() : acceptor_(ioc_, {boost::asio::ip::make_address("127.0.0.1"), 0}) {
        auto thread = startThread("test upstream", [this](std::stop_token) { serve(); });
        if (thread) {
            thread_ = std::move(*thread);
        }
    }
    ~HostileUpstream() {
        stopping_ = true;
        boost::system::error_code ec;
        boost::asio::ip::tcp::socket wake(ioc_);
        wake.connect(acceptor_.local_endpoint(), ec);  // unblocks accept()
        if (thread_.joinable()) {
            thread_.join();
        }
    }
    HostileUpstream(const HostileUpstream&) = delete;
    HostileUpstream& operator=(const HostileUpstream&) = delete;

    [[nodiscard]] uint16_t port() const { return acceptor_.local_endpoint().port(); }
    [[nodiscard]] std::string url(const std::string& path) const {
        return "http://127.0.0.1:" + std::to_string(port()) + path;
    }

    void set(const std::string& path, UpstreamReply reply) {
        std::lock_guard lock(mutex_);
        routes_[path] = std::move(reply);
    }
    /// GETs received for `path`.
    [[nodiscard]] int hits(const std::string& path) const {
        std::lock_guard lock(mutex_);
        const auto it = hits_.find(path);
        return it == hits_.end() ? 0 : it->second;
    }

private:
    void serve() {
        namespace http = boost::beast::http;
        while (!stopping_) {
            boost::system::error_code ec;
            boost::asio::ip::tcp::socket socket(ioc_);
            acceptor_.accept(socket, ec);
            if (ec || stopping_) {
                continue;
            }
            boost::beast::flat_buffer buffer;
            http::request<http::string_body> request;
            http::read(socket, buffer, request, ec);
            if (ec) {
                continue;
            }
            const std::string path(request.target());
            UpstreamReply reply{404, {}, "not found\n", false};
            {
                std::lock_guard lock(mutex_);
                ++hits_[path];
                if (const auto it = routes_.find(path); it != routes_.end()) {
                    reply = it->second;
                }
            }
            write(socket, reply);
        }
    }

    static void write(boost::asio::ip::tcp::socket& socket, const UpstreamReply& reply) {
        std::string head = "HTTP/1.1 " + std::to_string(reply.status) + " X\r\n";
        for (const auto& [name, value] : reply.headers) {
            head += name + ": " + value + "\r\n";
        }
        head += reply.chunked ? "Transfer-Encoding: chunked\r\n"
                              : "Content-Length: " + std::to_string(reply.body.size()) + "\r\n";
        head += "Connection: close\r\n\r\n";
        boost::system::error_code ec;
        boost::asio::write(socket, boost::asio::buffer(head), ec);
        if (!reply.chunked) {
            boost::asio::write(socket, boost::asio::buffer(reply.body), ec);
            return;
        }
        constexpr size_t kChunk = 16 * 1024;
        for (size_t at = 0; at < reply.body.size() && !ec; at += kChunk) {
            const size_t n = std::min(kChunk, reply.body.size() - at);
            char size[32];
            std::snprintf(size, sizeof size, "%zx\r\n", n);
            boost::asio::write(socket, boost::asio::buffer(std::string(size)), ec);
            boost::asio::write(socket, boost::asio::buffer(reply.body.data() + at, n), ec);
            boost::asio::write(socket, boost::asio::buffer(std::string("\r\n")), ec);
        }
        boost::asio::write(socket, boost::asio::buffer(std::string("0\r\n\r\n")), ec);
    }

    boost::asio::io_context ioc_;
    boost::asio::ip::tcp::acceptor acceptor_;
    std::atomic<bool> stopping_{false};
    mutable std::mutex mutex_;
    std::map<std::string, UpstreamReply> routes_;
    std::map<std::string, int> hits_;
    std::jthread thread_;
};

}  // namespace podium::publisher::relay::test

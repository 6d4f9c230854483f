#pragma once

#include <chrono>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include <curl/curl.h>

#include "core/status.h"
#include "publisher/push/push_target.h"

namespace podium::publisher::push {

/// RAII over libcurl's handles (curl_global_init runs once, on first use). Move-only; each
/// handle is used by one thread at a time (the push sink's worker).
class CurlEasy {
public:
    /// Internal error if libcurl cannot allocate a handle.
    static Result<CurlEasy> create();
    [[nodiscard]] CURL* get() const { return handle_.get(); }

private:
    struct Deleter {
        void operator()(CURL* h) const { curl_easy_cleanup(h); }
    };
    std::unique_ptr<CURL, Deleter> handle_;
};

/// A curl_slist of request headers ("Name: value").
class CurlHeaders {
public:
    void add(const std::string& line);
    [[nodiscard]] curl_slist* get() const { return list_.get(); }

private:
    struct Deleter {
        void operator()(curl_slist* l) const { curl_slist_free_all(l); }
    };
    std::unique_ptr<curl_slist, Deleter> list_;
};

class CurlMulti {
public:
    static Result<CurlMulti> create();
    [[nodiscard]] CURLM* get() const { return handle_.get(); }

private:
    struct Deleter {
        void operator()(CURLM* h) const { curl_multi_cleanup(h); }
    };
    std::unique_ptr<CURLM, Deleter> handle_;
};

/// How every request of one destination is made: credentials, TLS, timeouts, User-Agent.
struct RequestSettings {
    std::string user;  ///< Basic credentials (URL userinfo, or a "user:password" token)
    std::string password;
    std::string bearerToken;  ///< sent as "Authorization: Bearer ..." when set
    std::string caFile;       ///< empty = the system CA store
    std::chrono::milliseconds connectTimeout{5000};
    std::chrono::milliseconds stallTimeout{10000};  ///< below lowSpeedBytes/s for this long
    long lowSpeedBytes = 1;
    std::chrono::milliseconds totalTimeout{0};  ///< a whole request; 0 = none (pushes stream)
    int sendBufferBytes = 0;                    ///< SO_SNDBUF; 0 = the system's
    std::string userAgent = "Podium/0.1";

    static RequestSettings from(const PushTarget& target, const PushOptions& options);
};

/// Sets URL, User-Agent, auth, TLS, timeouts, HTTP/1.1 and no signals on `curl`. `headers`
/// receives the Authorization header (Bearer) and must outlive the transfer.
Result<void> applySettings(CURL* curl, const RequestSettings& settings, const std::string& url,
                           CurlHeaders& headers);

/// The one mapping from a finished transfer to a Status: CURLE_OK with 2xx → ok; connect
/// refused, resolve failures, timeouts, broken connections → Unavailable; TLS problems →
/// PermissionDenied; HTTP 401/403 → PermissionDenied, 404 → NotFound, 412 →
/// FailedPrecondition, 415 → Unsupported, 5xx → Unavailable, other 4xx → InvalidArgument.
/// The message is a sentence for a user ("the publishing point refused the password (HTTP
/// 401)"); `what` becomes the context ("POST http://.../Streams(720p)").
Result<void> transferStatus(CURLcode code, long httpStatus, const std::string& what);

/// A finished one-shot request.
struct HttpResponse {
    long status = 0;
    std::string body;
};

/// One blocking request on the calling thread (POST/PUT with a Content-Length body, DELETE
/// without one). Returns the response when the transfer completed (whatever the status) and
/// an Unavailable/PermissionDenied Status when it did not (connection refused, timeout, TLS).
Result<HttpResponse> performRequest(const RequestSettings& settings, const std::string& method,
                                    const std::string& url, std::span<const uint8_t> body,
                                    const std::string& contentType = {});

}  // namespace podium::publisher::push

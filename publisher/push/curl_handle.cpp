#include "publisher/push/curl_handle.h"

#include <sys/socket.h>

#include <cstdlib>
#include <mutex>

namespace podium::publisher::push {

namespace {

void globalInit() {
    static std::once_flag once;
    std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

Status httpError(long status) {
    const std::string code = " (HTTP " + std::to_string(status) + ")";
    switch (status) {
        case 401:
            return {ErrorCode::PermissionDenied,
                    "the publishing point refused the password" + code};
        case 403:
            return {ErrorCode::PermissionDenied,
                    "the publishing point refused access: check the token and the path" + code};
        case 404:
            return {ErrorCode::NotFound, "no such publishing point" + code};
        case 412:
            return {ErrorCode::FailedPrecondition,
                    "the publishing point wants the stream header first" + code};
        case 415:
            return {ErrorCode::Unsupported, "the publishing point refused the media type" + code};
        default:
            break;
    }
    if (status >= 500) {
        return {ErrorCode::Unavailable, "the publishing point failed" + code};
    }
    return {ErrorCode::InvalidArgument, "the publishing point rejected the request" + code};
}

Status curlError(CURLcode code) {
    const std::string detail = std::string(" (") + curl_easy_strerror(code) + ")";
    switch (code) {
        case CURLE_COULDNT_CONNECT:
            return {ErrorCode::Unavailable, "cannot connect to the publishing point" + detail};
        case CURLE_COULDNT_RESOLVE_HOST:
        case CURLE_COULDNT_RESOLVE_PROXY:
            return {ErrorCode::Unavailable, "cannot resolve the publishing point's host" + detail};
        case CURLE_OPERATION_TIMEDOUT:
            return {ErrorCode::Unavailable, "the publishing point stopped answering" + detail};
        case CURLE_SSL_CONNECT_ERROR:
        case CURLE_PEER_FAILED_VERIFICATION:
        case CURLE_SSL_CACERT_BADFILE:
        case CURLE_SSL_CERTPROBLEM:
            return {ErrorCode::PermissionDenied,
                    "the publishing point's TLS certificate is not trusted" + detail};
        case CURLE_URL_MALFORMAT:
        case CURLE_UNSUPPORTED_PROTOCOL:
            return {ErrorCode::InvalidArgument, "bad publishing point URL" + detail};
        case CURLE_OUT_OF_MEMORY:
            return {ErrorCode::Internal, "out of memory" + detail};
        default:
            return {ErrorCode::Unavailable,
                    "the connection to the publishing point failed" + detail};
    }
}

int setSocketOptions(void* user, curl_socket_t fd, curlsocktype purpose) {
    const auto* settings = static_cast<const RequestSettings*>(user);
    if (purpose == CURLSOCKTYPE_IPCXN && settings->sendBufferBytes > 0) {
        const int size = settings->sendBufferBytes;
        (void)setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &size, sizeof size);
    }
    return CURL_SOCKOPT_OK;
}

size_t collectBody(char* data, size_t size, size_t count, void* user) {
    auto* body = static_cast<std::string*>(user);
    if (body->size() < 64 * 1024) {
        body->append(data, size * count);
    }
    return size * count;
}

struct ReadState {
    std::span<const uint8_t> bytes;
    size_t position = 0;
};

size_t readBody(char* out, size_t size, size_t count, void* user) {
    auto* state = static_cast<ReadState*>(user);
    const size_t n = std::min(size * count, state->bytes.size() - state->position);
    std::copy_n(state->bytes.data() + state->position, n, out);
    state->position += n;
    return n;
}

}  // namespace

Result<CurlEasy> CurlEasy::create() {
    globalInit();
    CurlEasy easy;
    easy.handle_.reset(curl_easy_init());
    if (!easy.handle_) {
        return makeError(ErrorCode::Internal, "curl_easy_init failed");
    }
    return easy;
}

void CurlHeaders::add(const std::string& line) {
    curl_slist* grown = curl_slist_append(list_.get(), line.c_str());
    if (grown) {
        (void)list_.release();
        list_.reset(grown);
    }
}

Result<CurlMulti> CurlMulti::create() {
    globalInit();
    CurlMulti multi;
    multi.handle_.reset(curl_multi_init());
    if (!multi.handle_) {
        return makeError(ErrorCode::Internal, "curl_multi_init failed");
    }
    return multi;
}

RequestSettings RequestSettings::from(const PushTarget& target, const PushOptions& options) {
    RequestSettings s;
    s.user = target.user;
    s.password = target.password;
    if (!target.token.empty()) {
        if (const auto colon = target.token.find(':'); colon != std::string::npos) {
            s.user = target.token.substr(0, colon);
            s.password = target.token.substr(colon + 1);
        } else {
            s.bearerToken = target.token;
        }
    }
    s.caFile = target.caFile;
    s.connectTimeout = options.connectTimeout;
    s.stallTimeout = options.stallTimeout;
    s.lowSpeedBytes = options.lowSpeedBytes;
    s.sendBufferBytes = options.sendBufferBytes;
    s.userAgent = options.userAgent;
    return s;
}

Result<void> applySettings(CURL* curl, const RequestSettings& settings, const std::string& url,
                           CurlHeaders& headers) {
    CURLcode rc = CURLE_OK;
    const auto set = [&](CURLoption option, auto value) {
        if (rc == CURLE_OK) {
            rc = curl_easy_setopt(curl, option, value);
        }
    };
    set(CURLOPT_URL, url.c_str());
    set(CURLOPT_USERAGENT, settings.userAgent.c_str());
    set(CURLOPT_NOSIGNAL, 1L);
    if (std::getenv("PODIUM_CURL_VERBOSE")) {
        set(CURLOPT_VERBOSE, 1L);  // libcurl's trace on stderr, for debugging a destination
    }
    set(CURLOPT_HTTP_VERSION, long(CURL_HTTP_VERSION_1_1));
    set(CURLOPT_FOLLOWLOCATION, 1L);
    set(CURLOPT_POSTREDIR, long(CURL_REDIR_POST_ALL));
    set(CURLOPT_MAXREDIRS, 5L);
    set(CURLOPT_CONNECTTIMEOUT_MS, long(settings.connectTimeout.count()));
    set(CURLOPT_LOW_SPEED_LIMIT, settings.lowSpeedBytes);
    set(CURLOPT_LOW_SPEED_TIME, long(std::max<int64_t>(1, settings.stallTimeout.count() / 1000)));
    if (settings.totalTimeout.count() > 0) {
        set(CURLOPT_TIMEOUT_MS, long(settings.totalTimeout.count()));
    }
    if (settings.sendBufferBytes > 0) {
        set(CURLOPT_SOCKOPTFUNCTION, setSocketOptions);
        set(CURLOPT_SOCKOPTDATA, const_cast<RequestSettings*>(&settings));
    }
    set(CURLOPT_SSLVERSION, long(CURL_SSLVERSION_TLSv1_2));
    if (!settings.caFile.empty()) {
        set(CURLOPT_CAINFO, settings.caFile.c_str());
    }
    if (!settings.user.empty()) {
        set(CURLOPT_HTTPAUTH, long(CURLAUTH_BASIC));
        set(CURLOPT_USERNAME, settings.user.c_str());
        set(CURLOPT_PASSWORD, settings.password.c_str());
    }
    if (!settings.bearerToken.empty()) {
        headers.add("Authorization: Bearer " + settings.bearerToken);
    }
    headers.add("Expect:");  // no 100-continue round trip before every body
    if (rc != CURLE_OK) {
        return makeError(ErrorCode::Internal,
                         std::string("curl_easy_setopt failed: ") + curl_easy_strerror(rc));
    }
    return ok();
}

Result<void> transferStatus(CURLcode code, long httpStatus, const std::string& what) {
    if (code != CURLE_OK) {
        return makeError(curlError(code).withContext(what));
    }
    if (httpStatus >= 200 && httpStatus < 300) {
        return ok();
    }
    if (httpStatus == 0) {
        return makeError(Status(ErrorCode::Unavailable, "the publishing point sent no answer")
                             .withContext(what));
    }
    return makeError(httpError(httpStatus).withContext(what));
}

Result<HttpResponse> performRequest(const RequestSettings& settings, const std::string& method,
                                    const std::string& url, std::span<const uint8_t> body,
                                    const std::string& contentType) {
    auto easy = CurlEasy::create();
    if (!easy) {
        return makeError(easy.error());
    }
    CURL* curl = easy->get();
    CurlHeaders headers;
    if (auto applied = applySettings(curl, settings, url, headers); !applied) {
        return makeError(applied.error());
    }
    if (!contentType.empty()) {
        headers.add("Content-Type: " + contentType);
    }
    HttpResponse response;
    ReadState read{body, 0};
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, collectBody);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, &response.body);
    if (method == "PUT") {
        curl_easy_setopt(curl, CURLOPT_UPLOAD, 1L);
        curl_easy_setopt(curl, CURLOPT_INFILESIZE_LARGE, curl_off_t(body.size()));
        curl_easy_setopt(curl, CURLOPT_READFUNCTION, readBody);
        curl_easy_setopt(curl, CURLOPT_READDATA, &read);
    } else if (method == "POST") {
        curl_easy_setopt(curl, CURLOPT_POST, 1L);
        curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(body.size()));
        curl_easy_setopt(curl, CURLOPT_READFUNCTION, readBody);
        curl_easy_setopt(curl, CURLOPT_READDATA, &read);
    } else {
        curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, method.c_str());
    }
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers.get());
    const CURLcode code = curl_easy_perform(curl);
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &response.status);
    if (code != CURLE_OK) {
        return makeError(transferStatus(code, response.status, method + " " + url).error());
    }
    return response;
}

}  // namespace podium::publisher::push

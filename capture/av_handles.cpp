#include "av_handles.h"

#include <cerrno>
#include <cstdarg>
#include <mutex>

#include "core/log.h"

namespace podium::capture {

std::string avErrorText(int averror) {
    char buf[AV_ERROR_MAX_STRING_SIZE] = {};
    if (av_strerror(averror, buf, sizeof buf) < 0) {
        return "error " + std::to_string(averror);
    }
    return buf;
}

Status avStatus(int averror, const std::string& what, ErrorCode fallback) {
    ErrorCode code = fallback;
    if (averror == AVERROR(ENOENT)) {
        code = ErrorCode::NotFound;
    } else if (averror == AVERROR(EACCES) || averror == AVERROR(EPERM)) {
        code = ErrorCode::PermissionDenied;
    } else if (averror == AVERROR_INVALIDDATA) {
        code = ErrorCode::Parse;
    }
    return Status(code, what + ": " + avErrorText(averror));
}

namespace {
void libavLogCallback(void* avcl, int level, const char* format, va_list args) {
    if (level > av_log_get_level()) {
        return;
    }
    char line[1024];
    int printPrefix = 1;
    av_log_format_line2(avcl, level, format, args, line, sizeof line, &printPrefix);
    std::string text(line);
    while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) {
        text.pop_back();
    }
    if (text.empty()) {
        return;
    }
    logLine(level <= AV_LOG_WARNING ? LogLevel::Warning : LogLevel::Debug, "libav", text);
}
}  // namespace

void routeLibavLogs() {
    static std::once_flag once;
    std::call_once(once, [] {
        av_log_set_level(logLevel() == LogLevel::Debug ? AV_LOG_VERBOSE : AV_LOG_WARNING);
        av_log_set_callback(libavLogCallback);
    });
}

}  // namespace podium::capture

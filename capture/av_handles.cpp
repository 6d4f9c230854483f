#include "av_handles.h"

#include <cerrno>

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

}  // namespace podium::capture

#include "status.h"

namespace podium {

const char* errorCodeName(ErrorCode code) {
    switch (code) {
        case ErrorCode::InvalidArgument:
            return "invalid argument";
        case ErrorCode::NotFound:
            return "not found";
        case ErrorCode::Io:
            return "I/O error";
        case ErrorCode::Parse:
            return "parse error";
        case ErrorCode::Codec:
            return "codec error";
        case ErrorCode::Unavailable:
            return "unavailable";
        case ErrorCode::PermissionDenied:
            return "permission denied";
        case ErrorCode::Cancelled:
            return "cancelled";
        case ErrorCode::FailedPrecondition:
            return "failed precondition";
        case ErrorCode::Unsupported:
            return "unsupported";
        case ErrorCode::Internal:
            return "internal error";
        case ErrorCode::LimitExceeded:
            return "limit exceeded";
        case ErrorCode::NoSpace:
            return "no space left";
    }
    return "unknown error";
}

const char* subjectName(Subject subject) {
    switch (subject) {
        case Subject::None:
            return "none";
        case Subject::Camera:
            return "camera";
        case Subject::Screen:
            return "screen";
        case Subject::File:
            return "file";
        case Subject::Microphone:
            return "microphone";
        case Subject::Encoder:
            return "encoder";
        case Subject::Origin:
            return "origin";
        case Subject::Archive:
            return "archive";
        case Subject::Destination:
            return "destination";
    }
    return "unknown";
}

Status Status::withSubject(Subject subject) const& {
    Status copy = *this;
    return std::move(copy).withSubject(subject);
}

Status Status::withSubject(Subject subject) && {
    if (subject_ == Subject::None) {
        subject_ = subject;
    }
    return std::move(*this);
}

Status Status::withContext(std::string where) const& {
    Status copy = *this;
    copy.context_.insert(copy.context_.begin(), std::move(where));
    return copy;
}

Status Status::withContext(std::string where) && {
    context_.insert(context_.begin(), std::move(where));
    return std::move(*this);
}

std::string Status::toString() const {
    std::string out;
    for (const auto& c : context_) {
        out += c;
        out += ": ";
    }
    out += message_;
    return out;
}

}  // namespace podium

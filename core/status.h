#pragma once

#include <string>
#include <utility>
#include <vector>

#include <tl/expected.hpp>

namespace podium {

/// What kind of failure a Status reports. Zero is not a valid code (OBS CODESTYLE).
enum class ErrorCode {
    InvalidArgument = 1,  ///< bad configuration or command line (a preset field, a URL)
    NotFound,             ///< a file, device, preset or resource does not exist
    Io,                   ///< reading or writing a file or socket failed
    Parse,                ///< malformed input bytes or text
    Codec,                ///< an encoder or decoder refused or failed
    Unavailable,          ///< a peer or device is (perhaps temporarily) not reachable
    PermissionDenied,     ///< credentials or file permissions
    Cancelled,            ///< stopped on request
    FailedPrecondition,   ///< input arrived in the wrong order (media before its header: 412)
    Unsupported,          ///< well-formed but not something we handle (a codec: 415)
    Internal,             ///< a bug or an unexpected library state
    LimitExceeded,        ///< input over a configured limit (a box, a segment, a count: 413)
    NoSpace,              ///< a disk or quota is full (ENOSPC, EDQUOT)
};

const char* errorCodeName(ErrorCode code);

/// What an error is about, set by the layer that knows (the session knows which source or
/// destination it was opening), so that a front end picks its words by kind and code instead
/// of searching the message. None = not said.
enum class Subject {
    None = 0,
    Camera,       ///< a V4L2 camera (the main source or the picture-in-picture)
    Screen,       ///< screen or window capture (X11 or the desktop portal)
    File,         ///< a media file source
    Microphone,   ///< the PulseAudio/PipeWire input
    Encoder,      ///< the preset's ladder (x264, AAC)
    Origin,       ///< the local origin (its port, its channel)
    Archive,      ///< the archive folder
    Destination,  ///< a publishing point
};

const char* subjectName(Subject subject);

/// An error with context: the code, one human sentence, and where it happened
/// (outermost context first, e.g. "rendition 720p", "segment 42").
class Status {
public:
    Status(ErrorCode code, std::string message) : code_(code), message_(std::move(message)) {}

    [[nodiscard]] ErrorCode code() const { return code_; }
    [[nodiscard]] const std::string& message() const { return message_; }
    [[nodiscard]] const std::vector<std::string>& context() const { return context_; }
    [[nodiscard]] Subject subject() const { return subject_; }

    /// Returns a copy with `where` added as the outermost context.
    [[nodiscard]] Status withContext(std::string where) const&;
    [[nodiscard]] Status withContext(std::string where) &&;
    /// Returns a copy about `subject`, unless it already names one (the inner layer knew).
    [[nodiscard]] Status withSubject(Subject subject) const&;
    [[nodiscard]] Status withSubject(Subject subject) &&;

    /// "context: context: message" — one line for a user.
    [[nodiscard]] std::string toString() const;

private:
    ErrorCode code_;
    std::string message_;
    std::vector<std::string> context_;
    Subject subject_ = Subject::None;
};

/// A value or the Status that explains why there is none.
template <typename T>
using Result = tl::expected<T, Status>;

/// Success of a Result<void>.
inline Result<void> ok() {
    return {};
}

/// `return makeError(ErrorCode::Io, "cannot open " + path);` from any Result-returning function.
inline tl::unexpected<Status> makeError(ErrorCode code, std::string message) {
    return tl::unexpected<Status>(Status(code, std::move(message)));
}

inline tl::unexpected<Status> makeError(Status status) {
    return tl::unexpected<Status>(std::move(status));
}

}  // namespace podium

#pragma once

#include <cstdint>
#include <mutex>
#include <optional>
#include <string>

#include "core/status.h"
#include "publisher/segment.h"
#include "publisher/sinks/segment_sink.h"

namespace podium::publisher::push {

enum class PushState {
    Connecting = 1,  ///< first connection not established yet
    Live,            ///< sending
    Retrying,        ///< lost the publishing point, reconnecting (backoff)
    Failed,          ///< stopped for good (permanent error); see lastError
    Finished,        ///< the stream ended and the publishing point acknowledged it
};

const char* pushStateName(PushState state);

/// One destination's state for the UI. Sizes in bytes.
struct PushStatus {
    PushState state = PushState::Connecting;
    uint64_t bytesSent = 0;        ///< request bodies handed to the network (resends included)
    uint64_t bytesQueued = 0;      ///< media waiting in the spool
    long lastHttpStatus = 0;       ///< 0 = no answer yet
    uint64_t retries = 0;          ///< reconnects / re-sent requests
    uint64_t segmentsDropped = 0;  ///< whole segments the spool dropped (destination too slow)
    std::string lastError;         ///< the details (Status::toString()); empty when all is well
    std::optional<ErrorCode> lastErrorCode;  ///< what kind of error lastError is

    /// Records `error` as the last one (text and code).
    void setError(const Status& error) {
        lastError = error.toString();
        lastErrorCode = error.code();
    }
    void clearError() {
        lastError.clear();
        lastErrorCode.reset();
    }
};

/// A push sink: a SegmentSink that also reports its destination's PushStatus (any thread).
class PushSink : public SegmentSink {
public:
    [[nodiscard]] virtual PushStatus status() const = 0;
};

/// Thread-safe holder of a PushStatus (writers: the sink's worker; readers: anyone).
class StatusBoard {
public:
    template <typename F>
    void update(F&& f) {
        std::lock_guard lock(mutex_);
        f(status_);
    }
    [[nodiscard]] PushStatus get() const {
        std::lock_guard lock(mutex_);
        return status_;
    }

private:
    mutable std::mutex mutex_;
    PushStatus status_;
};

}  // namespace podium::publisher::push

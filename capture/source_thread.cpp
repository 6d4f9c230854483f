#include "source_thread.h"

#include <algorithm>

#include "core/thread.h"

namespace podium::capture {

Result<void> SourceThread::start(std::string name, std::function<void(std::stop_token)> body,
                                 ThreadFailure onFailure) {
    if (thread_.joinable()) {
        return makeError(ErrorCode::InvalidArgument, name + ": already started");
    }
    auto thread = startThread(name, std::move(body), std::move(onFailure));
    if (!thread) {
        return makeError(thread.error().withContext(name));
    }
    thread_ = std::move(*thread);
    return ok();
}

void SourceThread::stop() {
    if (!thread_.joinable()) {
        return;
    }
    thread_.request_stop();
    if (thread_.get_id() == std::this_thread::get_id()) {
        return;  // called from a callback: the loop exits when it returns; joined later
    }
    thread_.join();
}

bool SourceThread::waitUntil(MediaTime t, const std::stop_token& stop) const {
    const MediaTime slice{kSleepSliceMs, 1000};
    while (!stop.stop_requested()) {
        const MediaTime now = clock_.now();
        if (now >= t) {
            return true;
        }
        clock_.sleepUntil(std::min(t, now + slice));
    }
    return false;
}

}  // namespace podium::capture

#include "source_thread.h"

#include <algorithm>
#include <exception>

#include "core/log.h"

namespace podium::capture {

Result<void> SourceThread::start(std::string name, std::function<void(std::stop_token)> body) {
    if (thread_.joinable()) {
        return makeError(ErrorCode::InvalidArgument, name + ": already started");
    }
    try {
        thread_ = std::jthread([name, body = std::move(body)](std::stop_token stop) noexcept {
            try {
                body(std::move(stop));
            } catch (const std::exception& e) {
                logError(name, std::string("unexpected exception: ") + e.what());
            } catch (...) {
                logError(name, "unexpected exception");
            }
        });
    } catch (const std::system_error& e) {
        return makeError(ErrorCode::Internal, name + ": cannot start thread: " + e.what());
    }
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

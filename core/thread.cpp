#include "core/thread.h"

#include <pthread.h>

#include <exception>
#include <new>
#include <system_error>
#include <utility>

#include "core/log.h"

namespace podium {
namespace {

void nameThisThread(const std::string& name) {
    // Linux limits thread names to 15 bytes plus the terminator.
    const std::string shortName = name.substr(0, 15);
    pthread_setname_np(pthread_self(), shortName.c_str());
}

void reportFailure(const std::string& name, const std::string& what,
                   const ThreadFailure& onFailure) noexcept {
    const std::string message = "unexpected exception: " + what;
    logError(name, message);
    if (!onFailure) {
        return;
    }
    try {
        onFailure(Status(ErrorCode::Internal, name + ": " + message));
    } catch (...) {
        logError(name, "the failure handler threw as well");
    }
}

}  // namespace

bool runGuarded(const std::string& name, const std::function<void()>& body,
                const ThreadFailure& onFailure) noexcept {
    try {
        body();
        return true;
    } catch (const std::bad_alloc&) {
        reportFailure(name, "out of memory", onFailure);
    } catch (const std::exception& e) {
        reportFailure(name, e.what(), onFailure);
    } catch (...) {
        reportFailure(name, "unknown exception", onFailure);
    }
    return false;
}

Result<std::jthread> startThread(std::string name, ThreadBody body, ThreadFailure onFailure) {
    try {
        return std::jthread([name = std::move(name), body = std::move(body),
                             onFailure = std::move(onFailure)](std::stop_token stop) noexcept {
            nameThisThread(name);
            runGuarded(name, [&] { body(std::move(stop)); }, onFailure);
        });
    } catch (const std::system_error& e) {
        return makeError(ErrorCode::Internal, "cannot start thread: " + std::string(e.what()));
    } catch (const std::bad_alloc&) {
        return makeError(ErrorCode::Internal, "cannot start thread: out of memory");
    }
}

}  // namespace podium

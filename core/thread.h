#pragma once

#include <functional>
#include <stop_token>
#include <string>
#include <thread>

#include "core/status.h"

namespace podium {

/// What a thread body may be given: the stop token of its std::jthread.
using ThreadBody = std::function<void(std::stop_token)>;
/// Called on the thread itself when its body threw; the thread then ends.
using ThreadFailure = std::function<void(const Status&)>;

/// The one way Podium starts a thread. The thread carries `name` (first 15 bytes, as `top` and
/// gdb show it), and its body can never let an exception escape: anything thrown is caught
/// here, logged once as "[name] unexpected exception: what", and handed to `onFailure` (when
/// set) as an Internal Status, so the owner can report it as a failure of its stage instead of
/// the process ending in std::terminate.
///
/// Fails (Internal, with the system's reason) when the system cannot create a thread.
[[nodiscard]] Result<std::jthread> startThread(std::string name, ThreadBody body,
                                               ThreadFailure onFailure = {});

/// Runs `body` with the same catch-all as a thread started by startThread(): for bodies that run
/// on threads Podium does not start itself (Asio's pool, a library's callback thread). Returns
/// false when the body threw.
bool runGuarded(const std::string& name, const std::function<void()>& body,
                const ThreadFailure& onFailure = {}) noexcept;

}  // namespace podium

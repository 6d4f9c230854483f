#pragma once

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "core/status.h"
#include "publisher/origin/qoe/qoe_table.h"
#include "publisher/push/curl_handle.h"

namespace podium::publisher::relay {

/// What a studio knows of the audience of a channel it pushes to another podium-origin.
struct RemoteAudienceStatus {
    /// The newest summary, while it is fresh (under 3 periods old); nullopt before the first
    /// answer, after the origin stopped answering, or when it is not a podium-origin.
    std::optional<origin::QoeSummary> summary;
    std::string lastError;  ///< why the last poll failed; empty after a good one
};

/// The audience of a push destination that is a podium-origin (issue #12): one thread polls
/// `GET <origin>/api/channels/<channel>/qoe` every `period` with the push's credentials (the
/// origin lets a channel's publisher read its audience) and keeps the newest summary. The
/// answer comes from another server: it is read with a deadline and a size bound and parsed as
/// untrusted input (origin::parseQoeSummaryJson). After a minute of 404s (a server without the
/// API, or a channel that never started) it asks six times less often. Thread-safe: status()
/// from any thread; stopping never waits longer than one request's deadline.
class RemoteAudience {
public:
    /// The audience URL of a podium-origin ingest URL
    /// (`http[s]://host[:port][/prefix]/live/<channel>.isml[/...]`), or nullopt for any other
    /// URL (not an ingest URL this studio can read an audience from).
    static std::optional<std::string> audienceUrlFor(const std::string& ingestUrl);

    /// Starts polling `audienceUrl` (from audienceUrlFor) with `settings` (the push's) on a
    /// thread named "audience". Errors: Internal when the thread cannot start.
    static Result<std::unique_ptr<RemoteAudience>> start(
        push::RequestSettings settings, std::string audienceUrl,
        std::chrono::milliseconds period = std::chrono::seconds(5));
    ~RemoteAudience();
    RemoteAudience(const RemoteAudience&) = delete;
    RemoteAudience& operator=(const RemoteAudience&) = delete;

    [[nodiscard]] RemoteAudienceStatus status() const;
    /// Asks the thread to end without waiting for it (the destructor joins): stopping several
    /// at once costs one request's deadline, not one each.
    void requestStop();
    [[nodiscard]] const std::string& url() const { return url_; }

private:
    RemoteAudience(push::RequestSettings settings, std::string url,
                   std::chrono::milliseconds period);
    void run(const std::stop_token& stop);
    void pollOnce();

    const push::RequestSettings settings_;
    const std::string url_;
    const std::chrono::milliseconds period_;
    mutable std::mutex mutex_;
    std::condition_variable_any wake_;
    RemoteAudienceStatus status_;
    std::chrono::steady_clock::time_point summaryAt_{};
    int notFound_ = 0;     ///< 404 answers in a row (after many, it waits longer)
    std::jthread thread_;  ///< last: starts after everything it uses
};

}  // namespace podium::publisher::relay

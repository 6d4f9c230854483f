#include "publisher/relay/remote_audience.h"

#include <algorithm>
#include <regex>

#include "core/log.h"
#include "core/thread.h"
#include "publisher/origin/qoe/qoe_summary_json.h"

namespace podium::publisher::relay {

namespace {

constexpr const char* kLog = "audience";
constexpr int kNotFoundSlowdown = 6;  ///< after 404s for a while, poll this many times less often
/// 404s in a row before slowing down: the channel of a podium-origin appears with the push's
/// first POST, so the first polls of a stream often find none.
constexpr int kNotFoundPatience = 12;

}  // namespace

std::optional<std::string> RemoteAudience::audienceUrlFor(const std::string& ingestUrl) {
    // scheme://authority, an optional path prefix (a reverse proxy's), /live/<ch>.isml, the rest.
    static const std::regex kIngest(
        R"(^(https?://[^/?#]+)((?:/[^/?#]+)*?)/live/([A-Za-z0-9_-]{1,64})\.isml(?:[/?#].*)?$)",
        std::regex::icase);
    std::smatch m;
    if (!std::regex_match(ingestUrl, m, kIngest)) {
        return std::nullopt;
    }
    return m[1].str() + m[2].str() + "/api/channels/" + m[3].str() + "/qoe";
}

Result<std::unique_ptr<RemoteAudience>> RemoteAudience::start(push::RequestSettings settings,
                                                              std::string audienceUrl,
                                                              std::chrono::milliseconds period) {
    std::unique_ptr<RemoteAudience> audience(
        new RemoteAudience(std::move(settings), std::move(audienceUrl), period));
    auto thread = startThread(
        "audience", [self = audience.get()](const std::stop_token& stop) { self->run(stop); });
    if (!thread) {
        return makeError(thread.error());
    }
    audience->thread_ = std::move(*thread);
    return audience;
}

RemoteAudience::RemoteAudience(push::RequestSettings settings, std::string url,
                               std::chrono::milliseconds period)
    : settings_([&] {
          // A poll is small and optional: short deadlines, so stopping never waits long.
          settings.connectTimeout =
              std::min(settings.connectTimeout, std::chrono::milliseconds(3000));
          settings.totalTimeout = std::chrono::milliseconds(4000);
          return settings;
      }()),
      url_(std::move(url)),
      period_(period) {}

RemoteAudience::~RemoteAudience() {
    thread_.request_stop();
    wake_.notify_all();
}

void RemoteAudience::requestStop() {
    thread_.request_stop();  // wakes the wait; a request under way ends within its deadline
}

RemoteAudienceStatus RemoteAudience::status() const {
    std::lock_guard lock(mutex_);
    RemoteAudienceStatus out = status_;
    if (out.summary && std::chrono::steady_clock::now() - summaryAt_ > 3 * period_) {
        out.summary.reset();  // stale: the origin stopped answering
    }
    return out;
}

void RemoteAudience::run(const std::stop_token& stop) {
    while (!stop.stop_requested()) {
        pollOnce();
        std::unique_lock lock(mutex_);
        const auto wait = notFound_ >= kNotFoundPatience ? kNotFoundSlowdown * period_ : period_;
        wake_.wait_for(lock, stop, wait, [] { return false; });
    }
}

void RemoteAudience::pollOnce() {
    auto response = push::performRequest(settings_, "GET", url_, {});
    std::string error;
    std::optional<origin::QoeSummary> summary;
    bool notFound = false;
    if (!response) {
        error = response.error().toString();
    } else if (response->status == 404) {
        notFound = true;
        error = "the destination has no audience for this channel (HTTP 404)";
    } else if (response->status != 200) {
        error = "the destination refused the audience request (HTTP " +
                std::to_string(response->status) + ")";
    } else if (auto parsed = origin::parseQoeSummaryJson(response->body); !parsed) {
        error = parsed.error().withContext("GET " + url_).toString();
    } else {
        summary = *parsed;
    }
    std::lock_guard lock(mutex_);
    notFound_ = notFound ? notFound_ + 1 : 0;
    if (summary) {
        status_.summary = summary;
        status_.lastError.clear();
        summaryAt_ = std::chrono::steady_clock::now();
        return;
    }
    if (error != status_.lastError) {
        logInfo(kLog, "audience of " + url_ + ": " + error);
    }
    status_.lastError = error;
}

}  // namespace podium::publisher::relay

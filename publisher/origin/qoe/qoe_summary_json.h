#pragma once

#include <string>
#include <string_view>

#include "core/status.h"
#include "publisher/origin/qoe/qoe_table.h"

namespace podium::publisher::origin {

/// The JSON of `GET /api/channels/<channel>/qoe`: one channel's audience as its viewers report
/// it, the same figures as the podium_qoe_* metrics. Seconds; a quantile nobody reported is
/// null.
///   {"channel": "live", "viewers": 2,
///    "behindLive": {"p50": 1.1, "p95": 1.4}, "glassToGlass": {"p50": 1.3, "p95": 1.6},
///    "stallRatio": 0.0, "renditions": {"720p": 1, "360p": 1}}
[[nodiscard]] std::string qoeSummaryJson(std::string_view channel, const QoeSummary& summary);

/// The largest summary accepted from another origin (bytes), and the renditions it may name.
inline constexpr std::size_t kMaxQoeSummaryBytes = 16 * 1024;
inline constexpr std::size_t kMaxQoeSummaryRenditions = 64;

/// Reads qoeSummaryJson's output as another podium-origin serves it (a push destination's
/// audience): every field checked for type and range, rendition names against the URL-name
/// rule ("" allowed: not said). Errors: LimitExceeded (too long, too many renditions), Parse
/// (the message names the field). Pure: any thread.
[[nodiscard]] Result<QoeSummary> parseQoeSummaryJson(std::string_view text);

}  // namespace podium::publisher::origin

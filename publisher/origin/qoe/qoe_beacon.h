#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/status.h"

namespace podium::publisher::origin {

/// One viewer's report (issue #12): what the /watch page sends every 5 s, and once more with
/// `leaving` when the page goes, to `POST /qoe/<channel>`. A JSON object; times in seconds.
///   {"viewer": "k3x9...", "behind": 1.1, "g2g": 0.9, "rendition": "720p", "stalls": 0,
///    "stallSeconds": 0, "watchSeconds": 35.2, "dropped": 3, "bandwidth": 5400000}
/// Only `viewer` is required (a random id the page makes, a URL name); the rest may be missing
/// while the player has no figure yet. Unknown fields are ignored.
struct QoeBeacon {
    std::string viewer;
    std::optional<double> behindLiveSeconds;    ///< "behind": live edge minus the playhead
    std::optional<double> glassToGlassSeconds;  ///< "g2g": from the latency probe strip
    std::string rendition;                      ///< "rendition": the track id playing
    uint64_t stalls = 0;                        ///< "stalls": since the page loaded
    double stallSeconds = 0;                    ///< "stallSeconds": time spent stalled
    double watchSeconds = 0;                    ///< "watchSeconds": time spent playing
    uint64_t droppedFrames = 0;                 ///< "dropped"
    std::optional<double> bandwidthBps;         ///< "bandwidth": the player's estimate
    bool leaving = false;                       ///< "leaving": the page is going away
};

/// The largest beacon body accepted (bytes); a longer one is refused before it is parsed.
inline constexpr std::size_t kMaxQoeBeaconBytes = 2048;

/// Reads a beacon. The body comes from any browser: every field is checked for its type and
/// range (finite numbers; behind and g2g within an hour, g2g down to -60 s for clocks apart;
/// counts and durations within a week), the viewer id and rendition against the URL-name rule.
/// Errors: LimitExceeded (over kMaxQoeBeaconBytes), Parse (not a JSON object, or a field of the
/// wrong type or out of range; the message names the field). Pure: any thread.
Result<QoeBeacon> parseQoeBeacon(std::string_view body);

}  // namespace podium::publisher::origin

#include "publisher/origin/origin_limits.h"

#include <charconv>
#include <limits>
#include <type_traits>

namespace podium::publisher::origin {

using L = OriginLimits;

const std::array<OriginLimitRow, 19> kOriginLimitRows = {{
    {"max-connections", LimitUnit::Count, "open connections of every kind", "503 and closed",
     &L::maxConnections},
    {"max-connections-per-client", LimitUnit::Count,
     "open connections from one IP address (raise it behind a reverse proxy)", "429 and closed",
     &L::maxConnectionsPerClient},
    {"max-ingest-connections", LimitUnit::Count, "ingest POSTs at the same time", "503",
     &L::maxIngestConnections},
    {"max-header-bytes", LimitUnit::Bytes, "request line and headers of one request", "431",
     &L::maxHeaderBytes},
    {"idle-timeout", LimitUnit::Seconds, "time to send a whole request header", "closed",
     &L::idleTimeoutSeconds},
    {"ingest-stall-seconds", LimitUnit::Seconds,
     "window over which an ingest body must keep --min-ingest-rate", "closed",
     &L::ingestBodyStallSeconds},
    {"min-ingest-rate", LimitUnit::BytesPerSecond, "slowest ingest body accepted (bytes/s)",
     "closed", &L::minIngestBytesPerSecond},
    {"max-box-bytes", LimitUnit::Bytes, "one top-level box of an ingest body (moov, moof, mdat)",
     "413", &L::maxBoxBytes},
    {"max-segment-bytes", LimitUnit::Bytes, "one stored segment", "413", &L::maxSegmentBytes},
    {"max-samples-per-fragment", LimitUnit::Count, "samples in one ingested fragment", "413",
     &L::maxSamplesPerFragment},
    {"max-tracks", LimitUnit::Count, "tracks in an ingest header and in a channel", "413",
     &L::maxTracksPerChannel},
    {"max-channels", LimitUnit::Count, "channels the origin holds", "503 for a new channel",
     &L::maxChannels},
    {"max-dvr-bytes", LimitUnit::Bytes, "media kept per channel (besides --dvr seconds)",
     "oldest segments evicted", &L::maxDvrBytesPerChannel},
    {"max-segments-per-track", LimitUnit::Count, "segments kept per track (besides --dvr)",
     "oldest segments evicted", &L::maxSegmentsPerTrack},
    {"channel-idle-seconds", LimitUnit::Seconds,
     "an ingested channel without new media ends; removed after this plus --dvr",
     "ended, then removed", &L::channelIdleSeconds},
    {"max-viewer-entries", LimitUnit::Count, "viewers (IP + User-Agent) counted for /metrics",
     "oldest forgotten", &L::maxViewerEntries},
    {"max-qoe-viewers", LimitUnit::Count,
     "viewers' beacons (POST /qoe/<ch>) held per channel, one per second per viewer",
     "429 for a new viewer", &L::maxQoeViewers},
    {"max-blocking-reloads", LimitUnit::Count,
     "LL-HLS blocking reloads and streamed segments waiting at once", "503",
     &L::maxBlockingReloads},
    {"max-pull-body-bytes", LimitUnit::Bytes, "one playlist or segment fetched by --pull-from",
     "the pull fails and retries", &L::maxPullBodyBytes},
}};

namespace {

bool takesSuffix(LimitUnit unit) {
    return unit == LimitUnit::Bytes || unit == LimitUnit::BytesPerSecond;
}

std::string invalid(const OriginLimitRow& row, std::string_view text) {
    std::string what = takesSuffix(row.unit) ? "a positive number of bytes (K, M, G suffixes)"
                       : row.unit == LimitUnit::Seconds ? "a positive number of seconds"
                                                        : "a positive number";
    return "--" + std::string(row.flag) + " takes " + what + ", not \"" + std::string(text) + "\"";
}

}  // namespace

uint64_t limitValue(const OriginLimits& limits, const OriginLimitRow& row) {
    return std::visit([&](auto member) { return static_cast<uint64_t>(limits.*member); },
                      row.field);
}

Result<void> setLimitValue(OriginLimits& limits, const OriginLimitRow& row, uint64_t value) {
    return std::visit(
        [&](auto member) -> Result<void> {
            using T = std::remove_reference_t<decltype(limits.*member)>;
            bool fits = value >= 1;
            if constexpr (sizeof(T) < sizeof(uint64_t)) {
                fits = fits && value <= static_cast<uint64_t>(std::numeric_limits<T>::max());
            }
            if (!fits) {
                return makeError(ErrorCode::InvalidArgument,
                                 "--" + std::string(row.flag) + " must be between 1 and " +
                                     std::to_string(std::numeric_limits<T>::max()));
            }
            limits.*member = static_cast<T>(value);
            return ok();
        },
        row.field);
}

std::string formatLimitValue(const OriginLimitRow& row, uint64_t value) {
    if (takesSuffix(row.unit) && value > 0) {
        static constexpr std::string_view kSuffixes = "GMK";
        for (std::size_t i = 0; i < kSuffixes.size(); ++i) {
            const uint64_t unit = uint64_t(1) << (10 * (kSuffixes.size() - i));
            if (value % unit == 0) {
                return std::to_string(value / unit) + kSuffixes[i];
            }
        }
    }
    return std::to_string(value);
}

Result<uint64_t> parseLimitValue(const OriginLimitRow& row, std::string_view text) {
    uint64_t multiplier = 1;
    std::string_view digits = text;
    if (takesSuffix(row.unit) && !digits.empty()) {
        switch (digits.back()) {
            case 'k':
            case 'K':
                multiplier = uint64_t(1) << 10;
                break;
            case 'm':
            case 'M':
                multiplier = uint64_t(1) << 20;
                break;
            case 'g':
            case 'G':
                multiplier = uint64_t(1) << 30;
                break;
            default:
                break;
        }
        if (multiplier != 1) {
            digits.remove_suffix(1);
        }
    }
    uint64_t value = 0;
    const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
    if (digits.empty() || ec != std::errc() || end != digits.data() + digits.size() || value == 0 ||
        value > std::numeric_limits<uint64_t>::max() / multiplier) {
        return makeError(ErrorCode::InvalidArgument, invalid(row, text));
    }
    return value * multiplier;
}

std::string limitsMarkdownTable() {
    const OriginLimits defaults;
    std::string out = "| Flag | Bounds | Default | Over the limit |\n|---|---|---|---|\n";
    for (const OriginLimitRow& row : kOriginLimitRows) {
        out += "| `--" + std::string(row.flag) + "` | " + std::string(row.what) + " | " +
               formatLimitValue(row, limitValue(defaults, row)) + " | " +
               std::string(row.overLimit) + " |\n";
    }
    return out;
}

}  // namespace podium::publisher::origin

#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <variant>

#include "core/status.h"

namespace podium::publisher::origin {

/// Every resource a client can make the origin hold, with its default. One table, read by the
/// server (connections, headers, ingest rate, viewers, reloads), the ingest (boxes, segments,
/// samples, tracks), the channels (DVR bytes and segment count) and the pull client (bodies).
/// `podium-origin --help`, `podium-cli stream --help` and the README's "Limits" section list
/// the same rows (kOriginLimitRows; a unit test keeps the three in step). A request over a
/// limit gets 413 (a body or a box), 429 (too many from one client) or 503 (the server is
/// full), a rate-limited log line, and never a crash or a spin.
struct OriginLimits {
    // Connections.
    int maxConnections = 8192;           ///< open connections of every kind; beyond: 503, closed
    int maxConnectionsPerClient = 1024;  ///< open connections from one IP address; beyond: 429
    int maxIngestConnections = 64;       ///< concurrent ingest POSTs; beyond: 503
    int maxHeaderBytes = 16 * 1024;      ///< request line + headers; beyond: 431
    int idleTimeoutSeconds = 60;         ///< to receive a whole request header; then closed
    int ingestBodyStallSeconds = 30;     ///< an ingest body slower than minIngestBytesPerSecond
                                         ///< over this many seconds is closed
    int minIngestBytesPerSecond = 1024;

    // Ingest bodies (per POST; a live POST has no total size).
    uint64_t maxBoxBytes = 64ull << 20;      ///< one top-level box (moov, moof, mdat); 413
    uint64_t maxSegmentBytes = 64ull << 20;  ///< one stored segment after normalising; 413
    uint32_t maxSamplesPerFragment = 65536;  ///< trun sample counts summed over a moof; 413
    int maxTracksPerChannel = 32;            ///< trak boxes in a moov, tracks of a channel; 413

    // Channels and their windows (the window's time is --dvr).
    int maxChannels = 64;                           ///< channels in the store; a new one: 503
    uint64_t maxDvrBytesPerChannel = 512ull << 20;  ///< oldest segments evicted beyond this
    int maxSegmentsPerTrack = 2048;                 ///< oldest evicted beyond this (tiny ones)
    /// An ingested channel without new media for this long ends (ENDLIST, static MPD); after
    /// this plus its DVR window it is removed and stops counting against maxChannels.
    int channelIdleSeconds = 60;

    // Viewers.
    int maxViewerEntries = 10000;   ///< viewer table (IP + user agent) entries; oldest go
    int maxBlockingReloads = 4096;  ///< LL-HLS reloads / streamed segments parked; beyond: 503
    int maxQoeViewers = 10000;      ///< viewers' beacons held per channel; a new one beyond: 429

    // Pull client (--pull-from).
    uint64_t maxPullBodyBytes = 64ull << 20;  ///< one playlist or segment GET; larger: error
};

/// How a limit's value is written and read on the command line.
enum class LimitUnit {
    Count = 1,  ///< a plain number
    Bytes,      ///< a number with an optional K, M or G suffix (binary: 1K = 1024)
    Seconds,
    BytesPerSecond,  ///< like Bytes
};

/// One row of the documented limits table: the flag (without "--"), what it bounds, what a
/// client gets over it, and the field of OriginLimits it sets.
struct OriginLimitRow {
    using Field =
        std::variant<int OriginLimits::*, uint32_t OriginLimits::*, uint64_t OriginLimits::*>;

    std::string_view flag;
    LimitUnit unit;
    std::string_view what;
    std::string_view overLimit;
    Field field;
};

/// The table, in the order --help and the README list it.
extern const std::array<OriginLimitRow, 19> kOriginLimitRows;

/// The value of `row`'s field in `limits`.
[[nodiscard]] uint64_t limitValue(const OriginLimits& limits, const OriginLimitRow& row);
/// Sets `row`'s field; InvalidArgument naming the flag when `value` does not fit the field or
/// is below 1.
[[nodiscard]] Result<void> setLimitValue(OriginLimits& limits, const OriginLimitRow& row,
                                         uint64_t value);
/// "512M", "16K", "60", "8192": how --help and the README write a value.
[[nodiscard]] std::string formatLimitValue(const OriginLimitRow& row, uint64_t value);
/// Reads "512M", "16k", "1048576", "60"; InvalidArgument naming the flag on anything else.
[[nodiscard]] Result<uint64_t> parseLimitValue(const OriginLimitRow& row, std::string_view text);
/// The README's "Limits" table (Markdown), from kOriginLimitRows and the defaults.
[[nodiscard]] std::string limitsMarkdownTable();

}  // namespace podium::publisher::origin

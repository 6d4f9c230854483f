#pragma once

#include <cstdint>
#include <string_view>

namespace podium::publisher::origin {

/// Every resource a client can make the origin hold, with its default. One table, read by the
/// server (connections, bodies, viewers, reloads), the ingest (boxes, segments, samples,
/// tracks), the store (channels, DVR bytes) and the pull client (bodies). `podium-origin
/// --help` and the README's "Limits" section list the same rows (kOriginLimitRows). A request
/// over a limit gets 413 (a body or a box), 429 (too many from one client) or 503 (the server
/// is full), a rate-limited log line, and never a crash or a spin.
struct OriginLimits {
    // Connections.
    int maxConnections = 8192;       ///< open connections of every kind; beyond: closed at accept
    int maxIngestConnections = 64;   ///< concurrent ingest POSTs; beyond: 503
    int ingestBodyStallSeconds = 30; ///< an ingest body slower than minIngestBytesPerSecond
                                     ///< over this many seconds is closed
    int minIngestBytesPerSecond = 1024;

    // Ingest bodies (per POST).
    uint64_t maxBoxBytes = 64ull << 20;      ///< one top-level box (moov, moof, mdat); 413
    uint64_t maxSegmentBytes = 64ull << 20;  ///< one stored segment after normalising; 413
    uint32_t maxSamplesPerFragment = 65536;  ///< trun sample counts summed over a moof; 413
    int maxTracksPerChannel = 32;            ///< trak boxes in a moov, tracks of a channel; 413

    // Channels and their windows.
    int maxChannels = 64;                    ///< channels in the store; a new one beyond: 503
    uint64_t maxDvrBytesPerChannel = 512ull << 20;  ///< oldest segments evicted beyond this
    int maxSegmentsPerTrack = 2048;          ///< also evicted beyond this (tiny fragments)

    // Viewers.
    int maxViewerEntries = 10000;       ///< viewer table (IP + user agent) entries; oldest go
    int maxBlockingReloads = 4096;      ///< LL-HLS reloads parked at once; beyond: 503

    // Pull client (--pull-from).
    uint64_t maxPullBodyBytes = 64ull << 20;  ///< one playlist or segment GET; larger: error
};

/// One row of the documented limits table: the podium-origin flag, what it bounds, the
/// default as text, and what a client gets over it.
struct OriginLimitRow {
    std::string_view flag;
    std::string_view what;
    std::string_view defaultText;
    std::string_view overLimit;
};

}  // namespace podium::publisher::origin

#pragma once

#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

#include "core/status.h"

namespace podium::publisher::push {

/// One publishing point the stream is pushed to, as the user typed it
/// (`--publish [PROTOCOL=]URL`, `--publish-token`). Plain value; any thread.
struct PushTarget {
    enum class Protocol { Smooth = 1, Cmaf, Hls, Dash };

    Protocol protocol = Protocol::Cmaf;
    std::string url;   ///< without userinfo, without a trailing '/'
    std::string user;  ///< Basic credentials from the URL's userinfo (percent-decoded)
    std::string password;
    std::string token;   ///< "Bearer" token, or "user:password" (then sent as Basic)
    std::string caFile;  ///< PEM bundle to verify the server with; empty = system CAs
    std::vector<std::string> backupUrls;  ///< tried in order after `url` fails (IIS style)

    /// `spec` = "[smooth|cmaf|hls|dash=]URL[,BACKUP_URL...]". Without a prefix a URL whose path
    /// contains ".isml" is Smooth, else CMAF. Only http and https. Errors: InvalidArgument.
    static Result<PushTarget> parse(const std::string& spec, const std::string& token = {});

    /// Every URL in the order they are tried: `url`, then the backups.
    [[nodiscard]] std::vector<std::string> urls() const;
};

const char* protocolName(PushTarget::Protocol protocol);

/// Tuning shared by every push sink. Times are wall-clock durations.
struct PushOptions {
    bool smoothProbe = true;  ///< empty POST before each Smooth stream (off for ffmpeg -listen)
    std::string eventId;      ///< Smooth `/Events(<id>)/` path part; empty = none
    std::chrono::milliseconds spoolDuration{30000};  ///< media kept for resending, per track
    /// Where the spool keeps segment bytes; empty = in memory. On disk a long spool (minutes of
    /// a flaky uplink) costs disk space instead of RAM.
    std::filesystem::path spoolDirectory;
    std::chrono::milliseconds connectTimeout{5000};
    /// A request that moves fewer than `lowSpeedBytes` per second for this long is aborted.
    std::chrono::milliseconds stallTimeout{10000};
    long lowSpeedBytes = 1;
    /// SO_SNDBUF of each connection in bytes; 0 = the system's (autotuned, up to megabytes).
    /// A small buffer makes a slow destination's backlog show (and drop) in the spool.
    int sendBufferBytes = 0;
    /// Nominal segment duration (the preset's): HLS/DASH PUT target duration.
    std::chrono::milliseconds segmentDuration{2000};
    int windowSegments = 6;    ///< HLS/DASH PUT: segments kept in the playlists
    int forbiddenRetries = 3;  ///< CMAF: 403 answers tolerated before the track stops
    std::string userAgent = "Podium/0.1";
};

}  // namespace podium::publisher::push

#pragma once

#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <vector>

namespace podium::publisher {

/// One LL-HLS part of a segment (held by the model; not rendered yet). Duration in seconds.
struct HlsPartEntry {
    std::string uri;
    double durationSeconds = 0.0;
    bool independent = false;
};

/// One media segment line of a media playlist. Duration in seconds.
struct HlsSegmentEntry {
    std::string uri;
    double durationSeconds = 0.0;
    std::optional<int64_t> programDateTimeMs;  ///< wall clock of the segment start, Unix ms
    bool discontinuity = false;                ///< EXT-X-DISCONTINUITY before this segment
    std::vector<HlsPartEntry> parts;
};

struct HlsMediaPlaylistConfig {
    std::string mapUri = "init.mp4";  ///< EXT-X-MAP URI
    /// Sliding window: at most this many segments (0 = keep all, an EVENT/VOD playlist).
    size_t maxEntries = 0;
    /// Lower bound for EXT-X-TARGETDURATION in seconds (e.g. the nominal segment duration,
    /// so the value is right from the first segment and never has to change).
    int minTargetDurationSeconds = 1;
};

/// The state of one HLS media playlist (RFC 8216 §4.3.3, §6.2.2): a plain model that only
/// allows the edits a live playlist may make (append, remove from the head, end). Not
/// thread-safe: owned by one thread (a sink or the origin's store under its lock).
class HlsMediaPlaylist {
public:
    explicit HlsMediaPlaylist(HlsMediaPlaylistConfig config = {});

    /// Appends a segment; with a window, evicts from the head (MEDIA-SEQUENCE += evicted,
    /// DISCONTINUITY-SEQUENCE += evicted discontinuities). Ignored once ended.
    void append(HlsSegmentEntry entry);
    /// No more segments: renders EXT-X-ENDLIST (and PLAYLIST-TYPE:VOD without a window).
    void end() { ended_ = true; }

    /// Integer seconds: ceil of the largest EXTINF value as printed (5 decimals), at least
    /// the configured minimum; never shrinks, even when that segment leaves the window.
    [[nodiscard]] int targetDurationSeconds() const { return targetDuration_; }
    [[nodiscard]] int64_t mediaSequence() const { return mediaSequence_; }
    [[nodiscard]] int64_t discontinuitySequence() const { return discontinuitySequence_; }
    [[nodiscard]] const std::deque<HlsSegmentEntry>& entries() const { return entries_; }
    [[nodiscard]] const HlsMediaPlaylistConfig& config() const { return config_; }
    [[nodiscard]] bool isEnded() const { return ended_; }
    [[nodiscard]] bool hasSlidingWindow() const { return config_.maxEntries > 0; }

private:
    HlsMediaPlaylistConfig config_;
    std::deque<HlsSegmentEntry> entries_;
    int targetDuration_ = 1;
    int64_t mediaSequence_ = 0;
    int64_t discontinuitySequence_ = 0;
    bool ended_ = false;
};

/// Renders the playlist text: EXTM3U, VERSION 7, TARGETDURATION, MEDIA-SEQUENCE,
/// DISCONTINUITY-SEQUENCE (when nonzero), PLAYLIST-TYPE (EVENT while a windowless playlist
/// grows, VOD once it ended), EXT-X-MAP, then per segment [DISCONTINUITY] [PROGRAM-DATE-TIME
/// on the first segment and after each discontinuity] EXTINF (5 decimals) + URI, and
/// EXT-X-ENDLIST when ended. Pure; lines end with '\n'.
std::string renderMediaPlaylist(const HlsMediaPlaylist& playlist);

}  // namespace podium::publisher

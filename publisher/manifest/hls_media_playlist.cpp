#include "publisher/manifest/hls_media_playlist.h"

#include <algorithm>
#include <cmath>

#include "publisher/manifest/hls_tag.h"

namespace podium::publisher {

HlsMediaPlaylist::HlsMediaPlaylist(HlsMediaPlaylistConfig config)
    : config_(std::move(config)), targetDuration_(std::max(1, config_.minTargetDurationSeconds)) {}

void HlsMediaPlaylist::append(HlsSegmentEntry entry) {
    if (ended_) {
        return;
    }
    targetDuration_ = std::max(targetDuration_, hls::targetDurationFor(entry.durationSeconds));
    entries_.push_back(std::move(entry));
    while (config_.maxEntries > 0 && entries_.size() > config_.maxEntries) {
        if (entries_.front().discontinuity) {
            ++discontinuitySequence_;
        }
        entries_.pop_front();
        ++mediaSequence_;
    }
}

namespace {

std::string header(const HlsMediaPlaylist& playlist) {
    std::string out = "#EXTM3U\n#EXT-X-VERSION:7\n";
    out += "#EXT-X-TARGETDURATION:" + std::to_string(playlist.targetDurationSeconds()) + "\n";
    out += "#EXT-X-MEDIA-SEQUENCE:" + std::to_string(playlist.mediaSequence()) + "\n";
    if (playlist.discontinuitySequence() != 0) {
        out += "#EXT-X-DISCONTINUITY-SEQUENCE:" + std::to_string(playlist.discontinuitySequence()) +
               "\n";
    }
    if (!playlist.hasSlidingWindow()) {
        out += playlist.isEnded() ? "#EXT-X-PLAYLIST-TYPE:VOD\n" : "#EXT-X-PLAYLIST-TYPE:EVENT\n";
    }
    out += "#EXT-X-MAP:URI=" + hls::quoted(playlist.config().mapUri) + "\n";
    return out;
}

}  // namespace

std::string renderMediaPlaylist(const HlsMediaPlaylist& playlist) {
    std::string out = header(playlist);
    bool first = true;
    for (const auto& entry : playlist.entries()) {
        if (entry.discontinuity) {
            out += "#EXT-X-DISCONTINUITY\n";
        }
        if ((first || entry.discontinuity) && entry.programDateTimeMs) {
            out += "#EXT-X-PROGRAM-DATE-TIME:" + hls::isoDateTime(*entry.programDateTimeMs) + "\n";
        }
        out += "#EXTINF:" + hls::durationText(entry.durationSeconds) + ",\n";
        out += entry.uri + "\n";
        first = false;
    }
    if (playlist.isEnded()) {
        out += "#EXT-X-ENDLIST\n";
    }
    return out;
}

}  // namespace podium::publisher

#pragma once

#include <deque>
#include <map>
#include <memory>
#include <string>

#include "publisher/manifest/segment_window.h"
#include "publisher/push/request_push.h"

namespace podium::publisher::push {

/// DASH-IF Interface-2: a complete live HLS + DASH presentation PUT to a plain WebDAV-style web
/// server (nginx dav), in the archive's layout under the target URL:
///   <url>/<track>/init.mp4, <url>/<track>/seg_<n>.m4s, <url>/<track>/index.m3u8,
///   (n = the segment's media sequence in the playlists, consecutive per track even when a
///   segment was dropped on the way here, so every playlist entry names an uploaded file),
///   <url>/index.m3u8 (multivariant), <url>/index.mpd.
/// Playlists are rendered by publisher/manifest from a manifest::SegmentWindow fed with what was
/// uploaded (a window of PushOptions::windowSegments segments; plain live HLS, no parts, no
/// blocking reload); a
/// media playlist is PUT only after its segment, the multivariant and MPD after every round of
/// segments. Segments that left the window (plus a margin of 2 for late players) are DELETEd.
/// At the end every playlist is PUT again with ENDLIST and the MPD becomes static.
/// Threading and reactions: RequestPush.
class HlsDashPut final : public RequestPush {
public:
    HlsDashPut(PushTarget target, PushOptions options);
    ~HlsDashPut() override { stopWorker(); }

    [[nodiscard]] std::string name() const override;
    Result<void> open(const StreamDescription& stream) override;

private:
    Result<void> sendHeader(TrackState& track, const std::string& baseUrl) override;
    Result<void> sendSegment(TrackState& track, const SegmentPtr& segment,
                             const std::string& baseUrl) override;
    Result<void> sendEnd(const std::string& baseUrl) override;

    Result<void> putText(const std::string& url, const std::string& text, const std::string& type);
    Result<void> putPlaylist(const manifest::ChannelView& view, const std::string& trackId,
                             const std::string& baseUrl);
    Result<void> putManifests(const manifest::ChannelView& view, const std::string& baseUrl);
    Result<void> deleteEvicted(const manifest::ChannelView& view, const std::string& trackId,
                               const std::string& baseUrl);
    /// The file number of `segment` on the server: the sequence the window gives it.
    int64_t sequenceFor(const std::string& trackId, const SegmentPtr& segment) const;

    /// The last segment of a track added to the window: its packager number and sequence.
    struct Added {
        int64_t number = -1;
        int64_t sequence = -1;
    };

    /// Set by open() before the worker starts; then the worker's alone.
    std::unique_ptr<manifest::SegmentWindow> window_;
    uint64_t windowVersion_ = 0;
    std::map<std::string, std::deque<int64_t>> uploaded_;  ///< sequences on the server (worker)
    std::map<std::string, Added> lastAdded_;               ///< per track (worker)
    int lastTrackIndex_ = 0;
};

}  // namespace podium::publisher::push

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
class HlsDashPutProtocol final : public RequestProtocol {
public:
    HlsDashPutProtocol(PushTarget target, PushOptions options);

    [[nodiscard]] std::string name() const override;
    Result<void> open(const StreamDescription& stream) override;
    Result<void> sendHeader(Requester& http, PushTrack& track, const std::string& baseUrl) override;
    Result<void> sendSegment(Requester& http, PushTrack& track, const SegmentPtr& segment,
                             const std::string& baseUrl) override;
    Result<void> sendEnd(Requester& http, const std::string& baseUrl) override;

private:
    Result<void> putText(Requester& http, const std::string& url, const std::string& text,
                         const std::string& type);
    Result<void> putPlaylist(Requester& http, const manifest::ChannelView& view,
                             const std::string& trackId, const std::string& baseUrl);
    Result<void> putManifests(Requester& http, const manifest::ChannelView& view,
                              const std::string& baseUrl);
    Result<void> deleteEvicted(Requester& http, const manifest::ChannelView& view,
                               const std::string& trackId, const std::string& baseUrl);
    /// The file number of `segment` on the server: the sequence the window gives it.
    int64_t sequenceFor(const std::string& trackId, const SegmentPtr& segment) const;

    /// The last segment of a track added to the window: its packager number and sequence.
    struct Added {
        int64_t number = -1;
        int64_t sequence = -1;
    };

    const PushTarget target_;
    const PushOptions options_;
    /// Set by open() before the worker starts; then the worker's alone.
    std::unique_ptr<manifest::SegmentWindow> window_;
    uint64_t windowVersion_ = 0;
    std::map<std::string, std::deque<int64_t>> uploaded_;  ///< sequences on the server (worker)
    std::map<std::string, Added> lastAdded_;               ///< per track (worker)
    int lastTrackIndex_ = 0;
};

/// A push sink for DASH-IF Interface-2 (HLS or DASH, as `target.protocol` says).
std::unique_ptr<PushSink> makeHlsDashPut(PushTarget target, PushOptions options);

}  // namespace podium::publisher::push

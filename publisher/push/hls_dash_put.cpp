#include "publisher/push/hls_dash_put.h"

#include "core/clock.h"
#include "publisher/manifest/dash_mpd.h"
#include "publisher/manifest/hls_live.h"

namespace podium::publisher::push {

namespace {

constexpr int64_t kDeleteMargin = 2;  // segments kept on the server past the window

std::span<const uint8_t> asBytes(const std::string& text) {
    return {reinterpret_cast<const uint8_t*>(text.data()), text.size()};
}

}  // namespace

std::unique_ptr<PushSink> makeHlsDashPut(PushTarget target, PushOptions options) {
    auto protocol = std::make_unique<HlsDashPutProtocol>(target, options);
    return std::make_unique<RequestPush>(std::move(target), std::move(options),
                                         std::move(protocol));
}

HlsDashPutProtocol::HlsDashPutProtocol(PushTarget target, PushOptions options)
    : target_(std::move(target)), options_(std::move(options)) {}

std::string HlsDashPutProtocol::name() const {
    return std::string(protocolName(target_.protocol)) + " " + target_.url;
}

Result<void> HlsDashPutProtocol::open(const StreamDescription& stream) {
    const std::vector<TrackInfo>& tracks = stream.tracks;
    manifest::WindowConfig config;
    config.name = "push";
    config.logComponent = "push";
    config.segmentTarget = MediaTime{options_.segmentDuration.count(), 1000};
    config.partTarget = MediaTime{0, 1000};
    config.dvrWindow =
        MediaTime{options_.segmentDuration.count() * std::max(1, options_.windowSegments), 1000};
    config.availabilityStartMs = stream.epochMs != 0 ? stream.epochMs : wallClockMillis();
    window_ = std::make_unique<manifest::SegmentWindow>(config);
    window_->setTracks(tracks);
    for (const auto& t : tracks) {
        lastTrackIndex_ = std::max(lastTrackIndex_, t.trackIndex);
    }
    return ok();
}

Result<void> HlsDashPutProtocol::putText(Requester& http, const std::string& url,
                                         const std::string& text, const std::string& type) {
    auto r = http.request("PUT", url, asBytes(text), type);
    return r ? ok() : makeError(r.error());
}

Result<void> HlsDashPutProtocol::sendHeader(Requester& http, PushTrack& track,
                                            const std::string& baseUrl) {
    auto r = http.request("PUT", baseUrl + "/" + track.info.id + "/init.mp4", track.init->bytes,
                          "video/mp4");
    if (!r) {
        return makeError(r.error());
    }
    window_->setInit(track.init);
    return ok();
}

Result<void> HlsDashPutProtocol::putPlaylist(Requester& http, const manifest::ChannelView& view,
                                             const std::string& trackId,
                                             const std::string& baseUrl) {
    const manifest::TrackView* tv = view.track(trackId);
    if (!tv) {
        return ok();
    }
    manifest::LlHlsOptions plain;
    plain.lowLatency = false;
    plain.blockingReload = false;  // a plain web server cannot hold a request
    const std::string text = manifest::renderLiveMediaPlaylist(view, *tv, plain);
    return putText(http, baseUrl + "/" + trackId + "/index.m3u8", text,
                   "application/vnd.apple.mpegurl");
}

Result<void> HlsDashPutProtocol::putManifests(Requester& http, const manifest::ChannelView& view,
                                              const std::string& baseUrl) {
    if (auto r = putText(http, baseUrl + "/index.m3u8", manifest::renderLiveMultivariant(view),
                         "application/vnd.apple.mpegurl");
        !r) {
        return r;
    }
    manifest::DashOptions dash;
    dash.timeUrl.clear();  // a plain web server has no time endpoint
    return putText(http, baseUrl + "/index.mpd",
                   manifest::renderDashMpd(view, wallClockMillis(), dash), "application/dash+xml");
}

Result<void> HlsDashPutProtocol::deleteEvicted(Requester& http, const manifest::ChannelView& view,
                                               const std::string& trackId,
                                               const std::string& baseUrl) {
    const manifest::TrackView* tv = view.track(trackId);
    auto& numbers = uploaded_[trackId];
    if (!tv || tv->segments.empty()) {
        return ok();
    }
    const int64_t first = tv->segments.front().sequence;
    while (!numbers.empty() && numbers.front() < first - kDeleteMargin) {
        const std::string url =
            baseUrl + "/" + trackId + "/seg_" + std::to_string(numbers.front()) + ".m4s";
        auto r = http.request("DELETE", url, {}, {});
        if (!r && r.error().code() != ErrorCode::NotFound) {
            return makeError(r.error());
        }
        numbers.pop_front();
    }
    return ok();
}

int64_t HlsDashPutProtocol::sequenceFor(const std::string& trackId,
                                        const SegmentPtr& segment) const {
    // Segment::number skips a value when a segment was dropped before this destination (its
    // queue or spool overflowed); the playlists count consecutively. Name the file after the
    // playlist entry the segment will become: the window's next sequence, or the one it got
    // already when this is a retry of the last segment.
    if (const auto it = lastAdded_.find(trackId); it != lastAdded_.end()) {
        return it->second.number == segment->number ? it->second.sequence : it->second.sequence + 1;
    }
    return segment->number;  // the window numbers its first segment so
}

Result<void> HlsDashPutProtocol::sendSegment(Requester& http, PushTrack& track,
                                             const SegmentPtr& segment,
                                             const std::string& baseUrl) {
    const std::string id = track.info.id;
    const int64_t sequence = sequenceFor(id, segment);
    auto r = http.request("PUT", baseUrl + "/" + id + "/seg_" + std::to_string(sequence) + ".m4s",
                          segment->bytes, "video/iso.segment");
    if (!r) {
        return makeError(r.error());
    }
    auto& last = lastAdded_[id];
    if (last.number < segment->number) {
        last = {segment->number, sequence};
        uploaded_[id].push_back(sequence);
        window_->addSegment(segment);
    }
    const auto view = window_->snapshot(++windowVersion_);
    if (auto p = putPlaylist(http, *view, id, baseUrl); !p) {
        return p;
    }
    if (track.info.trackIndex == lastTrackIndex_) {
        if (auto m = putManifests(http, *view, baseUrl); !m) {
            return m;
        }
    }
    return deleteEvicted(http, *view, id, baseUrl);
}

Result<void> HlsDashPutProtocol::sendEnd(Requester& http, const std::string& baseUrl) {
    window_->end();
    const auto view = window_->snapshot(++windowVersion_);
    for (const auto& t : view->tracks) {
        if (t.init) {
            if (auto p = putPlaylist(http, *view, t.info.id, baseUrl); !p) {
                return p;
            }
        }
    }
    return putManifests(http, *view, baseUrl);
}

}  // namespace podium::publisher::push

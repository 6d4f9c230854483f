#include "publisher/origin/server/manifest_calls.h"

#include "publisher/manifest/dash_mpd.h"
#include "publisher/manifest/hls_blocking.h"
#include "publisher/manifest/hls_live.h"
#include "publisher/manifest/smooth_fragment.h"
#include "publisher/manifest/smooth_manifest.h"

namespace podium::publisher::origin::calls {

std::string multivariant(const ChannelView& view) {
    return manifest::renderLiveMultivariant(view);
}

std::string mediaPlaylist(const ChannelView& view, const TrackView& track) {
    return manifest::renderLiveMediaPlaylist(view, track, manifest::LlHlsOptions{});
}

Result<Block> blockingDecision(const ChannelView& view, const TrackView& track,
                               const std::optional<std::string>& msn,
                               const std::optional<std::string>& part) {
    auto asView = [](const std::optional<std::string>& s) -> std::optional<std::string_view> {
        if (!s)
            return std::nullopt;
        return std::string_view(*s);
    };
    auto request = manifest::parseBlockingQuery(asView(msn), asView(part));
    if (!request)
        return makeError(request.error());
    if (!request->isBlocking())
        return Block::ServeNow;
    switch (manifest::decideBlocking(track, view.ended, *request->msn, request->part,
                                     view.segmentTarget)) {
        case manifest::BlockDecision::ServeNow:
            return Block::ServeNow;
        case manifest::BlockDecision::Wait:
            return Block::Wait;
        case manifest::BlockDecision::BadRequest:
            break;
    }
    return makeError(ErrorCode::InvalidArgument,
                     "_HLS_msn / _HLS_part out of range for track " + track.info.id);
}

std::string dashMpd(const ChannelView& view, int64_t nowMs, const std::string& timeUrl) {
    manifest::DashOptions options;
    options.timeUrl = timeUrl;
    return manifest::renderDashMpd(view, nowMs, options);
}

std::string smoothManifest(const ChannelView& view, int lookahead) {
    return manifest::renderSmoothManifest(view, lookahead);
}

const TrackView* smoothTrack(const ChannelView& view, const std::string& kind, int64_t bitrate) {
    return manifest::findSmoothTrack(view, kind, bitrate);
}

Result<std::vector<uint8_t>> smoothFragment(const ChannelView& view, const TrackView& track,
                                            int64_t startTicks, int lookahead) {
    return manifest::buildSmoothFragment(track, startTicks, lookahead, view.ended);
}

}  // namespace podium::publisher::origin::calls

#include "publisher/push/cmaf_ingest_push.h"

#include "core/clock.h"
#include "publisher/mp4/box_reader.h"
#include "publisher/mp4/box_writer.h"
#include "publisher/mp4/init_segment.h"
#include "publisher/push/smooth_boxes.h"

namespace podium::publisher::push {

namespace {

constexpr uint64_t kNtpUnixOffsetSeconds = 2208988800ull;

void writePrft(mp4::BoxWriter& out, uint32_t trackId, int64_t unixMs, uint64_t mediaTime) {
    mp4::BoxScope prft = out.beginFullBox(mp4::FourCC{"prft"}, 1, 0);
    out.writeU32(trackId);
    const uint64_t seconds = uint64_t(unixMs / 1000) + kNtpUnixOffsetSeconds;
    const uint64_t fraction = (uint64_t(unixMs % 1000) << 32) / 1000;
    out.writeU64(seconds << 32 | fraction);
    out.writeU64(mediaTime);
}

}  // namespace

Result<std::vector<uint8_t>> ingestSegmentBytes(const Segment& segment, uint32_t trackId,
                                                int64_t ntpUnixMs, bool last, bool isVideo) {
    auto boxes = mp4::BoxReader::parse(segment.bytes);
    if (!boxes || boxes->empty()) {
        return makeError(ErrorCode::Parse,
                         "segment " + std::to_string(segment.number) + " does not parse");
    }
    auto fragment = mergeSegmentFragments(segment, isVideo);
    if (!fragment) {
        return makeError(fragment.error());
    }
    mp4::BoxWriter out;
    const mp4::Box* styp = mp4::findBox(*boxes, "styp");
    if (styp || last) {
        mp4::BoxScope box = out.beginBox(mp4::FourCC{"styp"});
        if (styp) {
            out.writeBytes(styp->payload);
        } else {
            out.writeFourCC(mp4::FourCC{"msdh"});
            out.writeU32(0);
            out.writeFourCC(mp4::FourCC{"msdh"});
        }
        if (last) {
            out.writeFourCC(mp4::FourCC{"lmsg"});
        }
    }
    writePrft(out, trackId, ntpUnixMs, uint64_t(segment.start.value));
    out.writeBytes(*fragment);
    return out.take();
}

std::unique_ptr<PushSink> makeCmafIngestPush(PushTarget target, PushOptions options) {
    auto protocol = std::make_unique<CmafIngestProtocol>(target.url);
    return std::make_unique<RequestPush>(std::move(target), std::move(options),
                                         std::move(protocol));
}

Result<void> CmafIngestProtocol::open(const StreamDescription& stream) {
    epochMs_ = stream.epochMs;
    return ok();
}

Result<void> CmafIngestProtocol::sendHeader(Requester& http, PushTrack& track,
                                            const std::string& baseUrl) {
    const std::string type = track.info.kind == TrackKind::Video ? "video/mp4" : "audio/mp4";
    auto r =
        http.request("POST", baseUrl + "/Streams(" + track.info.id + ")", track.init->bytes, type);
    return r ? ok() : makeError(r.error());
}

Result<void> CmafIngestProtocol::sendSegment(Requester& http, PushTrack& track,
                                             const SegmentPtr& segment,
                                             const std::string& baseUrl) {
    if (anchorMs_ == 0) {
        // The stream's epoch; without one (a relay), now minus the end of the first segment.
        const double end = segment->start.seconds() + segment->duration.seconds();
        anchorMs_ = epochMs_ != 0 ? epochMs_ : wallClockMillis() - int64_t(end * 1000);
    }
    const int64_t ntpMs = anchorMs_ + int64_t(segment->start.seconds() * 1000);
    auto body = ingestSegmentBytes(*segment, mp4::trackIdOf(track.info), ntpMs, segment->isLast,
                                   track.info.kind == TrackKind::Video);
    if (!body) {
        return makeError(body.error());
    }
    if (track.headerInline) {
        body->insert(body->begin(), track.init->bytes.begin(), track.init->bytes.end());
    }
    const std::string type = track.info.kind == TrackKind::Video ? "video/mp4" : "audio/mp4";
    auto r = http.request("POST", baseUrl + "/Streams(" + track.info.id + ")", *body, type);
    return r ? ok() : makeError(r.error());
}

}  // namespace podium::publisher::push

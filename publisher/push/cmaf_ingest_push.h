#pragma once

#include <atomic>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "publisher/push/request_push.h"

namespace podium::publisher::push {

/// DASH-IF live media ingest, Interface-1 (CMAF): per track the CMAF header (ftyp + moov) in
/// one POST, then one POST per CMAF segment to `<url>/Streams(<track id>)`, each segment with a
/// `prft` (producer reference time: NTP wall clock of its first sample) before its first moof
/// and, on the last one, `lmsg` among the styp brands. Reactions and threading: RequestPush.
class CmafIngestProtocol final : public RequestProtocol {
public:
    explicit CmafIngestProtocol(std::string url) : url_(std::move(url)) {}
    [[nodiscard]] std::string name() const override { return "cmaf " + url_; }
    Result<void> open(const StreamDescription& stream) override;
    Result<void> sendHeader(Requester& http, PushTrack& track, const std::string& baseUrl) override;
    Result<void> sendSegment(Requester& http, PushTrack& track, const SegmentPtr& segment,
                             const std::string& baseUrl) override;
    Result<void> sendEnd(Requester&, const std::string&) override { return ok(); }

private:
    const std::string url_;
    int64_t epochMs_ = 0;   ///< the stream's, from open() (0 = not known)
    int64_t anchorMs_ = 0;  ///< wall clock (Unix ms) of media time 0 (worker)
};

/// A push sink for DASH-IF Interface-1.
std::unique_ptr<PushSink> makeCmafIngestPush(PushTarget target, PushOptions options);

/// The segment as Interface-1 sends it: its styp (+ `lmsg` when `last`; one is added if the
/// segment had none), `prft` (version 1: reference track, 64-bit NTP time `ntpUnixMs`, media
/// time = the segment start), then its chunks merged into ONE moof + mdat (receivers such as
/// our origin store one fragment per segment). Pure.
Result<std::vector<uint8_t>> ingestSegmentBytes(const Segment& segment, uint32_t trackId,
                                                int64_t ntpUnixMs, bool last, bool isVideo);

}  // namespace podium::publisher::push

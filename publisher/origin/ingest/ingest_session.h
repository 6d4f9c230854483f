#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "core/status.h"
#include "publisher/origin/channel_store.h"
#include "publisher/origin/ingest/box_stream_parser.h"
#include "publisher/origin/ingest/ingest_registry.h"
#include "publisher/origin/ingest/lsm_parser.h"
#include "publisher/origin/ingest/movie_header.h"
#include "publisher/origin/origin_limits.h"

namespace podium::publisher::origin {

/// What an ingest body turned out to be (from its ftyp brands).
enum class IngestFormat { Unknown = 1, Smooth, Cmaf };

/// Counters of one ingest connection.
struct IngestStats {
    uint64_t bytesIn = 0;            ///< body bytes fed
    uint64_t bytesStored = 0;        ///< bytes of the segments this session stored
    uint64_t fragments = 0;          ///< traf fragments read
    uint64_t segmentsAdded = 0;      ///< stored in the channel
    uint64_t duplicatesDropped = 0;  ///< already stored (reconnect resends)
    uint64_t ignoredSuperseded = 0;  ///< boxes ignored after a newer connection took the stream
    uint64_t samplesClamped = 0;     ///< samples dropped because their time was negative
    uint64_t discontinuities = 0;    ///< restarts detected (time going backwards / jumps)
};

/// One ingest POST body (`/live/<channel>.isml/Streams(<streamId>)`): Smooth (ftyp isml/piff,
/// Live Server Manifest, moov, moof+mdat with tfxd) or DASH-IF CMAF (ftyp cmfc/iso6, moov,
/// [styp][prft] moof+mdat with tfdt). Bytes are processed box by box as they arrive (nothing
/// but the current box and a pending moof is buffered); each fragment is normalised to a
/// per-track CMAF segment and stored as soon as its mdat is complete.
///
/// Tracks: one track in the header → id = streamId; several → streamId_<LSM trackName or
/// video/audio> (made URL-safe). They are merged into the channel's existing tracks (several
/// POSTs build one channel), new ids getting the next trackIndex.
///
/// Timeline rules:
/// - base time = tfdt, else the tfxd time read as signed, else the end of the previous fragment;
/// - samples whose decode time is negative are dropped (FFmpeg's first AAC fragment starts at
///   -1024 samples of priming: that frame is dropped, the track starts at 0);
/// - with a header byte-identical to the stored one (a reconnect), a fragment at or before the
///   last stored start that matches a stored segment start (±1 ms) is a duplicate and dropped;
/// - otherwise time going backwards, overlapping, or jumping by more than a segment target
///   marks a discontinuity before the fragment; a changed header (new init) marks one too.
///   Caveat: an encoder restarted with an identical header whose times restart inside the stored
///   window is indistinguishable from a reconnect: its fragments are dropped until they pass
///   the newest stored time, after which they continue the timeline (never a corrupt one).
/// - a newer connection on the same (channel, streamId) supersedes this one (IngestRegistry):
///   this session's later boxes are ignored (counted), feed() still succeeds.
///
/// Hostile input (the wire is never trusted): box sizes, sample counts and offsets are checked
/// against the bytes received before anything is allocated or stored (see readFragment), and
/// OriginLimits bound what one POST can make the origin hold:
/// - maxBoxBytes: one top-level box (refused from its header);
/// - maxSamplesPerFragment: samples declared by one moof;
/// - maxTracksPerChannel: trak boxes in a moov, LSM track elements, and the channel's tracks
///   after this header is merged in;
/// - maxSegmentBytes: one normalised segment;
/// - amplification: the segments made from one moof + mdat may not exceed
///   kMaxExpansion x (moof + mdat bytes). A normalised segment re-writes each sample's trun
///   entry as 16 bytes, so it can be a little larger than what arrived (FFmpeg's CMAF audio
///   sends 4 bytes per sample: x1.07 at 64 kb/s); an input made of empty or one-byte samples
///   is what the bound refuses. A fragment is checked whole before any of it is stored.
///
/// Errors (the server maps them to HTTP): Parse → 400 (malformed boxes, offsets outside the
/// mdat, samples sharing bytes, not MP4), FailedPrecondition → 412 (media before a header),
/// Unsupported → 415 (codec or handler), LimitExceeded → 413 (a limit above). After an error
/// the session stays failed; what it stored before stays. Not thread-safe: one connection's
/// thread calls it; the ChannelStore/Channel and the registry are thread-safe.
class IngestSession {
public:
    /// Bound of the bytes stored from one moof + mdat, as a multiple of their size.
    static constexpr uint64_t kMaxExpansion = 2;

    /// `registry` null = a process-wide default registry. Only the ingest rows of `limits` are
    /// read (maxBoxBytes, maxSegmentBytes, maxSamplesPerFragment, maxTracksPerChannel).
    IngestSession(ChannelStore& store, std::string channel, std::string streamId,
                  IngestRegistry* registry = nullptr, const OriginLimits& limits = {});
    ~IngestSession();
    IngestSession(const IngestSession&) = delete;
    IngestSession& operator=(const IngestSession&) = delete;

    /// Bytes of the segment mp4::buildChunk writes for `sampleCount` samples holding
    /// `dataBytes` bytes (what the amplification bound counts).
    static uint64_t normalisedBytes(uint64_t sampleCount, uint64_t dataBytes);

    /// The next bytes of the body, any size.
    Result<void> feed(std::span<const uint8_t> bytes);
    /// End of the body: an error if it ended inside a box or after a moof without its mdat.
    Result<void> finish();

    [[nodiscard]] bool sawHeader() const { return sawHeader_; }
    [[nodiscard]] bool superseded() const;
    [[nodiscard]] IngestFormat format() const { return format_; }
    [[nodiscard]] const IngestStats& stats() const { return stats_; }
    /// Channel track ids declared by this POST's header, in header order.
    [[nodiscard]] std::vector<std::string> trackIds() const;

private:
    struct SessionTrack {
        uint32_t sourceTrackId = 0;
        TrackInfo info;
        bool continuing = false;   ///< header identical to the stored one: dedupe resends
        bool initChanged = false;  ///< setInit replaced a different header (already marked)
        bool appended = false;     ///< this session stored a segment on the track
        int64_t nextTime = 0;      ///< end of the last fragment, track timescale
    };
    enum class Placement { Append = 1, Duplicate, AfterDiscontinuity };

    Result<void> onBoxHeader(mp4::FourCC type, uint64_t offset);
    Result<void> onBox(StreamBox&& box);
    Result<void> onFtyp(const StreamBox& box);
    Result<void> onUuid(const StreamBox& box);
    Result<void> onMoov(const StreamBox& box);
    Result<void> onMdat(StreamBox&& mdat);
    Result<void> registerTracks(std::vector<IngestTrack> tracks);
    Result<void> checkFragment(const std::vector<mp4::TrackFragment>& fragments,
                               uint64_t receivedBytes) const;
    Result<void> storeFragment(mp4::TrackFragment& fragment);
    Placement place(const manifest::TrackView* view, const SessionTrack& track, int64_t start,
                    int64_t duration, int64_t segmentTarget) const;
    void deriveFrameRate(SessionTrack& track, const mp4::TrackFragment& fragment);

    ChannelStore& store_;
    const std::string channelName_;
    const std::string streamId_;
    IngestRegistry& registry_;
    const OriginLimits limits_;
    std::optional<uint64_t> generation_;  ///< set at the first byte (an empty probe takes none)
    std::shared_ptr<Channel> channel_;
    BoxStreamParser parser_;
    bool sawAnyBox_ = false;
    bool sawHeader_ = false;
    IngestFormat format_ = IngestFormat::Unknown;
    std::vector<LsmTrack> lsm_;
    std::vector<SessionTrack> tracks_;
    std::map<uint32_t, mp4::SampleDefaults> defaults_;  ///< trex defaults by source track_ID
    std::optional<StreamBox> pendingMoof_;
    IngestStats stats_;
};

}  // namespace podium::publisher::origin

#include "publisher/origin/ingest/ingest_session.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <numeric>

#include "core/log.h"
#include "core/url_name.h"
#include "publisher/mp4/fragment_reader.h"
#include "publisher/mp4/init_segment.h"
#include "publisher/mp4/media_segment.h"
#include "publisher/mp4/piff.h"

namespace podium::publisher::origin {

namespace {

using mp4::FourCC;

IngestRegistry& defaultRegistry() {
    static IngestRegistry registry;
    return registry;
}

bool isPrintable(FourCC type) {
    for (int shift = 0; shift < 32; shift += 8) {
        const uint32_t c = (type.value >> shift) & 0xff;
        if (c < 0x20 || c > 0x7e) {
            return false;
        }
    }
    return true;
}

// Top-level boxes an ingest body may start with.
bool canStartStream(FourCC type) {
    static constexpr FourCC kFirst[] = {"ftyp", "styp", "moov", "moof", "mdat", "prft",
                                        "emsg", "uuid", "free", "skip", "sidx", "mfra"};
    return std::find(std::begin(kFirst), std::end(kFirst), type) != std::end(kFirst);
}

// Decode times beyond this are refused: start + duration and every rescale stay in int64.
constexpr uint64_t kMaxDecodeTime = uint64_t(1) << 62;

uint32_t readU32(const std::vector<uint8_t>& b, size_t at) {
    return uint32_t(b[at]) << 24 | uint32_t(b[at + 1]) << 16 | uint32_t(b[at + 2]) << 8 |
           uint32_t(b[at + 3]);
}

}  // namespace

IngestSession::IngestSession(ChannelStore& store, std::string channel, std::string streamId,
                             IngestRegistry* registry, const OriginLimits& limits)
    : store_(store),
      channelName_(std::move(channel)),
      streamId_(std::move(streamId)),
      registry_(registry ? *registry : defaultRegistry()),
      limits_(limits),
      parser_([this](StreamBox&& box) { return onBox(std::move(box)); }, limits.maxBoxBytes,
              [this](FourCC type, uint64_t offset) { return onBoxHeader(type, offset); }) {}

uint64_t IngestSession::normalisedBytes(uint64_t sampleCount, uint64_t dataBytes) {
    // mp4::buildChunk: styp (4 brands) 32 + moof 8 + mfhd 16 + traf 8 + tfhd 16 + tfdt v1 20 +
    // trun 20 + 16 per sample + mdat 8 + the sample data (tst_ingest_session pins this).
    constexpr uint64_t kFixed = 32 + 8 + 16 + 8 + 16 + 20 + 20 + 8;
    return kFixed + 16 * sampleCount + dataBytes;
}

IngestSession::~IngestSession() {
    if (generation_) {
        registry_.disconnect(channelName_, streamId_, *generation_);
    }
}

bool IngestSession::superseded() const {
    return generation_ && !registry_.isCurrent(channelName_, streamId_, *generation_);
}

std::vector<std::string> IngestSession::trackIds() const {
    std::vector<std::string> ids;
    for (const auto& t : tracks_) {
        ids.push_back(t.info.id);
    }
    return ids;
}

Result<void> IngestSession::feed(std::span<const uint8_t> bytes) {
    if (bytes.empty()) {
        return ok();
    }
    if (!generation_) {
        generation_ = registry_.connect(channelName_, streamId_);
    }
    stats_.bytesIn += bytes.size();
    return parser_.feed(bytes);
}

Result<void> IngestSession::finish() {
    if (auto done = parser_.finish(); !done) {
        return done;
    }
    if (pendingMoof_) {
        return makeError(ErrorCode::Parse, "body ended after a moof without its mdat");
    }
    return ok();
}

// Checked from a box's first 8 bytes: junk is refused before its claimed size is buffered.
Result<void> IngestSession::onBoxHeader(FourCC type, uint64_t offset) {
    if (!isPrintable(type) || (!sawAnyBox_ && !canStartStream(type))) {
        return makeError(ErrorCode::Parse, "not an ISO BMFF stream: unexpected box '" +
                                               type.toString() + "' at offset " +
                                               std::to_string(offset));
    }
    sawAnyBox_ = true;
    return ok();
}

Result<void> IngestSession::onBox(StreamBox&& box) {
    if (superseded()) {
        ++stats_.ignoredSuperseded;
        return ok();
    }
    if (box.type == FourCC{"ftyp"}) {
        return onFtyp(box);
    }
    if (box.type == FourCC{"uuid"}) {
        return onUuid(box);
    }
    if (box.type == FourCC{"moov"}) {
        return onMoov(box);
    }
    if (box.type == FourCC{"moof"}) {
        if (!sawHeader_) {
            return makeError(ErrorCode::FailedPrecondition,
                             "media (moof) arrived before the stream header (ftyp + moov)");
        }
        pendingMoof_ = std::move(box);
        return ok();
    }
    if (box.type == FourCC{"mdat"}) {
        return onMdat(std::move(box));
    }
    return ok();  // styp, prft, emsg, free, sidx, mfra...: nothing to keep
}

Result<void> IngestSession::onFtyp(const StreamBox& box) {
    format_ = IngestFormat::Cmaf;
    for (size_t at = box.headerSize; at + 4 <= box.bytes.size(); at += 4) {
        const FourCC brand{readU32(box.bytes, at)};
        if (brand == FourCC{"isml"} || brand == FourCC{"piff"}) {
            format_ = IngestFormat::Smooth;
        }
    }
    lsm_.clear();
    return ok();
}

Result<void> IngestSession::onUuid(const StreamBox& box) {
    const size_t typeAt = box.headerSize;
    if (box.bytes.size() < typeAt + 16 + 4 ||
        !std::equal(mp4::kLiveServerManifestUuid.begin(), mp4::kLiveServerManifestUuid.end(),
                    box.bytes.begin() + std::ptrdiff_t(typeAt))) {
        return ok();  // another uuid box (StreamManifest, vendor data): ignored
    }
    const auto xml = std::span<const uint8_t>(box.bytes).subspan(typeAt + 16 + 4);
    auto tracks = LsmParser::parse(xml, size_t(std::max(1, limits_.maxTracksPerChannel)));
    if (!tracks) {
        return makeError(tracks.error());
    }
    lsm_ = std::move(*tracks);
    return ok();
}

Result<void> IngestSession::onMoov(const StreamBox& box) {
    auto tracks = parseMovieHeader(box.bytes, lsm_, limits_.maxTracksPerChannel);
    if (!tracks) {
        return makeError(tracks.error().withContext("stream " + streamId_));
    }
    if (auto registered = registerTracks(std::move(*tracks)); !registered) {
        return makeError(registered.error().withContext("stream " + streamId_));
    }
    sawHeader_ = true;
    pendingMoof_.reset();
    return ok();
}

Result<void> IngestSession::registerTracks(std::vector<IngestTrack> declared) {
    tracks_.clear();
    defaults_.clear();
    for (const auto& d : declared) {
        SessionTrack track;
        track.sourceTrackId = d.sourceTrackId;
        track.info = d.info;
        std::string id = streamId_;
        if (declared.size() > 1) {
            id += "_" + (d.name.empty()
                             ? std::string(d.info.kind == TrackKind::Video ? "video" : "audio")
                             : d.name);
        }
        id = toUrlName(id, "stream");  // track ids become folder and URL names
        for (const auto& other : tracks_) {
            if (other.info.id == id) {
                // Room for the suffix within the name's length limit.
                const std::string suffix = "_" + std::to_string(d.sourceTrackId);
                id = id.substr(0, kMaxUrlNameLength - suffix.size()) + suffix;
            }
        }
        track.info.id = id;
        tracks_.push_back(std::move(track));
        defaults_[d.sourceTrackId] = d.defaults;
    }

    std::lock_guard lock(registry_.headerMutex());
    // The channel is looked up, not created, until the merged track list is known to fit.
    std::shared_ptr<Channel> channel = store_.find(channelName_);
    if (channel && channel->view()->ended) {
        // The encoder stopped long enough for the channel to end (idle); it is back: a new
        // live channel under the same name.
        ChannelConfig config = channel->config();
        channel = store_.recreate(config);
    }
    const manifest::ChannelViewPtr view = channel ? channel->view() : nullptr;
    std::vector<TrackInfo> all;
    int nextIndex = 0;
    if (view) {
        for (const auto& t : view->tracks) {
            all.push_back(t.info);
            nextIndex = std::max(nextIndex, t.info.trackIndex + 1);
        }
    }
    for (auto& track : tracks_) {
        auto existing = std::find_if(all.begin(), all.end(),
                                     [&](const TrackInfo& i) { return i.id == track.info.id; });
        if (existing != all.end()) {
            track.info.trackIndex = existing->trackIndex;
            if (track.info.fpsNum == 0) {
                track.info.fpsNum = existing->fpsNum;
                track.info.fpsDen = existing->fpsDen;
            }
            *existing = track.info;
        } else {
            track.info.trackIndex = nextIndex++;
            all.push_back(track.info);
        }
    }
    if (all.size() > size_t(std::max(0, limits_.maxTracksPerChannel))) {
        return makeError(ErrorCode::LimitExceeded, "channel " + channelName_ + " would have " +
                                                       std::to_string(all.size()) +
                                                       " tracks; the limit is " +
                                                       std::to_string(limits_.maxTracksPerChannel));
    }
    channel_ = channel ? channel : store_.getOrCreate(channelName_);
    // Video renditions first, highest bitrate first, then audio (manifest::ChannelView's order).
    std::stable_sort(all.begin(), all.end(), [](const TrackInfo& a, const TrackInfo& b) {
        if (a.kind != b.kind) {
            return a.kind == TrackKind::Video;
        }
        return a.bitrateBps > b.bitrateBps;
    });
    channel_->setTracks(all);
    for (auto& track : tracks_) {
        auto bytes = mp4::buildInitSegment(track.info);
        const manifest::TrackView* stored = view ? view->track(track.info.id) : nullptr;
        const bool hadInit = stored && stored->init;
        track.continuing = hadInit && stored->init->bytes == bytes;
        track.initChanged = hadInit && !track.continuing;
        if (!track.continuing) {
            channel_->setInit(
                std::make_shared<const InitSegment>(InitSegment{track.info, std::move(bytes)}));
        }
        if (stored && !stored->segments.empty()) {
            const auto& last = stored->segments.back();
            track.nextTime = (last.start + last.duration).value;
        }
    }
    logInfo("ingest", "channel " + channelName_ + ": stream " + streamId_ + " declared " +
                          std::to_string(tracks_.size()) + " track(s)");
    return ok();
}

Result<void> IngestSession::onMdat(StreamBox&& mdat) {
    if (!pendingMoof_) {
        if (!sawHeader_) {
            return makeError(ErrorCode::FailedPrecondition,
                             "media (mdat) arrived before the stream header (ftyp + moov)");
        }
        return makeError(ErrorCode::Parse,
                         "mdat at offset " + std::to_string(mdat.offset) + " without a moof");
    }
    const StreamBox moof = std::move(*pendingMoof_);
    pendingMoof_.reset();
    auto fragments =
        mp4::readFragment(moof.placed(), mdat.placed(), defaults_, limits_.maxSamplesPerFragment);
    if (!fragments) {
        return makeError(fragments.error().withContext("stream " + streamId_));
    }
    const uint64_t received = uint64_t(moof.bytes.size()) + uint64_t(mdat.bytes.size());
    if (auto fits = checkFragment(*fragments, received); !fits) {
        return makeError(fits.error().withContext("stream " + streamId_ + ", moof at offset " +
                                                  std::to_string(moof.offset)));
    }
    for (auto& fragment : *fragments) {
        if (auto stored = storeFragment(fragment); !stored) {
            return stored;
        }
    }
    return ok();
}

// Everything that could refuse one moof + mdat, checked before any of its trafs is stored:
// declared tracks, decode times in range, and the segments it would become: each within
// maxSegmentBytes, all together within kMaxExpansion x the bytes they arrived in (counted with
// every sample: clamping at time 0 only removes some).
Result<void> IngestSession::checkFragment(const std::vector<mp4::TrackFragment>& fragments,
                                          uint64_t receivedBytes) const {
    uint64_t total = 0;
    for (const auto& fragment : fragments) {
        const bool declared =
            std::any_of(tracks_.begin(), tracks_.end(),
                        [&](const SessionTrack& t) { return t.sourceTrackId == fragment.trackId; });
        if (!declared) {
            return makeError(ErrorCode::Parse, "fragment for track_ID " +
                                                   std::to_string(fragment.trackId) +
                                                   " which the header does not declare");
        }
        if ((fragment.decodeTime && *fragment.decodeTime > kMaxDecodeTime) ||
            (fragment.tfxdTime && *fragment.tfxdTime > int64_t(kMaxDecodeTime))) {
            return makeError(ErrorCode::Parse, "decode time of track_ID " +
                                                   std::to_string(fragment.trackId) +
                                                   " is beyond 2^62 ticks");
        }
        if (fragment.samples.empty()) {
            continue;
        }
        uint64_t data = 0;
        for (const auto& s : fragment.samples) {
            data += s.data.size();  // <= the mdat size: samples are disjoint (readFragment)
        }
        const uint64_t bytes = normalisedBytes(fragment.samples.size(), data);
        if (bytes > limits_.maxSegmentBytes) {
            return makeError(ErrorCode::LimitExceeded,
                             "the segment of track_ID " + std::to_string(fragment.trackId) +
                                 " would be " + std::to_string(bytes) + " bytes; the limit is " +
                                 std::to_string(limits_.maxSegmentBytes));
        }
        total += bytes;
    }
    if (total > kMaxExpansion * receivedBytes) {
        return makeError(ErrorCode::LimitExceeded,
                         "the fragment would be stored as " + std::to_string(total) +
                             " bytes from " + std::to_string(receivedBytes) +
                             " bytes received (more than " + std::to_string(kMaxExpansion) +
                             "x: empty or tiny samples)");
    }
    return ok();
}

Result<void> IngestSession::storeFragment(mp4::TrackFragment& fragment) {
    auto it = std::find_if(tracks_.begin(), tracks_.end(), [&](const SessionTrack& t) {
        return t.sourceTrackId == fragment.trackId;
    });
    if (it == tracks_.end()) {
        return makeError(ErrorCode::Internal,
                         "fragment for an undeclared track");  // see checkFragment
    }
    SessionTrack& track = *it;
    ++stats_.fragments;
    int64_t start = fragment.decodeTime ? int64_t(*fragment.decodeTime)
                    : fragment.tfxdTime ? *fragment.tfxdTime
                                        : track.nextTime;
    // Clamp the timeline at 0: drop samples that start before it (AAC priming).
    size_t dropped = 0;
    while (dropped < fragment.samples.size() && start < 0) {
        start += fragment.samples[dropped].duration;
        ++dropped;
    }
    fragment.samples.erase(fragment.samples.begin(),
                           fragment.samples.begin() + std::ptrdiff_t(dropped));
    stats_.samplesClamped += dropped;
    if (fragment.samples.empty()) {
        return ok();
    }
    int64_t duration = 0;
    for (const auto& s : fragment.samples) {
        duration += s.duration;
    }
    if (track.info.kind == TrackKind::Video && track.info.fpsNum == 0) {
        deriveFrameRate(track, fragment);
    }

    const manifest::ChannelViewPtr view = channel_->view();
    const manifest::TrackView* stored = view->track(track.info.id);
    const int64_t target =
        std::max<int64_t>(1, view->segmentTarget.rescaled(track.info.timescale).value);
    switch (place(stored, track, start, duration, target)) {
        case Placement::Duplicate:
            ++stats_.duplicatesDropped;
            return ok();
        case Placement::AfterDiscontinuity:
            ++stats_.discontinuities;
            channel_->markDiscontinuity();
            break;
        case Placement::Append:
            break;
    }

    std::vector<mp4::Sample> samples;
    samples.reserve(fragment.samples.size());
    for (const auto& s : fragment.samples) {
        samples.push_back(mp4::Sample{s.duration, s.isSync(), s.compositionOffset, s.data});
    }
    const int64_t sequence =
        stored && !stored->segments.empty() ? stored->segments.back().sequence + 1 : 0;
    mp4::ChunkConfig config;
    config.sequenceNumber = uint32_t(sequence + 1);
    config.trackId = mp4::trackIdOf(track.info);
    config.baseDecodeTime = uint64_t(start);
    config.stypBrands = mp4::segmentStypBrands();

    auto segment = std::make_shared<Segment>();
    segment->trackIndex = track.info.trackIndex;
    segment->number = int64_t(std::llround(double(start) / double(target)));
    segment->start = MediaTime{start, track.info.timescale};
    segment->duration = MediaTime{duration, track.info.timescale};
    segment->bytes = mp4::buildChunk(config, samples);
    segment->parts.push_back(
        PartInfo{0, segment->bytes.size(), segment->duration, fragment.samples.front().isSync()});
    stats_.bytesStored += segment->bytes.size();
    channel_->addSegment(segment);
    ++stats_.segmentsAdded;
    track.appended = true;
    track.nextTime = start + duration;
    return ok();
}

IngestSession::Placement IngestSession::place(const manifest::TrackView* view,
                                              const SessionTrack& track, int64_t start,
                                              int64_t duration, int64_t segmentTarget) const {
    (void)duration;
    if (!view || view->segments.empty()) {
        return Placement::Append;
    }
    const int32_t timescale = track.info.timescale;
    const int64_t tolerance = std::max<int64_t>(1, timescale / 1000);  // 1 ms
    const auto& last = view->segments.back();
    const int64_t lastStart = last.start.rescaled(timescale, Rounding::Nearest).value;
    const int64_t lastEnd =
        (last.start + last.duration).rescaled(timescale, Rounding::Nearest).value;
    if (start > lastStart) {
        const bool overlaps = start + tolerance < lastEnd;
        const bool jumps = start > lastEnd + segmentTarget;
        if ((overlaps || jumps) && !(track.initChanged && !track.appended)) {
            return Placement::AfterDiscontinuity;
        }
        return Placement::Append;
    }
    if (track.continuing) {
        for (const auto& s : view->segments) {
            if (std::llabs(s.start.rescaled(timescale, Rounding::Nearest).value - start) <=
                tolerance) {
                return Placement::Duplicate;
            }
        }
    }
    // Time went backwards: an encoder restart. A new init already marked the discontinuity.
    return track.initChanged && !track.appended ? Placement::Append : Placement::AfterDiscontinuity;
}

// Constant sample durations d give fps = timescale / d; the channel's track info is updated.
void IngestSession::deriveFrameRate(SessionTrack& track, const mp4::TrackFragment& fragment) {
    const uint32_t d = fragment.samples.front().duration;
    const bool constant =
        fragment.samples.size() >= 2 && d > 0 && d <= 0x7fffffffu &&
        std::all_of(fragment.samples.begin(), fragment.samples.end(),
                    [d](const mp4::FragmentSample& s) { return s.duration == d; });
    if (!constant) {
        return;
    }
    const int64_t g = std::gcd(int64_t(track.info.timescale), int64_t(d));
    track.info.fpsNum = int(track.info.timescale / g);
    track.info.fpsDen = int(d / g);
    std::lock_guard lock(registry_.headerMutex());
    std::vector<TrackInfo> all;
    for (const auto& t : channel_->view()->tracks) {
        all.push_back(t.info.id == track.info.id ? track.info : t.info);
    }
    channel_->setTracks(all);
}

}  // namespace podium::publisher::origin

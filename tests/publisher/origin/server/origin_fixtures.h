#pragma once
// Fixtures of the origin server tests: a video track, a channel fed part by part as the
// in-process packager would (SyntheticFeed), and ingest bodies built with the project's own
// box writers (CMAF header + fragments), so every bad input is made of real boxes.
#include <algorithm>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "publisher/mp4/init_segment.h"
#include "publisher/mp4/media_segment.h"
#include "publisher/origin/channel_store.h"

namespace podium::publisher::origin::test {

constexpr int kPartsPerSegment = 4;
constexpr int kFramesPerPart = 15;  // 0.5 s at 30 fps
constexpr uint32_t kFrameTicks = 3000;

inline TrackInfo videoTrack() {
    TrackInfo t;
    t.trackIndex = 0;
    t.id = "720p";
    t.kind = TrackKind::Video;
    t.timescale = 90000;
    t.codecString = "avc1.64001f";
    t.bitrateBps = 2500000;
    t.maxBitrateBps = 3000000;
    t.width = 1280;
    t.height = 720;
    t.fpsNum = 30;
    t.fpsDen = 1;
    // avcC: High@3.1, one SPS and one PPS (short but well-formed).
    t.avcDecoderConfig = {0x01, 0x64, 0x00, 0x1f, 0xff, 0xe1, 0x00, 0x04, 0x67, 0x64,
                          0x00, 0x1f, 0x01, 0x00, 0x04, 0x68, 0xee, 0x3c, 0x80};
    return t;
}

/// Feeds one video track of a channel part by part, as the in-process packager would.
class SyntheticFeed {
public:
    explicit SyntheticFeed(std::shared_ptr<Channel> channel) : channel_(std::move(channel)) {
        const TrackInfo track = videoTrack();
        channel_->setTracks({track});
        auto init = std::make_shared<InitSegment>();
        init->track = track;
        init->bytes = mp4::buildInitSegment(track);
        channel_->setInit(init);
    }

    /// Adds the next part (completing its segment after kPartsPerSegment parts).
    void addPart() {
        const int64_t frame0 = (sequence_ * kPartsPerSegment + partIndex_) * kFramesPerPart;
        std::vector<std::vector<uint8_t>> payloads;
        std::vector<mp4::Sample> samples;
        for (int i = 0; i < kFramesPerPart; ++i) {
            payloads.push_back({0, 0, 0, 2, uint8_t(i == 0 ? 0x65 : 0x41), uint8_t(frame0 + i)});
        }
        for (int i = 0; i < kFramesPerPart; ++i) {
            samples.push_back({kFrameTicks, partIndex_ == 0 && i == 0, 0, payloads[i]});
        }
        mp4::ChunkConfig config;
        config.sequenceNumber = uint32_t(sequence_ * kPartsPerSegment + partIndex_ + 1);
        config.baseDecodeTime = uint64_t(frame0) * kFrameTicks;
        if (partIndex_ == 0)
            config.stypBrands = mp4::segmentStypBrands();
        auto chunk = std::make_shared<Chunk>();
        chunk->trackIndex = 0;
        chunk->segmentNumber = sequence_;
        chunk->partIndex = partIndex_;
        chunk->start = MediaTime{frame0 * kFrameTicks, 90000};
        chunk->duration = MediaTime{int64_t(kFramesPerPart) * kFrameTicks, 90000};
        chunk->isIndependent = partIndex_ == 0;
        chunk->bytes = mp4::buildChunk(config, samples);
        segmentBytes_.insert(segmentBytes_.end(), chunk->bytes.begin(), chunk->bytes.end());
        parts_.push_back({segmentBytes_.size() - chunk->bytes.size(), chunk->bytes.size(),
                          chunk->duration, chunk->isIndependent});
        lastPartBytes_ = chunk->bytes;
        channel_->addChunk(chunk);
        if (++partIndex_ == kPartsPerSegment)
            completeSegment();
    }

    void addSegment() {
        for (int i = 0; i < kPartsPerSegment; ++i)
            addPart();
    }

    [[nodiscard]] int64_t nextSequence() const { return sequence_; }
    [[nodiscard]] int nextPart() const { return partIndex_; }
    [[nodiscard]] const std::vector<uint8_t>& lastPartBytes() const { return lastPartBytes_; }
    [[nodiscard]] const std::vector<uint8_t>& lastSegmentBytes() const { return lastSegment_; }

private:
    void completeSegment() {
        auto segment = std::make_shared<Segment>();
        segment->trackIndex = 0;
        segment->number = sequence_;
        segment->start =
            MediaTime{sequence_ * kPartsPerSegment * kFramesPerPart * kFrameTicks, 90000};
        segment->duration =
            MediaTime{int64_t(kPartsPerSegment) * kFramesPerPart * kFrameTicks, 90000};
        segment->bytes = segmentBytes_;
        segment->parts = parts_;
        lastSegment_ = segmentBytes_;
        channel_->addSegment(segment);
        segmentBytes_.clear();
        parts_.clear();
        partIndex_ = 0;
        ++sequence_;
    }

    std::shared_ptr<Channel> channel_;
    int64_t sequence_ = 0;
    int partIndex_ = 0;
    std::vector<uint8_t> segmentBytes_;
    std::vector<PartInfo> parts_;
    std::vector<uint8_t> lastPartBytes_;
    std::vector<uint8_t> lastSegment_;
};

inline ChannelConfig channelConfig(const std::string& name) {
    ChannelConfig c;
    c.name = name;
    c.segmentTarget = MediaTime{180000, 90000};
    c.partTarget = MediaTime{45000, 90000};
    c.availabilityStartMs = 1700000000000;
    return c;
}

inline std::string text(const std::vector<uint8_t>& bytes) {
    return {bytes.begin(), bytes.end()};
}

/// A CMAF ingest body: the header of videoTrack(), then `fragments` fragments of
/// `samplesPerFragment` samples of `sampleBytes` bytes each. Fragment i starts at
/// `firstDecodeTime + i * decodeTimeStep` (tfdt); each sample lasts `sampleTicks`.
struct CmafBodySpec {
    int fragments = 1;
    int samplesPerFragment = 30;
    std::size_t sampleBytes = 6;
    uint32_t sampleTicks = kFrameTicks;
    uint64_t firstDecodeTime = 0;
    uint64_t decodeTimeStep = 30 * kFrameTicks;
};

inline std::vector<uint8_t> cmafFragment(const CmafBodySpec& spec, int index) {
    std::vector<std::vector<uint8_t>> payloads;
    std::vector<mp4::Sample> samples;
    for (int i = 0; i < spec.samplesPerFragment; ++i) {
        std::vector<uint8_t> payload(std::max<std::size_t>(spec.sampleBytes, 5), uint8_t(i));
        const uint32_t nal = uint32_t(payload.size() - 4);
        payload[0] = uint8_t(nal >> 24);
        payload[1] = uint8_t(nal >> 16);
        payload[2] = uint8_t(nal >> 8);
        payload[3] = uint8_t(nal);
        payload[4] = i == 0 ? 0x65 : 0x41;
        payloads.push_back(std::move(payload));
    }
    for (int i = 0; i < spec.samplesPerFragment; ++i) {
        samples.push_back({spec.sampleTicks, i == 0, 0, payloads[std::size_t(i)]});
    }
    mp4::ChunkConfig config;
    config.sequenceNumber = uint32_t(index + 1);
    config.baseDecodeTime = spec.firstDecodeTime + uint64_t(index) * spec.decodeTimeStep;
    config.stypBrands = mp4::segmentStypBrands();
    return mp4::buildChunk(config, samples);
}

inline std::vector<uint8_t> cmafBody(const CmafBodySpec& spec) {
    std::vector<uint8_t> body = mp4::buildInitSegment(videoTrack());
    for (int i = 0; i < spec.fragments; ++i) {
        const std::vector<uint8_t> fragment = cmafFragment(spec, i);
        body.insert(body.end(), fragment.begin(), fragment.end());
    }
    return body;
}

/// The segments stored for the first track of `channel` in `store` (0 without one).
inline std::size_t storedSegments(const ChannelStore& store, const std::string& channel) {
    auto found = store.find(channel);
    if (!found) {
        return 0;
    }
    const podium::publisher::manifest::ChannelViewPtr view = found->view();
    return view->tracks.empty() ? 0 : view->tracks.front().segments.size();
}

}  // namespace podium::publisher::origin::test

#pragma once
// A real origin::Channel fed like the in-process origin feed: synthetic packets of a 3-rendition
// ladder (30 fps video at 90 kHz, an IDR every 2 s) and 48 kHz AAC-like audio go through the real
// Fragmenter (2 s segments, 0.5 s parts) into Channel::addChunk/addSegment. Deterministic bytes.

#include <cstdint>
#include <memory>
#include <vector>

#include "core/segment_schedule.h"
#include "publisher/mp4/fragmenter.h"
#include "publisher/mp4/init_segment.h"
#include "publisher/origin/channel.h"

namespace podium::publisher::manifest::test {

constexpr int64_t kAstMs = 1795608000000;  // 2026-11-25T12:00:00.000Z = media time 0

struct ChannelScenario {
    double seconds = 14.75;       ///< feed packets with pts below this (media seconds)
    double discontinuityAt = -1;  ///< markDiscontinuity() before this time (< 0: none)
    double dvrSeconds = 8.0;      ///< ChannelConfig::dvrWindow
    bool withParts = true;        ///< partTarget 0.5 s (false: 0, no LL-HLS)
    bool ended = false;           ///< flush the fragmenters and end the channel
};

inline std::vector<uint8_t> testAvcC(uint8_t profile, uint8_t constraints, uint8_t level) {
    return {1,           profile, constraints, level, 0xFF, 0xE1, 0x00, 0x04, 0x67, profile,
            constraints, level,   0x01,        0x00,  0x04, 0x68, 0xEE, 0x3C, 0x80};
}

inline std::vector<TrackInfo> ladderTracks() {
    auto video = [](int index, const char* id, const char* codec, int bitrate, int w, int h,
                    uint8_t profile, uint8_t level) {
        TrackInfo t;
        t.trackIndex = index;
        t.id = id;
        t.kind = TrackKind::Video;
        t.timescale = 90000;
        t.codecString = codec;
        t.bitrateBps = bitrate;
        t.maxBitrateBps = bitrate + bitrate / 10;
        t.width = w;
        t.height = h;
        t.fpsNum = 30;
        t.fpsDen = 1;
        t.avcDecoderConfig = testAvcC(profile, 0x00, level);
        return t;
    };
    TrackInfo audio;
    audio.trackIndex = 3;
    audio.id = "audio";
    audio.kind = TrackKind::Audio;
    audio.timescale = 48000;
    audio.codecString = "mp4a.40.2";
    audio.bitrateBps = 128000;
    audio.maxBitrateBps = 128000;
    audio.sampleRate = 48000;
    audio.channels = 2;
    audio.audioSpecificConfig = {0x11, 0x90};
    return {video(0, "720p", "avc1.64001f", 2500000, 1280, 720, 0x64, 0x1f),
            video(1, "480p", "avc1.64001e", 1000000, 854, 480, 0x64, 0x1e),
            video(2, "360p", "avc1.64001e", 600000, 640, 360, 0x64, 0x1e), audio};
}

inline EncodedPacket packetFor(const TrackInfo& t, int64_t k) {
    EncodedPacket p;
    p.trackIndex = t.trackIndex;
    p.kind = t.kind;
    const int64_t frame = t.kind == TrackKind::Video ? 3000 : 1024;
    p.pts = p.dts = k * frame;
    p.duration = frame;
    p.isKeyframe = t.kind == TrackKind::Audio || k % 60 == 0;
    p.data.assign(size_t(4 + k % 7), uint8_t(k * 7 + t.trackIndex));
    return p;
}

inline void feed(origin::Channel& channel, const mp4::FragmenterOutput& out) {
    for (const auto& c : out.chunks) {
        channel.addChunk(std::make_shared<const Chunk>(c));
    }
    for (const auto& s : out.segments) {
        channel.addSegment(std::make_shared<const Segment>(s));
    }
}

/// Builds the channel "talk" and feeds it as the scenario says. Packets of all tracks are fed
/// in presentation-time order, so the tracks advance together like a live session.
inline std::shared_ptr<origin::Channel> makeChannel(const ChannelScenario& scenario) {
    origin::ChannelConfig config;
    config.name = "talk";
    config.segmentTarget = MediaTime{180000, 90000};
    config.partTarget = scenario.withParts ? MediaTime{45000, 90000} : MediaTime{0, 90000};
    config.dvrWindow = MediaTime{int64_t(scenario.dvrSeconds * 90000), 90000};
    config.availabilityStartMs = kAstMs;
    auto channel = std::make_shared<origin::Channel>(config);
    const auto tracks = ladderTracks();
    channel->setTracks(tracks);
    const SegmentSchedule schedule(MediaTime{180000, 90000}, MediaTime{45000, 90000});
    std::vector<mp4::Fragmenter> fragmenters;
    std::vector<int64_t> next(tracks.size(), 0);
    for (const auto& t : tracks) {
        auto init = std::make_shared<InitSegment>();
        init->track = t;
        init->bytes = mp4::buildInitSegment(t);
        channel->setInit(init);
        fragmenters.emplace_back(t, schedule);
    }
    bool discontinuityDone = scenario.discontinuityAt < 0;
    while (true) {
        // The track whose next packet is earliest (ties: lowest index).
        size_t best = tracks.size();
        double bestTime = scenario.seconds;
        for (size_t i = 0; i < tracks.size(); ++i) {
            const double t = double(packetFor(tracks[i], next[i]).pts) / tracks[i].timescale;
            if (t < bestTime) {
                best = i;
                bestTime = t;
            }
        }
        if (best == tracks.size()) {
            break;
        }
        if (!discontinuityDone && bestTime >= scenario.discontinuityAt) {
            channel->markDiscontinuity();
            discontinuityDone = true;
        }
        auto out = fragmenters[best].addPacket(packetFor(tracks[best], next[best]++));
        if (out) {
            feed(*channel, *out);
        }
    }
    if (scenario.ended) {
        for (auto& f : fragmenters) {
            if (auto out = f.finish()) {
                feed(*channel, *out);
            }
        }
        channel->end();
    }
    return channel;
}

}  // namespace podium::publisher::manifest::test

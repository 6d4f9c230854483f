#pragma once
// Ingest bodies for the hostile-input regression tests (issue #9, rows 1-4), built with the
// project's BoxWriter: a real Podium CMAF header (buildInitSegment) followed by moof + mdat
// pairs whose tfhd / trun fields say exactly what a test wants, true or not.

#include <algorithm>
#include <cstdint>
#include <optional>
#include <vector>

#include "core/encoded_packet.h"
#include "publisher/mp4/box_writer.h"
#include "publisher/mp4/init_segment.h"

namespace podium::publisher::origin::test {

/// One trun. Per-sample fields are written only when their vector is set, so `sampleCount`
/// can claim more samples than the box holds (the point of several rows).
struct TrunSpec {
    uint32_t sampleCount = 0;
    std::optional<int32_t> dataOffset;
    std::optional<std::vector<uint32_t>> durations;
    std::optional<std::vector<uint32_t>> sizes;
};

/// One traf plus the mdat payload that follows the moof.
struct FragmentSpec {
    uint32_t sequence = 1;
    uint32_t trackId = 1;
    uint64_t decodeTime = 0;
    std::optional<uint64_t> baseDataOffset;  ///< tfhd base_data_offset (a stream offset)
    bool defaultBaseIsMoof = true;
    uint32_t defaultDuration = 3000;  ///< tfhd default_sample_duration
    uint32_t defaultSize = 0;         ///< tfhd default_sample_size
    std::vector<TrunSpec> truns;
    std::vector<uint8_t> mdatPayload;
};

/// 320x240 H.264 video, track_ID 1, 90 kHz (a short but well-formed avcC).
inline TrackInfo hostileTestTrack() {
    TrackInfo t;
    t.trackIndex = 0;
    t.id = "video";
    t.kind = TrackKind::Video;
    t.timescale = 90000;
    t.codecString = "avc1.64000d";
    t.bitrateBps = 300000;
    t.maxBitrateBps = 300000;
    t.width = 320;
    t.height = 240;
    t.fpsNum = 30;
    t.fpsDen = 1;
    t.avcDecoderConfig = {0x01, 0x64, 0x00, 0x0d, 0xff, 0xe1, 0x00, 0x04, 0x67, 0x64,
                          0x00, 0x0d, 0x01, 0x00, 0x04, 0x68, 0xee, 0x3c, 0x80};
    return t;
}

/// ftyp + moov of hostileTestTrack().
inline std::vector<uint8_t> hostileHeader() {
    return mp4::buildInitSegment(hostileTestTrack());
}

/// moof(mfhd, traf(tfhd, tfdt, trun...)) + mdat, as `spec` says.
inline std::vector<uint8_t> fragmentBytes(const FragmentSpec& spec) {
    mp4::BoxWriter w;
    {
        mp4::BoxScope moof = w.beginBox(mp4::FourCC{"moof"});
        {
            mp4::BoxScope mfhd = w.beginFullBox(mp4::FourCC{"mfhd"}, 0, 0);
            w.writeU32(spec.sequence);
        }
        mp4::BoxScope traf = w.beginBox(mp4::FourCC{"traf"});
        {
            uint32_t flags = 0x000008 | 0x000010;  // default duration and size
            flags |= spec.baseDataOffset ? 0x000001 : 0;
            flags |= spec.defaultBaseIsMoof ? 0x020000 : 0;
            mp4::BoxScope tfhd = w.beginFullBox(mp4::FourCC{"tfhd"}, 0, flags);
            w.writeU32(spec.trackId);
            if (spec.baseDataOffset) {
                w.writeU64(*spec.baseDataOffset);
            }
            w.writeU32(spec.defaultDuration);
            w.writeU32(spec.defaultSize);
        }
        {
            mp4::BoxScope tfdt = w.beginFullBox(mp4::FourCC{"tfdt"}, 1, 0);
            w.writeU64(spec.decodeTime);
        }
        for (const TrunSpec& t : spec.truns) {
            uint32_t flags = t.dataOffset ? 0x000001 : 0;
            flags |= t.durations ? 0x000100 : 0;
            flags |= t.sizes ? 0x000200 : 0;
            mp4::BoxScope trun = w.beginFullBox(mp4::FourCC{"trun"}, 0, flags);
            w.writeU32(t.sampleCount);
            if (t.dataOffset) {
                w.writeI32(*t.dataOffset);
            }
            const size_t written =
                std::max(t.durations ? t.durations->size() : 0, t.sizes ? t.sizes->size() : 0);
            for (size_t i = 0; i < written; ++i) {
                if (t.durations) {
                    w.writeU32(i < t.durations->size() ? (*t.durations)[i] : 0);
                }
                if (t.sizes) {
                    w.writeU32(i < t.sizes->size() ? (*t.sizes)[i] : 0);
                }
            }
        }
    }
    mp4::BoxScope mdat = w.beginBox(mp4::FourCC{"mdat"});
    w.writeBytes(spec.mdatPayload);
    mdat.close();
    return w.take();
}

/// A well-formed fragment of `frames` IDR-sized samples (16 bytes each) at `decodeTime`.
inline FragmentSpec goodFragment(uint32_t sequence, uint64_t decodeTime, uint32_t frames = 30) {
    FragmentSpec spec;
    spec.sequence = sequence;
    spec.decodeTime = decodeTime;
    TrunSpec trun;
    trun.sampleCount = frames;
    trun.sizes = std::vector<uint32_t>(frames, 16);
    spec.truns.push_back(trun);
    for (uint32_t i = 0; i < frames; ++i) {
        const std::vector<uint8_t> nal = {
            0, 0, 0, 12, 0x65, uint8_t(sequence), uint8_t(i), 1, 2, 3, 4, 5, 6, 7, 8, 9};
        spec.mdatPayload.insert(spec.mdatPayload.end(), nal.begin(), nal.end());
    }
    return spec;  // no data_offset: the first trun starts at the mdat payload
}

/// Size of the moof `spec` makes (its fields are fixed-width: offsets do not change it).
inline uint32_t moofSizeOf(const FragmentSpec& spec) {
    const auto bytes = fragmentBytes(spec);
    return uint32_t(bytes[0]) << 24 | uint32_t(bytes[1]) << 16 | uint32_t(bytes[2]) << 8 |
           uint32_t(bytes[3]);
}

/// `spec` with every trun's data_offset set to the first mdat payload byte (default base is
/// the moof): each trun claims the same bytes.
inline FragmentSpec everyTrunAtPayloadStart(FragmentSpec spec) {
    for (auto& t : spec.truns) {
        t.dataOffset = 0;
    }
    const int32_t atPayload = int32_t(moofSizeOf(spec) + 8);
    for (auto& t : spec.truns) {
        t.dataOffset = atPayload;
    }
    return spec;
}

/// A fragment whose trun claims `count` samples of the tfhd default size (0 unless set) with no
/// per-sample field: 12 bytes of trun for any count (issue #9 rows 2 and 3).
inline std::vector<uint8_t> countOnlyFragment(uint32_t count, uint64_t decodeTime = 0,
                                              uint32_t defaultSize = 0) {
    FragmentSpec spec;
    spec.sequence = 3;
    spec.decodeTime = decodeTime;
    spec.defaultSize = defaultSize;
    spec.truns.push_back(TrunSpec{count, std::nullopt, std::nullopt, std::nullopt});
    spec.mdatPayload = {1, 2, 3, 4};
    return fragmentBytes(spec);
}

/// header + `fragments`, as one POST body.
inline std::vector<uint8_t> bodyOf(const std::vector<FragmentSpec>& fragments) {
    std::vector<uint8_t> body = hostileHeader();
    for (const auto& f : fragments) {
        const auto bytes = fragmentBytes(f);
        body.insert(body.end(), bytes.begin(), bytes.end());
    }
    return body;
}

}  // namespace podium::publisher::origin::test

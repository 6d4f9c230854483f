#include "publisher/manifest/smooth_fragment.h"

#include <algorithm>
#include <array>
#include <span>
#include <string>

#include "publisher/mp4/box_reader.h"
#include "publisher/mp4/box_writer.h"
#include "publisher/mp4/media_segment.h"

namespace podium::publisher::manifest {

using origin::StoredSegment;
using origin::TrackView;

namespace {

constexpr std::array<uint8_t, 16> kTfxdUuid = {0x6D, 0x1D, 0x9B, 0x05, 0x42, 0xD5, 0x44, 0xE6,
                                               0x80, 0xE2, 0x14, 0x1D, 0xAF, 0xF7, 0x57, 0xB2};
constexpr std::array<uint8_t, 16> kTfrfUuid = {0xD4, 0x80, 0x7E, 0xF2, 0xCA, 0x39, 0x46, 0x95,
                                               0x8E, 0x54, 0x26, 0xCB, 0x9E, 0x46, 0xA7, 0x9F};

constexpr uint32_t kTfhdBaseDataOffset = 0x000001;
constexpr uint32_t kTfhdDefaultBaseIsMoof = 0x020000;
constexpr uint32_t kTrunDataOffset = 0x000001;
constexpr uint32_t kTrunDuration = 0x000100;
constexpr uint32_t kTrunSize = 0x000200;
constexpr uint32_t kTrunFlags = 0x000400;
constexpr uint32_t kTrunCompositionOffset = 0x000800;

/// A sample of the merged fragment; `data` points into the stored segment bytes.
struct MergedSample {
    mp4::TrunSample fields;
    std::span<const uint8_t> data;
};

struct Merged {
    uint32_t trackId = 1;
    std::vector<MergedSample> samples;
};

Status parseError(const std::string& message, const StoredSegment& segment) {
    return Status(ErrorCode::Parse, message)
        .withContext("segment " + std::to_string(segment.sequence));
}

/// Appends the samples of one moof (its single traf) to `merged`.
Result<void> collectMoof(const mp4::Box& moof, std::span<const uint8_t> bytes, bool isVideo,
                         Merged& merged, const StoredSegment& segment) {
    const mp4::Box* tfhdBox = mp4::findBox(moof.children, "traf/tfhd");
    const mp4::Box* trunBox = mp4::findBox(moof.children, "traf/trun");
    if (!tfhdBox || !trunBox) {
        return makeError(parseError("moof without tfhd/trun", segment));
    }
    auto tfhd = mp4::readTfhd(*tfhdBox);
    auto trun = mp4::readTrun(*trunBox);
    if (!tfhd || !trun) {
        return makeError(parseError("unreadable tfhd/trun", segment));
    }
    const uint32_t needed = kTrunDuration | kTrunSize;
    if ((tfhd->flags & kTfhdBaseDataOffset) || (trun->flags & needed) != needed) {
        return makeError(Status(ErrorCode::Unsupported,
                                "trun without explicit sample sizes "
                                "and durations, or an absolute base")
                             .withContext("segment " + std::to_string(segment.sequence)));
    }
    merged.trackId = tfhd->trackId;
    uint64_t position = moof.offset + uint64_t(int64_t(trun->dataOffset.value_or(0)));
    for (size_t i = 0; i < trun->samples.size(); ++i) {
        MergedSample sample{trun->samples[i], {}};
        if (!(trun->flags & kTrunFlags)) {
            const bool first = i == 0 && trun->firstSampleFlags;
            sample.fields.flags =
                first ? *trun->firstSampleFlags : mp4::sampleFlags(!isVideo || i == 0);
        }
        if (position + sample.fields.size > bytes.size()) {
            return makeError(parseError("sample data outside the segment", segment));
        }
        sample.data = bytes.subspan(position, sample.fields.size);
        position += sample.fields.size;
        merged.samples.push_back(sample);
    }
    return ok();
}

void writeTfxd(mp4::BoxWriter& out, const StoredSegment& segment) {
    mp4::BoxScope box = out.beginUuidBox(kTfxdUuid);
    out.writeU32(0x01000000);  // version 1, flags 0
    out.writeU64(uint64_t(segment.start.value));
    out.writeU64(uint64_t(segment.duration.value));
}

void writeTfrf(mp4::BoxWriter& out, const std::vector<const StoredSegment*>& following) {
    mp4::BoxScope box = out.beginUuidBox(kTfrfUuid);
    out.writeU32(0x01000000);
    out.writeU8(uint8_t(following.size()));
    for (const auto* s : following) {
        out.writeU64(uint64_t(s->start.value));
        out.writeU64(uint64_t(s->duration.value));
    }
}

std::vector<uint8_t> writeFragment(const Merged& merged, const StoredSegment& segment,
                                   const std::vector<const StoredSegment*>& following) {
    mp4::BoxWriter out;
    size_t dataOffsetPosition = 0;
    mp4::BoxScope moof = out.beginBox(mp4::FourCC{"moof"});
    {
        mp4::BoxScope mfhd = out.beginFullBox(mp4::FourCC{"mfhd"}, 0, 0);
        out.writeU32(uint32_t(segment.sequence + 1));
    }
    {
        mp4::BoxScope traf = out.beginBox(mp4::FourCC{"traf"});
        {
            mp4::BoxScope tfhd = out.beginFullBox(mp4::FourCC{"tfhd"}, 0, kTfhdDefaultBaseIsMoof);
            out.writeU32(merged.trackId);
        }
        {
            mp4::BoxScope tfdt = out.beginFullBox(mp4::FourCC{"tfdt"}, 1, 0);
            out.writeU64(uint64_t(segment.start.value));
        }
        {
            const uint32_t flags =
                kTrunDataOffset | kTrunDuration | kTrunSize | kTrunFlags | kTrunCompositionOffset;
            mp4::BoxScope trun = out.beginFullBox(mp4::FourCC{"trun"}, 1, flags);
            out.writeU32(uint32_t(merged.samples.size()));
            dataOffsetPosition = out.size();
            out.writeI32(0);
            for (const auto& s : merged.samples) {
                out.writeU32(s.fields.duration);
                out.writeU32(s.fields.size);
                out.writeU32(s.fields.flags);
                out.writeI32(int32_t(s.fields.compositionOffset));
            }
        }
        writeTfxd(out, segment);
        writeTfrf(out, following);
    }
    const size_t moofSize = moof.close();
    out.patchU32(dataOffsetPosition, uint32_t(moofSize + 8));
    {
        mp4::BoxScope mdat = out.beginBox(mp4::FourCC{"mdat"});
        for (const auto& s : merged.samples) {
            out.writeBytes(s.data);
        }
    }
    return out.take();
}

}  // namespace

Result<std::vector<uint8_t>> buildSmoothFragment(const TrackView& track, int64_t startTicks,
                                                 int lookahead, bool ended) {
    std::vector<const StoredSegment*> complete;
    for (const auto& s : track.segments) {
        if (s.isComplete()) {
            complete.push_back(&s);
        }
    }
    const auto it = std::find_if(complete.begin(), complete.end(),
                                 [&](const auto* s) { return s->start.value == startTicks; });
    const std::string where = "track " + track.info.id + " fragment " + std::to_string(startTicks);
    if (it == complete.end()) {
        const bool future =
            !track.segments.empty() && startTicks >= track.segments.back().start.value;
        if (future && !ended) {
            return makeError(Status(ErrorCode::FailedPrecondition, "fragment not available yet")
                                 .withContext(where));
        }
        return makeError(Status(ErrorCode::NotFound, "no such fragment").withContext(where));
    }
    const size_t index = size_t(it - complete.begin());
    const size_t held = ended ? 0 : size_t(std::max(0, lookahead));
    if (index + held >= complete.size()) {
        return makeError(
            Status(ErrorCode::FailedPrecondition, "fragment not announced yet").withContext(where));
    }
    const StoredSegment& segment = **it;
    const std::span<const uint8_t> bytes(*segment.bytes);
    auto boxes = mp4::BoxReader::parse(bytes);
    if (!boxes) {
        return makeError(boxes.error().withContext(where));
    }
    Merged merged;
    const bool isVideo = track.info.kind == TrackKind::Video;
    for (const mp4::Box* moof : mp4::findAllBoxes(*boxes, "moof")) {
        if (auto collected = collectMoof(*moof, bytes, isVideo, merged, segment); !collected) {
            return makeError(collected.error().withContext(where));
        }
    }
    std::vector<const StoredSegment*> following;
    for (size_t i = index + 1;
         i < complete.size() && following.size() < size_t(std::max(0, lookahead)); ++i) {
        following.push_back(complete[i]);
    }
    return writeFragment(merged, segment, following);
}

}  // namespace podium::publisher::manifest

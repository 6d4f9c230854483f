#include "publisher/origin/ingest/fragment_reader.h"

#include <algorithm>
#include <string>

#include "publisher/mp4/box_reader.h"
#include "publisher/mp4/byte_reader.h"

namespace podium::publisher::origin {

namespace {

using mp4::Box;
using mp4::ByteReader;

// tfhd optional fields (ISO/IEC 14496-12 8.8.7.1).
constexpr uint32_t kBaseDataOffset = 0x000001;
constexpr uint32_t kSampleDescriptionIndex = 0x000002;
constexpr uint32_t kDefaultDuration = 0x000008;
constexpr uint32_t kDefaultSize = 0x000010;
constexpr uint32_t kDefaultFlags = 0x000020;
constexpr uint32_t kDefaultBaseIsMoof = 0x020000;

struct TfhdFields {
    uint32_t trackId = 0;
    uint32_t flags = 0;
    uint64_t baseDataOffset = 0;
    SampleDefaults defaults;
};

Result<TfhdFields> readTfhdFields(const Box& tfhd, const std::map<uint32_t, SampleDefaults>& trex) {
    ByteReader in(tfhd.payload);
    in.skip(1);
    TfhdFields out;
    out.flags = in.u24();
    out.trackId = in.u32();
    if (const auto it = trex.find(out.trackId); it != trex.end()) {
        out.defaults = it->second;
    }
    if (out.flags & kBaseDataOffset) {
        out.baseDataOffset = in.u64();
    }
    if (out.flags & kSampleDescriptionIndex) {
        in.skip(4);
    }
    if (out.flags & kDefaultDuration) {
        out.defaults.duration = in.u32();
    }
    if (out.flags & kDefaultSize) {
        out.defaults.size = in.u32();
    }
    if (out.flags & kDefaultFlags) {
        out.defaults.flags = in.u32();
    }
    if (!in.ok()) {
        return makeError(ErrorCode::Parse, "tfhd: payload too short");
    }
    return out;
}

// tfxd (MS-SSTR 2.2.4.4): version 1 = 64-bit time; the time is read as signed (FFmpeg writes
// a wrapped negative first AAC time).
std::optional<int64_t> readTfxd(const Box& traf) {
    for (const Box& box : traf.children) {
        if (box.type == mp4::FourCC{"uuid"} && box.userType == kTfxdUuid) {
            ByteReader in(box.payload);
            const uint8_t version = in.u8();
            in.skip(3);
            const int64_t time = version == 1 ? int64_t(in.u64()) : int64_t(in.u32());
            if (in.ok()) {
                return time;
            }
        }
    }
    return std::nullopt;
}

// Appends the samples of one traf; `cursor` is the stream offset where the next sample's data
// would start (updated). Stream offsets are mapped into mdat's bytes.
Result<void> readTraf(const Box& traf, const StreamBox& moof, const StreamBox& mdat,
                      const std::map<uint32_t, SampleDefaults>& trex, bool firstTraf,
                      uint64_t& cursor, TrackFragment& out) {
    const Box* tfhdBox = mp4::findBox(traf.children, "tfhd");
    if (!tfhdBox) {
        return makeError(ErrorCode::Parse, "traf without tfhd");
    }
    auto tfhd = readTfhdFields(*tfhdBox, trex);
    if (!tfhd) {
        return makeError(tfhd.error());
    }
    out.trackId = tfhd->trackId;
    if (const Box* tfdt = mp4::findBox(traf.children, "tfdt")) {
        auto time = mp4::readTfdt(*tfdt);
        if (!time) {
            return makeError(time.error());
        }
        out.decodeTime = *time;
    }
    out.tfxdTime = readTfxd(traf);
    const uint64_t payloadStart = mdat.offset + mdat.headerSize;
    const uint64_t payloadEnd = mdat.offset + mdat.bytes.size();
    // Base for trun data_offset: explicit base-data-offset, else the moof (default-base-is-moof,
    // or the first traf), else where the previous traf's data ended.
    uint64_t base = cursor;
    if (tfhd->flags & kBaseDataOffset) {
        base = tfhd->baseDataOffset;
    } else if ((tfhd->flags & kDefaultBaseIsMoof) || firstTraf) {
        base = moof.offset;
    }
    bool firstTrun = true;
    for (const Box* trunBox : mp4::findAllBoxes(traf.children, "trun")) {
        auto trun = mp4::readTrun(*trunBox);
        if (!trun) {
            return makeError(trun.error());
        }
        uint64_t position = cursor;
        if (trun->dataOffset) {
            position = uint64_t(int64_t(base) + *trun->dataOffset);
        } else if (firstTrun) {
            position = (tfhd->flags & kBaseDataOffset) ? base : firstTraf ? payloadStart : cursor;
        }
        firstTrun = false;
        for (size_t i = 0; i < trun->samples.size(); ++i) {
            const auto& s = trun->samples[i];
            FragmentSample sample;
            sample.duration = (trun->flags & 0x000100) ? s.duration : tfhd->defaults.duration;
            const uint32_t size = (trun->flags & 0x000200) ? s.size : tfhd->defaults.size;
            sample.flags = (trun->flags & 0x000400) ? s.flags : tfhd->defaults.flags;
            if (i == 0 && trun->firstSampleFlags) {
                sample.flags = *trun->firstSampleFlags;
            }
            sample.compositionOffset = int32_t(s.compositionOffset);
            if (position < payloadStart || position + size > payloadEnd) {
                return makeError(ErrorCode::Parse,
                                 "trun sample " + std::to_string(i) + " of track_ID " +
                                     std::to_string(out.trackId) + " lies outside its mdat");
            }
            sample.data =
                std::span<const uint8_t>(mdat.bytes).subspan(size_t(position - mdat.offset), size);
            position += size;
            out.samples.push_back(sample);
        }
        cursor = position;
    }
    return ok();
}

}  // namespace

Result<std::vector<TrackFragment>> readFragment(
    const StreamBox& moof, const StreamBox& mdat,
    const std::map<uint32_t, SampleDefaults>& defaults) {
    auto boxes = mp4::BoxReader::parse(moof.bytes);
    if (!boxes) {
        return makeError(boxes.error().withContext("moof"));
    }
    std::vector<TrackFragment> fragments;
    uint64_t cursor = mdat.offset + mdat.headerSize;
    bool firstTraf = true;
    for (const Box* traf : mp4::findAllBoxes(*boxes, "moof/traf")) {
        TrackFragment fragment;
        if (auto read = readTraf(*traf, moof, mdat, defaults, firstTraf, cursor, fragment); !read) {
            return makeError(
                read.error().withContext("moof at stream offset " + std::to_string(moof.offset)));
        }
        firstTraf = false;
        fragments.push_back(std::move(fragment));
    }
    if (fragments.empty()) {
        return makeError(ErrorCode::Parse,
                         "moof at stream offset " + std::to_string(moof.offset) + " has no traf");
    }
    return fragments;
}

}  // namespace podium::publisher::origin

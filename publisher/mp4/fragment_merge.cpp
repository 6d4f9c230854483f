#include "publisher/mp4/fragment_merge.h"

#include <map>
#include <string>

#include "publisher/mp4/box_reader.h"
#include "publisher/mp4/box_writer.h"
#include "publisher/mp4/media_segment.h"

namespace podium::publisher::mp4 {

namespace {

// tfhd and trun flags of the merged fragment (ISO/IEC 14496-12 8.8.7, 8.8.8).
constexpr uint32_t kTfhdDefaultBaseIsMoof = 0x020000;
constexpr uint32_t kTrunEveryField = 0x000001 | 0x000100 | 0x000200 | 0x000400 | 0x000800;
// Default flags given to readFragment: a value no real sample carries (reserved bits set), so
// the samples that received it are the ones the segment left unflagged.
constexpr uint32_t kUnflagged = 0xFFFFFFFF;

struct Merged {
    std::optional<uint32_t> trackId;
    std::vector<FragmentSample> samples;
};

PlacedBox placed(std::span<const uint8_t> segment, const Box& box) {
    return PlacedBox{segment.subspan(size_t(box.offset), size_t(box.size)), box.offset,
                     box.headerSize};
}

// Reads every moof + mdat pair of the segment into `merged`.
Result<void> collect(std::span<const uint8_t> segment, const std::vector<Box>& boxes,
                     const MergeOptions& options, Merged& merged) {
    uint32_t samplesLeft = options.maxSamples;
    const Box* moof = nullptr;
    for (const Box& box : boxes) {
        if (box.type == FourCC{"moof"}) {
            if (moof) {
                return makeError(ErrorCode::Parse,
                                 "moof at byte " + std::to_string(moof->offset) + " has no mdat");
            }
            moof = &box;
            continue;
        }
        if (box.type != FourCC{"mdat"} || !moof) {
            continue;  // styp, prft, emsg, free...: not part of the merged fragment
        }
        // The trex-like defaults apply to the chunk's own track_ID.
        std::map<uint32_t, SampleDefaults> defaults;
        if (const Box* tfhdBox = findBox(moof->children, "traf/tfhd")) {
            if (auto tfhd = readTfhd(*tfhdBox)) {
                defaults[tfhd->trackId] = SampleDefaults{0, 0, kUnflagged};
            }
        }
        auto tracks =
            readFragment(placed(segment, *moof), placed(segment, box), defaults, samplesLeft);
        if (!tracks) {
            return makeError(tracks.error());
        }
        for (TrackFragment& track : *tracks) {
            if (merged.trackId && *merged.trackId != track.trackId) {
                return makeError(ErrorCode::Parse,
                                 "segment holds track_IDs " + std::to_string(*merged.trackId) +
                                     " and " + std::to_string(track.trackId) + " (one expected)");
            }
            merged.trackId = track.trackId;
            samplesLeft -= uint32_t(track.samples.size());
            merged.samples.insert(merged.samples.end(), track.samples.begin(), track.samples.end());
        }
        moof = nullptr;
    }
    if (moof) {
        return makeError(ErrorCode::Parse,
                         "moof at byte " + std::to_string(moof->offset) + " has no mdat");
    }
    if (!merged.trackId) {
        return makeError(ErrorCode::Parse, "segment has no moof + mdat");
    }
    return ok();
}

std::vector<uint8_t> write(const Merged& merged, const MergeOptions& options) {
    BoxWriter out;
    size_t dataOffsetAt = 0;
    BoxScope moof = out.beginBox(FourCC{"moof"});
    {
        BoxScope mfhd = out.beginFullBox(FourCC{"mfhd"}, 0, 0);
        out.writeU32(options.sequenceNumber);
    }
    {
        BoxScope traf = out.beginBox(FourCC{"traf"});
        {
            BoxScope tfhd = out.beginFullBox(FourCC{"tfhd"}, 0, kTfhdDefaultBaseIsMoof);
            out.writeU32(*merged.trackId);
        }
        {
            BoxScope tfdt = out.beginFullBox(FourCC{"tfdt"}, 1, 0);
            out.writeU64(options.decodeTime);
        }
        {
            BoxScope trun = out.beginFullBox(FourCC{"trun"}, 1, kTrunEveryField);
            out.writeU32(uint32_t(merged.samples.size()));
            dataOffsetAt = out.size();
            out.writeI32(0);  // patched below: the mdat payload follows the moof
            for (const auto& s : merged.samples) {
                out.writeU32(s.duration);
                out.writeU32(uint32_t(s.data.size()));
                out.writeU32(s.flags);
                out.writeI32(s.compositionOffset);
            }
        }
        if (options.tfxd) {
            writeTfxd(out, *options.tfxd);
        }
        if (!options.tfrf.empty()) {
            writeTfrf(out, options.tfrf);
        }
    }
    const size_t moofSize = moof.close();
    out.patchU32(dataOffsetAt, uint32_t(moofSize + 8));
    {
        BoxScope mdat = out.beginBox(FourCC{"mdat"});
        for (const auto& s : merged.samples) {
            out.writeBytes(s.data);
        }
    }
    return out.take();
}

}  // namespace

Result<std::vector<uint8_t>> mergeFragments(std::span<const uint8_t> segment,
                                            const MergeOptions& options) {
    auto boxes = BoxReader::parse(segment);
    if (!boxes) {
        return makeError(boxes.error());
    }
    Merged merged;
    if (auto collected = collect(segment, *boxes, options, merged); !collected) {
        return makeError(collected.error());
    }
    for (size_t i = 0; i < merged.samples.size(); ++i) {
        if (merged.samples[i].flags == kUnflagged) {
            merged.samples[i].flags = sampleFlags(i == 0 || !options.video);
        }
    }
    return write(merged, options);
}

}  // namespace podium::publisher::mp4

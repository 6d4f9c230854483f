#include "publisher/mp4/fragment_merge.h"

#include <map>
#include <string>

#include "publisher/mp4/box_reader.h"
#include "publisher/mp4/media_segment.h"

namespace podium::publisher::mp4 {

namespace {

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
    std::vector<Sample> samples;
    samples.reserve(merged.samples.size());
    for (const FragmentSample& s : merged.samples) {
        samples.push_back(Sample{s.duration, s.isSync(), s.compositionOffset, s.data, s.flags});
    }
    ChunkConfig config;
    config.sequenceNumber = options.sequenceNumber;
    config.trackId = *merged.trackId;
    config.baseDecodeTime = options.decodeTime;
    config.tfxd = options.tfxd;
    config.tfrf = options.tfrf;
    return buildChunk(config, samples);
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

#include "publisher/mp4/fragment_reader.h"

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>

#include "publisher/mp4/box_reader.h"
#include "publisher/mp4/byte_reader.h"
#include "publisher/mp4/fragment_flags.h"
#include "publisher/mp4/piff.h"

namespace podium::publisher::mp4 {

namespace {

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
    if (out.flags & tfhd_flags::kBaseDataOffset) {
        out.baseDataOffset = in.u64();
    }
    if (out.flags & tfhd_flags::kSampleDescriptionIndex) {
        in.skip(4);
    }
    if (out.flags & tfhd_flags::kDefaultSampleDuration) {
        out.defaults.duration = in.u32();
    }
    if (out.flags & tfhd_flags::kDefaultSampleSize) {
        out.defaults.size = in.u32();
    }
    if (out.flags & tfhd_flags::kDefaultSampleFlags) {
        out.defaults.flags = in.u32();
    }
    if (!in.ok()) {
        return makeError(ErrorCode::Parse, "tfhd: payload too short");
    }
    return out;
}

// The stream bytes one trun's samples cover, for the check that no two samples share a byte.
struct Run {
    uint64_t begin = 0;
    uint64_t end = 0;
    uint32_t trackId = 0;
};

// What one moof may still declare, and the runs seen so far.
struct Budget {
    uint32_t maxSamples = 0;
    uint32_t samplesLeft = 0;
    std::vector<Run> runs;
};

// `base` moved by a signed trun data_offset, or nullopt when that leaves [0, 2^64) (the old
// code let the sum wrap: a negative offset then pointed into the origin's own heap).
std::optional<uint64_t> offsetBy(uint64_t base, int32_t delta) {
    if (delta < 0) {
        const uint64_t back = uint64_t(-int64_t(delta));
        return back > base ? std::nullopt : std::optional<uint64_t>(base - back);
    }
    const uint64_t forward = uint64_t(delta);
    return forward > UINT64_MAX - base ? std::nullopt : std::optional<uint64_t>(base + forward);
}

std::string trackText(uint32_t trackId) {
    return "track_ID " + std::to_string(trackId);
}

// Appends the samples of one traf; `cursor` is the stream offset where the next sample's data
// would start (updated). Stream offsets are mapped into mdat's bytes only after the whole
// [position, position + size) range is known to lie inside the mdat payload.
Result<void> readTraf(const Box& traf, const PlacedBox& moof, const PlacedBox& mdat,
                      const std::map<uint32_t, SampleDefaults>& trex, bool firstTraf,
                      uint64_t& cursor, Budget& budget, TrackFragment& out) {
    const Box* tfhdBox = findBox(traf.children, "tfhd");
    if (!tfhdBox) {
        return makeError(ErrorCode::Parse, "traf without tfhd");
    }
    auto tfhd = readTfhdFields(*tfhdBox, trex);
    if (!tfhd) {
        return makeError(tfhd.error());
    }
    out.trackId = tfhd->trackId;
    if (const Box* tfdt = findBox(traf.children, "tfdt")) {
        auto time = readTfdt(*tfdt);
        if (!time) {
            return makeError(time.error());
        }
        out.decodeTime = *time;
    }
    out.tfxdTime = readTfxdTime(traf);
    // mdat.bytes is the whole box (header included) and was received, so neither sum can wrap.
    const uint64_t payloadStart = mdat.offset + mdat.headerSize;
    const uint64_t payloadEnd = mdat.offset + mdat.bytes.size();
    // Base for trun data_offset: explicit base-data-offset, else the moof (default-base-is-moof,
    // or the first traf), else where the previous traf's data ended.
    uint64_t base = cursor;
    if (tfhd->flags & tfhd_flags::kBaseDataOffset) {
        base = tfhd->baseDataOffset;
    } else if ((tfhd->flags & tfhd_flags::kDefaultBaseIsMoof) || firstTraf) {
        base = moof.offset;
    }
    bool firstTrun = true;
    for (const Box* trunBox : findAllBoxes(traf.children, "trun")) {
        auto trun = readTrun(*trunBox, budget.samplesLeft);
        if (!trun) {
            if (trun.error().code() == ErrorCode::LimitExceeded) {
                return makeError(ErrorCode::LimitExceeded, "the fragment declares more than " +
                                                               std::to_string(budget.maxSamples) +
                                                               " samples (the limit per moof)");
            }
            return makeError(trun.error());
        }
        budget.samplesLeft -= uint32_t(trun->samples.size());
        uint64_t position = cursor;
        if (trun->dataOffset) {
            const auto moved = offsetBy(base, *trun->dataOffset);
            if (!moved) {
                return makeError(ErrorCode::Parse,
                                 "trun of " + trackText(out.trackId) + ": data_offset " +
                                     std::to_string(*trun->dataOffset) + " from base " +
                                     std::to_string(base) + " points outside the stream");
            }
            position = *moved;
        } else if (firstTrun) {
            position = (tfhd->flags & tfhd_flags::kBaseDataOffset) ? base
                       : firstTraf                                 ? payloadStart
                                                                   : cursor;
        }
        firstTrun = false;
        const uint64_t runBegin = position;
        for (size_t i = 0; i < trun->samples.size(); ++i) {
            const auto& s = trun->samples[i];
            FragmentSample sample;
            sample.duration =
                (trun->flags & trun_flags::kSampleDuration) ? s.duration : tfhd->defaults.duration;
            const uint32_t size =
                (trun->flags & trun_flags::kSampleSize) ? s.size : tfhd->defaults.size;
            sample.flags =
                (trun->flags & trun_flags::kSampleFlags) ? s.flags : tfhd->defaults.flags;
            if (i == 0 && trun->firstSampleFlags) {
                sample.flags = *trun->firstSampleFlags;
            }
            sample.compositionOffset = int32_t(s.compositionOffset);
            // Written so that nothing can wrap: position <= payloadEnd is checked before the
            // subtraction, and size is compared with what is left instead of added.
            if (position < payloadStart || position > payloadEnd || size > payloadEnd - position) {
                return makeError(ErrorCode::Parse,
                                 "trun sample " + std::to_string(i) + " of " +
                                     trackText(out.trackId) + " (" + std::to_string(size) +
                                     " bytes at stream offset " + std::to_string(position) +
                                     ") lies outside its mdat payload (stream bytes " +
                                     std::to_string(payloadStart) + " to " +
                                     std::to_string(payloadEnd) + ")");
            }
            const size_t at = size_t(position - mdat.offset);
            sample.data = std::span<const uint8_t>(mdat.bytes.data() + at, size);
            position += size;
            out.samples.push_back(sample);
        }
        if (position > runBegin) {
            budget.runs.push_back(Run{runBegin, position, out.trackId});
        }
        cursor = position;
    }
    return ok();
}

// Each mdat byte may belong to one sample only: runs sorted by start must not overlap. This
// bounds a stored fragment by the bytes received (several truns over the same bytes turned a
// 272 KB POST into a 105 MB segment).
Result<void> checkDisjoint(std::vector<Run>& runs) {
    std::sort(runs.begin(), runs.end(),
              [](const Run& a, const Run& b) { return a.begin < b.begin; });
    for (size_t i = 1; i < runs.size(); ++i) {
        const Run& before = runs[i - 1];
        const Run& run = runs[i];
        if (run.begin < before.end) {
            return makeError(ErrorCode::Parse,
                             "samples of " + trackText(before.trackId) + " and " +
                                 trackText(run.trackId) + " share mdat bytes from stream offset " +
                                 std::to_string(run.begin) + " (each byte may be one sample's)");
        }
    }
    return ok();
}

}  // namespace

Result<std::vector<TrackFragment>> readFragment(const PlacedBox& moof, const PlacedBox& mdat,
                                                const std::map<uint32_t, SampleDefaults>& defaults,
                                                uint32_t maxSamples) {
    const std::string where = "moof at stream offset " + std::to_string(moof.offset);
    auto boxes = BoxReader::parse(moof.bytes);
    if (!boxes) {
        return makeError(boxes.error().withContext("moof"));
    }
    std::vector<TrackFragment> fragments;
    uint64_t cursor = mdat.offset + mdat.headerSize;
    bool firstTraf = true;
    Budget budget{maxSamples, maxSamples, {}};
    for (const Box* traf : findAllBoxes(*boxes, "moof/traf")) {
        TrackFragment fragment;
        if (auto read = readTraf(*traf, moof, mdat, defaults, firstTraf, cursor, budget, fragment);
            !read) {
            return makeError(read.error().withContext(where));
        }
        firstTraf = false;
        fragments.push_back(std::move(fragment));
    }
    if (fragments.empty()) {
        return makeError(ErrorCode::Parse, where + " has no traf");
    }
    if (auto disjoint = checkDisjoint(budget.runs); !disjoint) {
        return makeError(disjoint.error().withContext(where));
    }
    return fragments;
}

}  // namespace podium::publisher::mp4

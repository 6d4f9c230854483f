#include "publisher/mp4/box_reader.h"

#include <algorithm>
#include <bit>

#include "publisher/mp4/byte_reader.h"
#include "publisher/mp4/fragment_flags.h"

namespace podium::publisher::mp4 {

namespace {

// Deeper nesting than any real file has; bounds recursion on hostile input.
constexpr int kMaxDepth = 24;

// Where the children of a box start inside its payload, for the boxes we descend into
// (ISO/IEC 14496-12 containers, stsd/dref entry lists, ISO/IEC 14496-15 / 14 sample entries).
std::optional<size_t> childrenOffset(FourCC type) {
    static constexpr FourCC kContainers[] = {"moov", "trak", "mdia", "minf", "stbl", "dinf",
                                             "mvex", "moof", "traf", "mfra", "edts", "udta"};
    if (std::find(std::begin(kContainers), std::end(kContainers), type) != std::end(kContainers)) {
        return 0;
    }
    if (type == FourCC{"stsd"} || type == FourCC{"dref"}) {
        return 8;  // version/flags + entry_count
    }
    if (type == FourCC{"avc1"} || type == FourCC{"avc3"}) {
        return 78;  // SampleEntry (8) + VisualSampleEntry fields (70)
    }
    if (type == FourCC{"mp4a"}) {
        return 28;  // SampleEntry (8) + AudioSampleEntry fields (20)
    }
    return std::nullopt;
}

std::string where(FourCC type, uint64_t offset) {
    return "box '" + type.toString() + "' at offset " + std::to_string(offset);
}

// What one parse may still allocate: boxes left before the tree is too big.
struct Budget {
    size_t boxesLeft = 0;
    size_t maxBoxes = 0;
};

Result<std::vector<Box>> parseRange(std::span<const uint8_t> all, uint64_t begin, uint64_t end,
                                    int depth, Budget& budget);

// Parses the header of the box at `offset` (inside [offset, end), end <= all.size()) and, for
// containers, its children. Every subspan below is inside [offset, end): box.size is checked
// against `end - offset` (no addition that could wrap) before it is used.
Result<Box> parseBox(std::span<const uint8_t> all, uint64_t offset, uint64_t end, int depth,
                     Budget& budget) {
    if (budget.boxesLeft == 0) {
        return makeError(ErrorCode::LimitExceeded, "more than " + std::to_string(budget.maxBoxes) +
                                                       " boxes (at offset " +
                                                       std::to_string(offset) + ")");
    }
    --budget.boxesLeft;
    if (end - offset < 8) {
        return makeError(ErrorCode::Parse, "truncated box header at offset " +
                                               std::to_string(offset) + " (" +
                                               std::to_string(end - offset) + " bytes left)");
    }
    ByteReader header(all.subspan(offset, end - offset));
    Box box;
    box.offset = offset;
    box.size = header.u32();
    box.type = FourCC{header.u32()};
    box.headerSize = 8;
    if (box.size == 1) {
        box.size = header.u64();
        box.headerSize = 16;
        if (!header.ok()) {
            return makeError(ErrorCode::Parse, where(box.type, offset) + ": truncated largesize");
        }
    } else if (box.size == 0) {
        box.size = end - offset;  // extends to the end of its parent / file
    }
    if (box.type == FourCC{"uuid"}) {
        const auto user = header.bytes(16);
        if (!header.ok()) {
            return makeError(ErrorCode::Parse, where(box.type, offset) + ": truncated user type");
        }
        std::copy(user.begin(), user.end(), box.userType.begin());
        box.headerSize += 16;
    }
    if (box.size < box.headerSize) {
        return makeError(ErrorCode::Parse, where(box.type, offset) + ": size " +
                                               std::to_string(box.size) +
                                               " is smaller than its header");
    }
    if (box.size > end - offset) {
        return makeError(ErrorCode::Parse, where(box.type, offset) + ": size " +
                                               std::to_string(box.size) + " overruns its parent (" +
                                               std::to_string(end - offset) + " bytes left)");
    }
    box.payload = all.subspan(offset + box.headerSize, box.size - box.headerSize);
    if (const auto childOffset = childrenOffset(box.type)) {
        if (*childOffset > box.payload.size()) {
            return makeError(ErrorCode::Parse, where(box.type, offset) + ": payload too short");
        }
        if (depth >= kMaxDepth) {
            return makeError(ErrorCode::Parse, where(box.type, offset) + ": nested too deeply");
        }
        const uint64_t childBegin = offset + box.headerSize + *childOffset;
        auto children = parseRange(all, childBegin, offset + box.size, depth + 1, budget);
        if (!children) {
            return makeError(children.error().withContext(where(box.type, offset)));
        }
        box.children = std::move(*children);
    }
    return box;
}

Result<std::vector<Box>> parseRange(std::span<const uint8_t> all, uint64_t begin, uint64_t end,
                                    int depth, Budget& budget) {
    std::vector<Box> boxes;
    uint64_t offset = begin;
    while (offset < end) {
        auto box = parseBox(all, offset, end, depth, budget);
        if (!box) {
            return makeError(box.error());
        }
        offset += box->size;
        boxes.push_back(std::move(*box));
    }
    return boxes;
}

void collect(const std::vector<Box>& boxes, std::string_view path, std::vector<const Box*>& out,
             bool firstOnly) {
    const size_t slash = path.find('/');
    const std::string_view head = path.substr(0, slash);
    for (const Box& box : boxes) {
        if (!out.empty() && firstOnly) {
            return;
        }
        if (box.type.toString() != head) {
            continue;
        }
        if (slash == std::string_view::npos) {
            out.push_back(&box);
        } else {
            collect(box.children, path.substr(slash + 1), out, firstOnly);
        }
    }
}

Status shortBox(const Box& box) {
    return Status(ErrorCode::Parse, where(box.type, box.offset) + ": payload too short");
}

}  // namespace

Result<std::vector<Box>> BoxReader::parse(std::span<const uint8_t> bytes, size_t maxBoxes) {
    Budget budget{maxBoxes, maxBoxes};
    return parseRange(bytes, 0, bytes.size(), 0, budget);
}

const Box* findBox(const std::vector<Box>& boxes, std::string_view path) {
    std::vector<const Box*> found;
    collect(boxes, path, found, true);
    return found.empty() ? nullptr : found.front();
}

std::vector<const Box*> findAllBoxes(const std::vector<Box>& boxes, std::string_view path) {
    std::vector<const Box*> found;
    collect(boxes, path, found, false);
    return found;
}

Result<uint32_t> readMfhd(const Box& mfhd) {
    ByteReader in(mfhd.payload);
    in.skip(4);
    const uint32_t sequence = in.u32();
    return in.ok() ? Result<uint32_t>(sequence) : makeError(shortBox(mfhd));
}

Result<uint64_t> readTfdt(const Box& tfdt) {
    ByteReader in(tfdt.payload);
    const uint8_t version = in.u8();
    in.skip(3);
    const uint64_t time = version == 1 ? in.u64() : in.u32();
    return in.ok() ? Result<uint64_t>(time) : makeError(shortBox(tfdt));
}

Result<Tfhd> readTfhd(const Box& tfhd) {
    ByteReader in(tfhd.payload);
    in.skip(1);
    Tfhd out;
    out.flags = in.u24();
    out.trackId = in.u32();
    return in.ok() ? Result<Tfhd>(out) : makeError(shortBox(tfhd));
}

Result<Trun> readTrun(const Box& trun, uint32_t maxSamples) {
    ByteReader in(trun.payload);
    Trun out;
    out.version = in.u8();
    out.flags = in.u24();
    const uint32_t count = in.u32();
    if (out.flags & trun_flags::kDataOffset) {
        out.dataOffset = in.i32();
    }
    if (out.flags & trun_flags::kFirstSampleFlags) {
        out.firstSampleFlags = in.u32();
    }
    // Each sample needs 4 bytes per present field; reject impossible counts before allocating.
    const size_t perSample = 4 * size_t(std::popcount(out.flags & trun_flags::kPerSampleFields));
    if (!in.ok() || (perSample > 0 && count > in.remaining() / perSample)) {
        return makeError(shortBox(trun));
    }
    if (count > maxSamples) {
        return makeError(ErrorCode::LimitExceeded,
                         where(trun.type, trun.offset) + ": sample_count " + std::to_string(count) +
                             " is over the limit of " + std::to_string(maxSamples) + " samples");
    }
    out.samples.resize(count);
    for (TrunSample& s : out.samples) {
        s.duration = (out.flags & trun_flags::kSampleDuration) ? in.u32() : 0;
        s.size = (out.flags & trun_flags::kSampleSize) ? in.u32() : 0;
        s.flags = (out.flags & trun_flags::kSampleFlags) ? in.u32() : 0;
        if (out.flags & trun_flags::kSampleCompositionOffset) {
            const uint32_t raw = in.u32();
            s.compositionOffset = out.version == 1 ? int64_t(int32_t(raw)) : int64_t(raw);
        }
    }
    return in.ok() ? Result<Trun>(std::move(out)) : makeError(shortBox(trun));
}

}  // namespace podium::publisher::mp4

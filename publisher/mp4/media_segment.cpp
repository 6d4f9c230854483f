#include "publisher/mp4/media_segment.h"

#include "publisher/mp4/box_writer.h"
#include "publisher/mp4/fragment_flags.h"

namespace podium::publisher::mp4 {

namespace {

// styp, ISO/IEC 14496-12 8.16.2 (same layout as ftyp).
void appendSegmentType(BoxWriter& out, const std::vector<FourCC>& brands) {
    BoxScope box = out.beginBox(FourCC{"styp"});
    out.writeFourCC(brands.front());
    out.writeU32(0);  // minor_version
    for (FourCC brand : brands) {
        out.writeFourCC(brand);
    }
}

// mfhd, 8.8.5.
void appendFragmentHeader(BoxWriter& out, uint32_t sequenceNumber) {
    BoxScope box = out.beginFullBox(FourCC{"mfhd"}, 0, 0);
    out.writeU32(sequenceNumber);
}

// tfhd, 8.8.7: only the track ID; every sample field is explicit in trun.
void appendTrackFragmentHeader(BoxWriter& out, uint32_t trackId) {
    BoxScope box = out.beginFullBox(FourCC{"tfhd"}, 0, tfhd_flags::kDefaultBaseIsMoof);
    out.writeU32(trackId);
}

// tfdt, 8.8.12. Version 1 always: 64-bit decode times.
void appendTrackFragmentDecodeTime(BoxWriter& out, uint64_t baseDecodeTime) {
    BoxScope box = out.beginFullBox(FourCC{"tfdt"}, 1, 0);
    out.writeU64(baseDecodeTime);
}

// trun, 8.8.8. Version 1: signed composition offsets. Returns the position of data_offset,
// patched once the moof size is known.
size_t appendTrackRun(BoxWriter& out, std::span<const Sample> samples) {
    constexpr uint32_t kFlags = trun_flags::kDataOffset | trun_flags::kPerSampleFields;
    BoxScope box = out.beginFullBox(FourCC{"trun"}, 1, kFlags);
    out.writeU32(uint32_t(samples.size()));
    const size_t dataOffsetPosition = out.size();
    out.writeI32(0);
    for (const Sample& s : samples) {
        out.writeU32(s.duration);
        out.writeU32(uint32_t(s.data.size()));
        out.writeU32(s.flags.value_or(sampleFlags(s.isSync)));
        out.writeI32(s.compositionOffset);
    }
    return dataOffsetPosition;
}

}  // namespace

std::vector<FourCC> segmentStypBrands() {
    return {FourCC{"msdh"}, FourCC{"cmfs"}, FourCC{"cmfl"}, FourCC{"iso6"}};
}

uint32_t sampleFlags(bool isSync) {
    return isSync ? 0x02000000 : 0x01010000;
}

std::vector<uint8_t> buildChunk(const ChunkConfig& config, std::span<const Sample> samples) {
    BoxWriter out;
    if (!config.stypBrands.empty()) {
        appendSegmentType(out, config.stypBrands);
    }
    size_t dataOffsetPosition = 0;
    BoxScope moof = out.beginBox(FourCC{"moof"});
    appendFragmentHeader(out, config.sequenceNumber);
    {
        BoxScope traf = out.beginBox(FourCC{"traf"});
        appendTrackFragmentHeader(out, config.trackId);
        appendTrackFragmentDecodeTime(out, config.baseDecodeTime);
        dataOffsetPosition = appendTrackRun(out, samples);
        if (config.tfxd) {
            writeTfxd(out, *config.tfxd);
        }
        if (!config.tfrf.empty()) {
            writeTfrf(out, config.tfrf);
        }
    }
    const size_t moofSize = moof.close();
    constexpr size_t kMdatHeaderSize = 8;
    out.patchU32(dataOffsetPosition, uint32_t(moofSize + kMdatHeaderSize));
    {
        BoxScope mdat = out.beginBox(FourCC{"mdat"});
        for (const Sample& s : samples) {
            out.writeBytes(s.data);
        }
    }
    return out.take();
}

}  // namespace podium::publisher::mp4

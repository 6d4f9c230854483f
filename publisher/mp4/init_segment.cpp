#include "publisher/mp4/init_segment.h"

#include <algorithm>
#include <string_view>

#include "publisher/mp4/box_writer.h"

namespace podium::publisher::mp4 {

namespace {

// ftyp brands. Major 'iso6' because fragments use tfdt and default-base-is-moof (ISO/IEC
// 14496-12 brands iso5/iso6); 'cmfc' marks a CMAF track header (ISO/IEC 23000-19 7.2, required);
// 'dash' because the same header is served as a DASH initialization segment; 'mp41' keeps older
// MP4 readers (and Smooth clients) happy.
constexpr FourCC kMajorBrand{"iso6"};
constexpr FourCC kCompatibleBrands[] = {"iso6", "cmfc", "dash", "mp41"};

constexpr uint32_t kMovieTimescale = 1000;
// tkhd flags: track_enabled | track_in_movie (CMAF 7.5.4 wants enabled; in_preview is unused).
constexpr uint32_t kTrackHeaderFlags = 0x000003;

// Unity transformation matrix (ISO/IEC 14496-12 8.2.2), 16.16 / 2.30 fixed point.
void writeUnityMatrix(BoxWriter& out) {
    constexpr uint32_t kMatrix[9] = {0x00010000, 0, 0, 0, 0x00010000, 0, 0, 0, 0x40000000};
    for (uint32_t v : kMatrix) {
        out.writeU32(v);
    }
}

void appendFileType(BoxWriter& out) {
    BoxScope box = out.beginBox(FourCC{"ftyp"});
    out.writeFourCC(kMajorBrand);
    out.writeU32(0);  // minor_version
    for (FourCC brand : kCompatibleBrands) {
        out.writeFourCC(brand);
    }
}

// mvhd, 8.2.2. Version 0; duration 0 (fragmented, unknown).
void appendMovieHeader(BoxWriter& out, uint32_t nextTrackId) {
    BoxScope box = out.beginFullBox(FourCC{"mvhd"}, 0, 0);
    out.writeU32(0);  // creation_time
    out.writeU32(0);  // modification_time
    out.writeU32(kMovieTimescale);
    out.writeU32(0);           // duration
    out.writeU32(0x00010000);  // rate 1.0
    out.writeU16(0x0100);      // volume 1.0
    out.writeZeros(2 + 8);     // reserved
    writeUnityMatrix(out);
    out.writeZeros(24);  // pre_defined
    out.writeU32(nextTrackId);
}

// tkhd, 8.3.2. Width/height are 16.16 fixed point; audio gets volume 1.0 and size 0.
void appendTrackHeader(BoxWriter& out, const TrackInfo& track) {
    const bool isVideo = track.kind == TrackKind::Video;
    BoxScope box = out.beginFullBox(FourCC{"tkhd"}, 0, kTrackHeaderFlags);
    out.writeU32(0);  // creation_time
    out.writeU32(0);  // modification_time
    out.writeU32(trackIdOf(track));
    out.writeU32(0);    // reserved
    out.writeU32(0);    // duration
    out.writeZeros(8);  // reserved
    out.writeU16(0);    // layer
    out.writeU16(0);    // alternate_group
    out.writeU16(isVideo ? 0 : 0x0100);
    out.writeU16(0);  // reserved
    writeUnityMatrix(out);
    out.writeU32(isVideo ? uint32_t(track.width) << 16 : 0);
    out.writeU32(isVideo ? uint32_t(track.height) << 16 : 0);
}

// mdhd, 8.4.2. Language "und" packed as three 5-bit letters minus 0x60.
void appendMediaHeader(BoxWriter& out, const TrackInfo& track) {
    BoxScope box = out.beginFullBox(FourCC{"mdhd"}, 0, 0);
    out.writeU32(0);
    out.writeU32(0);
    out.writeU32(uint32_t(track.timescale));
    out.writeU32(0);  // duration
    constexpr uint16_t kUnd = ((('u' - 0x60) << 10) | (('n' - 0x60) << 5) | ('d' - 0x60));
    out.writeU16(kUnd);
    out.writeU16(0);  // pre_defined
}

// hdlr, 8.4.3.
void appendHandler(BoxWriter& out, const TrackInfo& track) {
    const bool isVideo = track.kind == TrackKind::Video;
    BoxScope box = out.beginFullBox(FourCC{"hdlr"}, 0, 0);
    out.writeU32(0);  // pre_defined
    out.writeFourCC(isVideo ? FourCC{"vide"} : FourCC{"soun"});
    out.writeZeros(12);
    const std::string_view name = isVideo ? "Podium video" : "Podium audio";
    out.writeBytes({reinterpret_cast<const uint8_t*>(name.data()), name.size()});
    out.writeU8(0);
}

// dinf/dref with one self-contained 'url ' entry (flags 1: media in this file), 8.7.2.
void appendDataInformation(BoxWriter& out) {
    BoxScope dinf = out.beginBox(FourCC{"dinf"});
    BoxScope dref = out.beginFullBox(FourCC{"dref"}, 0, 0);
    out.writeU32(1);
    BoxScope url = out.beginFullBox(FourCC{"url "}, 0, 1);
}

// btrt, 8.5.2.2: bufferSizeDB 0 (unknown), max and average bitrate in bits/s.
void appendBitRate(BoxWriter& out, const TrackInfo& track) {
    BoxScope box = out.beginBox(FourCC{"btrt"});
    out.writeU32(0);
    out.writeU32(uint32_t(std::max(track.maxBitrateBps, track.bitrateBps)));
    out.writeU32(uint32_t(track.bitrateBps));
}

// avc1 VisualSampleEntry (14496-12 12.1.3) + avcC (14496-15 5.4.2) + btrt.
void appendAvcSampleEntry(BoxWriter& out, const TrackInfo& track) {
    BoxScope box = out.beginBox(FourCC{"avc1"});
    out.writeZeros(6);   // reserved
    out.writeU16(1);     // data_reference_index
    out.writeZeros(16);  // pre_defined, reserved, pre_defined[3]
    out.writeU16(uint16_t(track.width));
    out.writeU16(uint16_t(track.height));
    out.writeU32(0x00480000);  // 72 dpi horizontal
    out.writeU32(0x00480000);  // 72 dpi vertical
    out.writeU32(0);           // reserved
    out.writeU16(1);           // frame_count
    out.writeZeros(32);        // compressorname (empty Pascal string)
    out.writeU16(0x0018);      // depth: colour, no alpha
    out.writeI16(-1);          // pre_defined
    {
        BoxScope avcC = out.beginBox(FourCC{"avcC"});
        out.writeBytes(track.avcDecoderConfig);
    }
    appendBitRate(out, track);
}

// ISO/IEC 14496-1 descriptor header with a 4-byte expandable size, as most muxers write it.
void writeDescriptorHeader(BoxWriter& out, uint8_t tag, uint32_t size) {
    out.writeU8(tag);
    out.writeU8(uint8_t(0x80 | ((size >> 21) & 0x7f)));
    out.writeU8(uint8_t(0x80 | ((size >> 14) & 0x7f)));
    out.writeU8(uint8_t(0x80 | ((size >> 7) & 0x7f)));
    out.writeU8(uint8_t(size & 0x7f));
}

// esds (14496-14 5.6): ES_Descriptor > DecoderConfigDescriptor (AAC 0x40, audio stream 5)
// > DecoderSpecificInfo (AudioSpecificConfig), then SLConfigDescriptor predefined 2.
void appendElementaryStreamDescriptor(BoxWriter& out, const TrackInfo& track) {
    const auto& asc = track.audioSpecificConfig;
    const uint32_t dsiSize = uint32_t(asc.size());
    const uint32_t decoderConfigSize = 13 + 5 + dsiSize;
    const uint32_t esSize = 3 + 5 + decoderConfigSize + 5 + 1;
    BoxScope box = out.beginFullBox(FourCC{"esds"}, 0, 0);
    writeDescriptorHeader(out, 0x03, esSize);
    out.writeU16(uint16_t(trackIdOf(track)));  // ES_ID
    out.writeU8(0);                            // no dependence, URL or OCR stream
    writeDescriptorHeader(out, 0x04, decoderConfigSize);
    out.writeU8(0x40);                // objectTypeIndication: MPEG-4 Audio
    out.writeU8((0x05 << 2) | 0x01);  // streamType audio, upStream 0, reserved 1
    out.writeU24(6144 / 8 * uint32_t(std::max(track.channels, 1)));  // AAC buffer per 14496-3
    out.writeU32(uint32_t(std::max(track.maxBitrateBps, track.bitrateBps)));
    out.writeU32(uint32_t(track.bitrateBps));
    writeDescriptorHeader(out, 0x05, dsiSize);
    out.writeBytes(asc);
    writeDescriptorHeader(out, 0x06, 1);
    out.writeU8(0x02);  // SLConfig predefined: MP4 file
}

// mp4a AudioSampleEntry (14496-12 12.2.3): channel count, 16 bit, rate as 16.16.
void appendAacSampleEntry(BoxWriter& out, const TrackInfo& track) {
    BoxScope box = out.beginBox(FourCC{"mp4a"});
    out.writeZeros(6);
    out.writeU16(1);  // data_reference_index
    out.writeZeros(8);
    out.writeU16(uint16_t(track.channels));
    out.writeU16(16);   // samplesize
    out.writeZeros(4);  // pre_defined, reserved
    out.writeU32(uint32_t(track.sampleRate) << 16);
    appendElementaryStreamDescriptor(out, track);
    appendBitRate(out, track);
}

void appendEmptyTable(BoxWriter& out, FourCC type) {
    BoxScope box = out.beginFullBox(type, 0, 0);
    out.writeU32(0);  // entry_count
}

// stbl: one sample description, every sample table empty (samples live in fragments).
void appendSampleTable(BoxWriter& out, const TrackInfo& track) {
    BoxScope stbl = out.beginBox(FourCC{"stbl"});
    {
        BoxScope stsd = out.beginFullBox(FourCC{"stsd"}, 0, 0);
        out.writeU32(1);
        if (track.kind == TrackKind::Video) {
            appendAvcSampleEntry(out, track);
        } else {
            appendAacSampleEntry(out, track);
        }
    }
    appendEmptyTable(out, FourCC{"stts"});
    appendEmptyTable(out, FourCC{"stsc"});
    {
        BoxScope stsz = out.beginFullBox(FourCC{"stsz"}, 0, 0);
        out.writeU32(0);  // sample_size
        out.writeU32(0);  // sample_count
    }
    appendEmptyTable(out, FourCC{"stco"});
}

void appendMediaInformation(BoxWriter& out, const TrackInfo& track) {
    BoxScope minf = out.beginBox(FourCC{"minf"});
    if (track.kind == TrackKind::Video) {
        BoxScope vmhd = out.beginFullBox(FourCC{"vmhd"}, 0, 1);  // flags 1 per 12.1.2
        out.writeZeros(8);                                       // graphicsmode, opcolor
    } else {
        BoxScope smhd = out.beginFullBox(FourCC{"smhd"}, 0, 0);
        out.writeZeros(4);  // balance, reserved
    }
    appendDataInformation(out);
    appendSampleTable(out, track);
}

// mvex/trex, 8.8.3: defaults are all overridden per sample in trun, so zeros.
void appendMovieExtends(BoxWriter& out, const TrackInfo& track) {
    BoxScope mvex = out.beginBox(FourCC{"mvex"});
    BoxScope trex = out.beginFullBox(FourCC{"trex"}, 0, 0);
    out.writeU32(trackIdOf(track));
    out.writeU32(1);  // default_sample_description_index
    out.writeU32(0);  // default_sample_duration
    out.writeU32(0);  // default_sample_size
    out.writeU32(0);  // default_sample_flags
}

}  // namespace

std::vector<uint8_t> buildInitSegment(const TrackInfo& track) {
    BoxWriter out;
    appendFileType(out);
    {
        BoxScope moov = out.beginBox(FourCC{"moov"});
        appendMovieHeader(out, trackIdOf(track) + 1);
        {
            BoxScope trak = out.beginBox(FourCC{"trak"});
            appendTrackHeader(out, track);
            BoxScope mdia = out.beginBox(FourCC{"mdia"});
            appendMediaHeader(out, track);
            appendHandler(out, track);
            appendMediaInformation(out, track);
        }
        appendMovieExtends(out, track);
    }
    return out.take();
}

}  // namespace podium::publisher::mp4

#include "publisher/push/smooth_boxes.h"

#include <span>

#include "publisher/mp4/box_reader.h"
#include "publisher/mp4/box_writer.h"
#include "publisher/mp4/init_segment.h"
#include "publisher/mp4/media_segment.h"

namespace podium::publisher::push {

namespace {

constexpr uint32_t kTfhdDefaultBaseIsMoof = 0x020000;
constexpr uint32_t kTrunAll = 0x000001 | 0x000100 | 0x000200 | 0x000400 | 0x000800;

std::string hex(std::span<const uint8_t> bytes) {
    static const char* digits = "0123456789ABCDEF";
    std::string out;
    for (uint8_t b : bytes) {
        out.push_back(digits[b >> 4]);
        out.push_back(digits[b & 15]);
    }
    return out;
}

/// "00000001 SPS 00000001 PPS" (hex) from an AVCDecoderConfigurationRecord.
std::string avcCodecPrivateData(const std::vector<uint8_t>& avcc) {
    std::string out;
    size_t at = 5;
    for (int list = 0; list < 2 && at < avcc.size(); ++list) {
        const int count = list == 0 ? (avcc[at] & 0x1f) : avcc[at];
        ++at;
        for (int i = 0; i < count && at + 2 <= avcc.size(); ++i) {
            const size_t len = size_t(avcc[at]) << 8 | avcc[at + 1];
            at += 2;
            if (at + len > avcc.size()) {
                return out;
            }
            out += "00000001" + hex(std::span(avcc).subspan(at, len));
            at += len;
        }
    }
    return out;
}

std::string param(const std::string& name, const std::string& value) {
    return "        <param name=\"" + name + "\" value=\"" + value + "\" valuetype=\"data\" />\n";
}

struct Sample {
    mp4::TrunSample fields;
    std::span<const uint8_t> data;
};

Result<void> collect(const mp4::Box& moof, std::span<const uint8_t> bytes, bool isVideo,
                     std::vector<Sample>& samples) {
    const mp4::Box* trunBox = mp4::findBox(moof.children, "traf/trun");
    if (!trunBox) {
        return makeError(ErrorCode::Parse, "moof without trun");
    }
    auto trun = mp4::readTrun(*trunBox);
    if (!trun) {
        return makeError(trun.error());
    }
    uint64_t position = moof.offset + uint64_t(int64_t(trun->dataOffset.value_or(0)));
    for (size_t i = 0; i < trun->samples.size(); ++i) {
        Sample s{trun->samples[i], {}};
        if (!(trun->flags & 0x000400)) {
            s.fields.flags = (i == 0 && trun->firstSampleFlags) ? *trun->firstSampleFlags
                                                                : mp4::sampleFlags(!isVideo);
        }
        if (position + s.fields.size > bytes.size()) {
            return makeError(ErrorCode::Parse, "sample data outside the segment");
        }
        s.data = bytes.subspan(position, s.fields.size);
        position += s.fields.size;
        samples.push_back(s);
    }
    return ok();
}

}  // namespace

std::vector<uint8_t> emptyMfra() {
    return {0, 0, 0, 8, 'm', 'f', 'r', 'a'};
}

std::string liveServerManifestXml(const TrackInfo& track) {
    const bool video = track.kind == TrackKind::Video;
    const std::string rate = std::to_string(std::max(track.bitrateBps, 1));
    std::string x =
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
        "<smil xmlns=\"http://www.w3.org/2001/SMIL20/Language\">\n"
        "  <head>\n    <meta name=\"creator\" content=\"Podium/0.1\" />\n  </head>\n"
        "  <body>\n    <switch>\n";
    x += std::string("      <") + (video ? "video" : "audio") + " src=\"" + track.id +
         "\" systemBitrate=\"" + rate + "\">\n";
    x += param("systemBitrate", rate);
    x += param("trackID", std::to_string(mp4::trackIdOf(track)));
    x += param("trackName", video ? "video" : "audio");
    x += param("timescale", std::to_string(track.timescale));
    if (video) {
        x += param("FourCC", "H264");
        x += param("CodecPrivateData", avcCodecPrivateData(track.avcDecoderConfig));
        x += param("MaxWidth", std::to_string(track.width));
        x += param("MaxHeight", std::to_string(track.height));
        x += param("DisplayWidth", std::to_string(track.width));
        x += param("DisplayHeight", std::to_string(track.height));
    } else {
        x += param("FourCC", "AACL");
        x += param("CodecPrivateData", hex(track.audioSpecificConfig));
        x += param("AudioTag", "255");
        x += param("Channels", std::to_string(track.channels));
        x += param("SamplingRate", std::to_string(track.sampleRate));
        x += param("BitsPerSample", "16");
        x += param("PacketSize", std::to_string(4 * std::max(track.channels, 1)));
    }
    x += std::string("      </") + (video ? "video" : "audio") + ">\n";
    x += "    </switch>\n  </body>\n</smil>\n";
    return x;
}

Result<std::vector<uint8_t>> buildSmoothHeader(const InitSegment& init) {
    auto boxes = mp4::BoxReader::parse(init.bytes);
    if (!boxes) {
        return makeError(boxes.error().withContext("track " + init.track.id + " init"));
    }
    const mp4::Box* moov = mp4::findBox(*boxes, "moov");
    if (!moov) {
        return makeError(Status(ErrorCode::Parse, "init segment without moov")
                             .withContext("track " + init.track.id));
    }
    mp4::BoxWriter out;
    {
        mp4::BoxScope ftyp = out.beginBox(mp4::FourCC{"ftyp"});
        out.writeFourCC(mp4::FourCC{"isml"});
        out.writeU32(1);
        out.writeFourCC(mp4::FourCC{"isml"});
        out.writeFourCC(mp4::FourCC{"piff"});
        out.writeFourCC(mp4::FourCC{"iso2"});
    }
    {
        mp4::BoxScope lsm = out.beginUuidBox(kLsmUuid);
        out.writeU32(0);
        const std::string xml = liveServerManifestXml(init.track);
        out.writeBytes(std::span(reinterpret_cast<const uint8_t*>(xml.data()), xml.size()));
    }
    out.writeBytes(std::span(init.bytes).subspan(moov->offset, moov->size));
    return out.take();
}

namespace {

Result<std::vector<uint8_t>> mergeFragments(const Segment& segment, bool isVideo, bool tfxd);

}  // namespace

Result<std::vector<uint8_t>> buildSmoothFragment(const Segment& segment, bool isVideo) {
    return mergeFragments(segment, isVideo, true);
}

Result<std::vector<uint8_t>> mergeSegmentFragments(const Segment& segment, bool isVideo) {
    return mergeFragments(segment, isVideo, false);
}

namespace {

Result<std::vector<uint8_t>> mergeFragments(const Segment& segment, bool isVideo, bool withTfxd) {
    const std::span<const uint8_t> bytes(segment.bytes);
    const std::string where = "segment " + std::to_string(segment.number);
    auto boxes = mp4::BoxReader::parse(bytes);
    if (!boxes) {
        return makeError(boxes.error().withContext(where));
    }
    std::vector<Sample> samples;
    uint32_t trackId = uint32_t(segment.trackIndex) + 1;
    for (const mp4::Box* moof : mp4::findAllBoxes(*boxes, "moof")) {
        if (auto c = collect(*moof, bytes, isVideo, samples); !c) {
            return makeError(c.error().withContext(where));
        }
        if (const mp4::Box* tfhd = mp4::findBox(moof->children, "traf/tfhd")) {
            if (auto t = mp4::readTfhd(*tfhd)) {
                trackId = t->trackId;
            }
        }
    }
    mp4::BoxWriter out;
    size_t dataOffsetAt = 0;
    mp4::BoxScope moof = out.beginBox(mp4::FourCC{"moof"});
    {
        mp4::BoxScope mfhd = out.beginFullBox(mp4::FourCC{"mfhd"}, 0, 0);
        out.writeU32(uint32_t(segment.number + 1));
    }
    {
        mp4::BoxScope traf = out.beginBox(mp4::FourCC{"traf"});
        {
            mp4::BoxScope tfhd = out.beginFullBox(mp4::FourCC{"tfhd"}, 0, kTfhdDefaultBaseIsMoof);
            out.writeU32(trackId);
        }
        {
            mp4::BoxScope tfdt = out.beginFullBox(mp4::FourCC{"tfdt"}, 1, 0);
            out.writeU64(uint64_t(segment.start.value));
        }
        {
            mp4::BoxScope trun = out.beginFullBox(mp4::FourCC{"trun"}, 1, kTrunAll);
            out.writeU32(uint32_t(samples.size()));
            dataOffsetAt = out.size();
            out.writeI32(0);
            for (const auto& s : samples) {
                out.writeU32(s.fields.duration);
                out.writeU32(s.fields.size);
                out.writeU32(s.fields.flags);
                out.writeI32(int32_t(s.fields.compositionOffset));
            }
        }
        if (withTfxd) {
            mp4::BoxScope tfxd = out.beginUuidBox(kTfxdUuid);
            out.writeU32(0x01000000);  // version 1, flags 0
            out.writeU64(uint64_t(segment.start.value));
            out.writeU64(uint64_t(segment.duration.value));
        }
    }
    const size_t moofSize = moof.close();
    out.patchU32(dataOffsetAt, uint32_t(moofSize + 8));
    {
        mp4::BoxScope mdat = out.beginBox(mp4::FourCC{"mdat"});
        for (const auto& s : samples) {
            out.writeBytes(s.data);
        }
    }
    return out.take();
}

}  // namespace

}  // namespace podium::publisher::push

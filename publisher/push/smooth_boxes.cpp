#include "publisher/push/smooth_boxes.h"

#include <span>

#include "core/avc_config.h"
#include "publisher/mp4/box_reader.h"
#include "publisher/mp4/box_writer.h"
#include "publisher/mp4/fragment_merge.h"
#include "publisher/mp4/init_segment.h"
#include "publisher/mp4/media_segment.h"
#include "publisher/mp4/piff.h"

namespace podium::publisher::push {

namespace {

std::string hex(std::span<const uint8_t> bytes) {
    static const char* digits = "0123456789ABCDEF";
    std::string out;
    for (uint8_t b : bytes) {
        out.push_back(digits[b >> 4]);
        out.push_back(digits[b & 15]);
    }
    return out;
}

std::string param(const std::string& name, const std::string& value) {
    return "        <param name=\"" + name + "\" value=\"" + value + "\" valuetype=\"data\" />\n";
}

}  // namespace

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
        const auto parameterSets = avc::annexBParameterSets(track.avcDecoderConfig);
        x += param("CodecPrivateData", parameterSets ? hex(*parameterSets) : std::string());
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
        mp4::BoxScope lsm = out.beginUuidBox(mp4::kLiveServerManifestUuid);
        out.writeU32(0);
        const std::string xml = liveServerManifestXml(init.track);
        out.writeBytes(std::span(reinterpret_cast<const uint8_t*>(xml.data()), xml.size()));
    }
    out.writeBytes(std::span(init.bytes).subspan(moov->offset, moov->size));
    return out.take();
}

namespace {

Result<std::vector<uint8_t>> merge(const Segment& segment, bool isVideo, bool withTfxd) {
    mp4::MergeOptions options;
    options.sequenceNumber = uint32_t(segment.number + 1);
    options.decodeTime = uint64_t(segment.start.value);
    options.video = isVideo;
    if (withTfxd) {
        options.tfxd = mp4::FragmentTime{segment.start.value, segment.duration.value};
    }
    auto fragment = mp4::mergeFragments(segment.bytes, options);
    if (!fragment) {
        return makeError(fragment.error().withContext("segment " + std::to_string(segment.number)));
    }
    return fragment;
}

}  // namespace

Result<std::vector<uint8_t>> buildSmoothFragment(const Segment& segment, bool isVideo) {
    return merge(segment, isVideo, true);
}

Result<std::vector<uint8_t>> mergeSegmentFragments(const Segment& segment, bool isVideo) {
    return merge(segment, isVideo, false);
}

}  // namespace podium::publisher::push

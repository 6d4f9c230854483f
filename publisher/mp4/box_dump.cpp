// dumpTree(): the text inspector of box_reader.h (Bento4's mp4dump idea), one describer per box
// type Podium writes. Every read is bounds-checked; a short payload prints "(truncated)".
#include <cstdio>
#include <string>

#include "publisher/mp4/box_reader.h"
#include "publisher/mp4/byte_reader.h"

namespace podium::publisher::mp4 {

namespace {

std::string hex(uint64_t v, int digits) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "0x%0*llx", digits, static_cast<unsigned long long>(v));
    return buf;
}

std::string hexBytes(std::span<const uint8_t> bytes) {
    std::string out;
    for (uint8_t b : bytes) {
        char buf[4];
        std::snprintf(buf, sizeof buf, "%02x", b);
        out += buf;
    }
    return out;
}

std::string kv(const char* key, uint64_t v) {
    return std::string(" ") + key + "=" + std::to_string(v);
}

std::string describeBrands(ByteReader& in) {
    std::string out =
        " major=" + FourCC{in.u32()}.toString() + kv("minor", in.u32()) + " compatible=";
    while (in.ok() && in.remaining() >= 4) {
        out += FourCC{in.u32()}.toString() + (in.remaining() >= 4 ? "," : "");
    }
    return out;
}

std::string describeFullHeader(ByteReader& in, uint8_t& version, uint32_t& flags) {
    version = in.u8();
    flags = in.u24();
    return " v" + std::to_string(version) + " flags=" + hex(flags, 6);
}

std::string describeFullHeader(ByteReader& in, uint8_t& version) {
    uint32_t flags = 0;
    return describeFullHeader(in, version, flags);
}

std::string describeTimes(ByteReader& in, uint8_t version, bool hasTrackId) {
    in.skip(version == 1 ? 16 : 8);  // creation + modification time
    std::string out;
    if (hasTrackId) {
        out += kv("track_id", in.u32());
        in.skip(4);
    } else {
        out += kv("timescale", in.u32());
    }
    out += kv("duration", version == 1 ? in.u64() : in.u32());
    return out;
}

std::string describeLanguage(uint16_t packed) {
    std::string lang(3, '?');
    for (int i = 0; i < 3; ++i) {
        lang[static_cast<size_t>(i)] = static_cast<char>(((packed >> (10 - 5 * i)) & 0x1f) + 0x60);
    }
    return " language=" + lang;
}

// ISO/IEC 14496-1 expandable size: up to 4 bytes, 7 bits each.
uint32_t descriptorSize(ByteReader& in) {
    uint32_t size = 0;
    for (int i = 0; i < 4; ++i) {
        const uint8_t b = in.u8();
        size = (size << 7) | (b & 0x7f);
        if (!(b & 0x80)) {
            break;
        }
    }
    return size;
}

std::string describeEsds(ByteReader& in) {
    std::string out;
    if (in.u8() != 0x03) {
        return " (no ES_Descriptor)";
    }
    descriptorSize(in);
    out += kv("es_id", in.u16());
    const uint8_t esFlags = in.u8();
    if (esFlags & 0x80)
        in.skip(2);
    if (esFlags & 0x40)
        in.skip(in.u8());
    if (esFlags & 0x20)
        in.skip(2);
    if (in.u8() != 0x04) {
        return out + " (no DecoderConfigDescriptor)";
    }
    descriptorSize(in);
    out += " object_type=" + hex(in.u8(), 2) + kv("stream_type", in.u8() >> 2);
    out += kv("buffer_size", in.u24()) + kv("max_bitrate", in.u32()) + kv("avg_bitrate", in.u32());
    if (in.u8() == 0x05) {
        out += " dsi=" + hexBytes(in.bytes(descriptorSize(in)));
    }
    if (in.u8() == 0x06) {
        descriptorSize(in);
        out += kv("sl_predefined", in.u8());
    }
    return out;
}

std::string describeTrun(ByteReader& in, const std::string& indent) {
    uint8_t version = 0;
    uint32_t flags = 0;
    std::string out = describeFullHeader(in, version, flags);
    const uint32_t count = in.u32();
    out += kv("sample_count", count);
    if (flags & 0x000001)
        out += " data_offset=" + std::to_string(in.i32());
    if (flags & 0x000004)
        out += " first_sample_flags=" + hex(in.u32(), 8);
    for (uint32_t i = 0; i < count && in.ok() && i < 64; ++i) {
        out += "\n" + indent + "  #" + std::to_string(i);
        if (flags & 0x000100)
            out += kv("duration", in.u32());
        if (flags & 0x000200)
            out += kv("size", in.u32());
        if (flags & 0x000400)
            out += " flags=" + hex(in.u32(), 8);
        if (flags & 0x000800) {
            const uint32_t raw = in.u32();
            out += " cto=" + (version == 1 ? std::to_string(int32_t(raw)) : std::to_string(raw));
        }
    }
    return out;
}

std::string describeFields(const Box& box, const std::string& indent) {
    ByteReader in(box.payload);
    uint8_t version = 0;
    const std::string t = box.type.toString();
    std::string out;
    if (t == "ftyp" || t == "styp") {
        out = describeBrands(in);
    } else if (t == "mvhd") {
        out = describeFullHeader(in, version) + describeTimes(in, version, false);
        in.skip(4 + 2 + 10 + 36 + 24);  // rate, volume, reserved, matrix, pre_defined
        out += kv("next_track_id", in.u32());
    } else if (t == "tkhd") {
        out = describeFullHeader(in, version) + describeTimes(in, version, true);
        in.skip(8 + 2 + 2);  // reserved, layer, alternate_group
        out += " volume=" + hex(in.u16(), 4);
        in.skip(2 + 36);
        out += kv("width", in.u32() >> 16) + kv("height", in.u32() >> 16);
    } else if (t == "mdhd") {
        out = describeFullHeader(in, version) + describeTimes(in, version, false);
        out += describeLanguage(in.u16());
    } else if (t == "hdlr") {
        out = describeFullHeader(in, version);
        in.skip(4);
        out += " handler=" + FourCC{in.u32()}.toString();
        in.skip(12);
        const auto name = in.bytes(in.remaining());
        out += " name=\"" + std::string(name.begin(), name.end() - (name.empty() ? 0 : 1)) + "\"";
    } else if (t == "stsd" || t == "dref" || t == "stts" || t == "stsc" || t == "stco") {
        out = describeFullHeader(in, version) + kv("entry_count", in.u32());
    } else if (t == "stsz") {
        out = describeFullHeader(in, version) + kv("sample_size", in.u32());
        out += kv("sample_count", in.u32());
    } else if (t == "avc1" || t == "avc3") {
        in.skip(6);
        out = kv("data_reference_index", in.u16());
        in.skip(16);
        out += kv("width", in.u16()) + kv("height", in.u16());
        out += " resolution=" + hex(in.u32(), 8);
        in.skip(4 + 4 + 2 + 32);  // vertresolution, reserved, frame_count, compressorname
        out += " depth=" + hex(in.u16(), 4);
    } else if (t == "avcC") {
        out = kv("version", in.u8()) + " profile=" + std::to_string(in.u8());
        out += " compat=" + hex(in.u8(), 2) + kv("level", in.u8());
        out += kv("length_size", (in.u8() & 3) + 1) + kv("sps_count", in.u8() & 0x1f);
    } else if (t == "mp4a") {
        in.skip(6);
        out = kv("data_reference_index", in.u16());
        in.skip(8);
        out += kv("channels", in.u16()) + kv("sample_size", in.u16());
        in.skip(4);
        out += kv("sample_rate", in.u32() >> 16);
    } else if (t == "esds") {
        out = describeFullHeader(in, version) + describeEsds(in);
    } else if (t == "btrt") {
        out =
            kv("buffer_size", in.u32()) + kv("max_bitrate", in.u32()) + kv("avg_bitrate", in.u32());
    } else if (t == "trex") {
        out = describeFullHeader(in, version) + kv("track_id", in.u32());
        out += kv("default_sample_description_index", in.u32());
        out += kv("default_duration", in.u32()) + kv("default_size", in.u32());
        out += " default_flags=" + hex(in.u32(), 8);
    } else if (t == "mfhd") {
        out = describeFullHeader(in, version) + kv("sequence", in.u32());
    } else if (t == "tfhd") {
        out = describeFullHeader(in, version) + kv("track_id", in.u32());
    } else if (t == "tfdt") {
        out = describeFullHeader(in, version);
        out += kv("base_media_decode_time", version == 1 ? in.u64() : in.u32());
    } else if (t == "trun") {
        out = describeTrun(in, indent);
    } else if (t == "mdat") {
        out = kv("payload", box.payload.size());
    } else if (t == "uuid") {
        out = " user_type=" + hexBytes(box.userType);
    }
    return in.ok() ? out : out + " (truncated)";
}

void dumpInto(const std::vector<Box>& boxes, const std::string& indent, std::string& out) {
    for (const Box& box : boxes) {
        out += indent + box.type.toString() + " [size " + std::to_string(box.size) + "]";
        out += describeFields(box, indent) + "\n";
        dumpInto(box.children, indent + "  ", out);
    }
}

}  // namespace

std::string dumpTree(const std::vector<Box>& boxes) {
    std::string out;
    dumpInto(boxes, "", out);
    return out;
}

std::string dumpTree(std::span<const uint8_t> bytes) {
    auto boxes = BoxReader::parse(bytes);
    if (!boxes) {
        return "parse error: " + boxes.error().toString() + "\n";
    }
    return dumpTree(*boxes);
}

}  // namespace podium::publisher::mp4

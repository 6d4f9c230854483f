// dumpTree(): the text inspector of box_reader.h (Bento4's mp4dump idea), one describer per box
// type Podium writes. Every read is bounds-checked; a short payload prints "(truncated)".
#include <algorithm>
#include <cstdio>
#include <string>

#include "publisher/mp4/box_reader.h"
#include "publisher/mp4/byte_reader.h"
#include "publisher/mp4/fragment_flags.h"

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

// Reads a payload field by field and appends " key=value" per field. One call per field
// keeps the reads in order (the operands of a `+` chain are unsequenced).
class Fields {
public:
    explicit Fields(std::span<const uint8_t> payload) : in_(payload) {}

    Fields& u(const char* key, int bytes, int shift = 0) {
        return add(key, std::to_string(read(bytes) >> shift));
    }
    Fields& x(const char* key, int bytes) { return add(key, hex(read(bytes), 2 * bytes)); }
    Fields& fourcc(const char* key) { return add(key, FourCC{in_.u32()}.toString()); }
    Fields& skip(size_t count) {
        in_.skip(count);
        return *this;
    }
    /// FullBox version and flags.
    Fields& fullHeader() {
        version_ = in_.u8();
        flags_ = in_.u24();
        out_ += " v" + std::to_string(version_) + " flags=" + hex(flags_, 6);
        return *this;
    }
    /// A 32-bit field in version 0, 64-bit in version 1.
    Fields& versioned(const char* key) { return u(key, version_ == 1 ? 8 : 4); }
    Fields& add(const char* key, const std::string& value) {
        out_ += std::string(" ") + key + "=" + value;
        return *this;
    }
    Fields& text(const std::string& value) {
        out_ += value;
        return *this;
    }

    ByteReader& in() { return in_; }
    [[nodiscard]] uint8_t version() const { return version_; }
    [[nodiscard]] uint32_t flags() const { return flags_; }
    [[nodiscard]] std::string result() const { return in_.ok() ? out_ : out_ + " (truncated)"; }

private:
    uint64_t read(int bytes) {
        switch (bytes) {
            case 1:
                return in_.u8();
            case 2:
                return in_.u16();
            case 3:
                return in_.u24();
            case 4:
                return in_.u32();
            default:
                return in_.u64();
        }
    }

    ByteReader in_;
    std::string out_;
    uint8_t version_ = 0;
    uint32_t flags_ = 0;
};

void describeBrands(Fields& f) {
    f.fourcc("major").u("minor", 4).text(" compatible=");
    ByteReader& in = f.in();
    while (in.ok() && in.remaining() >= 4) {
        const FourCC brand{in.u32()};
        f.text(brand.toString() + (in.remaining() >= 4 ? "," : ""));
    }
}

// mvhd / mdhd / tkhd prefix: times, then timescale (or track_ID + reserved), then duration.
void describeTimes(Fields& f, bool hasTrackId) {
    f.skip(f.version() == 1 ? 16 : 8);  // creation + modification time
    if (hasTrackId) {
        f.u("track_id", 4).skip(4);
    } else {
        f.u("timescale", 4);
    }
    f.versioned("duration");
}

std::string language(uint16_t packed) {
    std::string lang(3, '?');
    for (int i = 0; i < 3; ++i) {
        lang[static_cast<size_t>(i)] = static_cast<char>(((packed >> (10 - 5 * i)) & 0x1f) + 0x60);
    }
    return lang;
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

void describeEsds(Fields& f) {
    ByteReader& in = f.in();
    if (in.u8() != 0x03) {
        f.text(" (no ES_Descriptor)");
        return;
    }
    descriptorSize(in);
    f.u("es_id", 2);
    const uint8_t esFlags = in.u8();
    in.skip((esFlags & 0x80) ? 2 : 0);
    in.skip((esFlags & 0x40) ? in.u8() : 0);
    in.skip((esFlags & 0x20) ? 2 : 0);
    if (in.u8() != 0x04) {
        f.text(" (no DecoderConfigDescriptor)");
        return;
    }
    descriptorSize(in);
    f.x("object_type", 1).u("stream_type", 1, 2);
    f.u("buffer_size", 3).u("max_bitrate", 4).u("avg_bitrate", 4);
    if (in.u8() == 0x05) {
        const uint32_t size = descriptorSize(in);
        f.add("dsi", hexBytes(in.bytes(size)));
    }
    if (in.u8() == 0x06) {
        descriptorSize(in);
        f.u("sl_predefined", 1);
    }
}

void describeTrun(Fields& f, const std::string& indent) {
    f.fullHeader();
    const uint32_t flags = f.flags();
    const uint32_t count = f.in().u32();
    f.add("sample_count", std::to_string(count));
    if (flags & trun_flags::kDataOffset) {
        f.add("data_offset", std::to_string(f.in().i32()));
    }
    if (flags & trun_flags::kFirstSampleFlags) {
        f.x("first_sample_flags", 4);
    }
    for (uint32_t i = 0; i < count && i < 64 && f.in().ok(); ++i) {
        f.text("\n" + indent + "  #" + std::to_string(i));
        if (flags & trun_flags::kSampleDuration)
            f.u("duration", 4);
        if (flags & trun_flags::kSampleSize)
            f.u("size", 4);
        if (flags & trun_flags::kSampleFlags)
            f.x("flags", 4);
        if (flags & trun_flags::kSampleCompositionOffset) {
            const uint32_t raw = f.in().u32();
            f.add("cto", f.version() == 1 ? std::to_string(int32_t(raw)) : std::to_string(raw));
        }
    }
}

void describeSampleEntry(Fields& f, FourCC type) {
    f.skip(6).u("data_reference_index", 2);
    if (type == FourCC{"mp4a"}) {
        f.skip(8).u("channels", 2).u("sample_size", 2).skip(4).u("sample_rate", 4, 16);
        return;
    }
    f.skip(16).u("width", 2).u("height", 2).x("resolution", 4);
    f.skip(4 + 4 + 2 + 32).x("depth", 2);  // vertresolution, reserved, frame_count, name
}

std::string describeFields(const Box& box, const std::string& indent) {
    Fields f(box.payload);
    const std::string t = box.type.toString();
    if (t == "ftyp" || t == "styp") {
        describeBrands(f);
    } else if (t == "mvhd") {
        describeTimes(f.fullHeader(), false);
        f.skip(4 + 2 + 10 + 36 + 24).u("next_track_id", 4);  // rate..pre_defined
    } else if (t == "tkhd") {
        describeTimes(f.fullHeader(), true);
        f.skip(8 + 2 + 2).x("volume", 2).skip(2 + 36).u("width", 4, 16).u("height", 4, 16);
    } else if (t == "mdhd") {
        describeTimes(f.fullHeader(), false);
        f.add("language", language(f.in().u16()));
    } else if (t == "hdlr") {
        f.fullHeader().skip(4).fourcc("handler").skip(12);
        const auto name = f.in().bytes(f.in().remaining());
        const auto end = std::find(name.begin(), name.end(), uint8_t(0));
        f.add("name", "\"" + std::string(name.begin(), end) + "\"");
    } else if (t == "vmhd" || t == "smhd" || t == "url ") {
        f.fullHeader();
    } else if (t == "stsd" || t == "dref" || t == "stts" || t == "stsc" || t == "stco") {
        f.fullHeader().u("entry_count", 4);
    } else if (t == "stsz") {
        f.fullHeader().u("sample_size", 4).u("sample_count", 4);
    } else if (t == "avc1" || t == "avc3" || t == "mp4a") {
        describeSampleEntry(f, box.type);
    } else if (t == "avcC") {
        f.u("version", 1).u("profile", 1).x("compat", 1).u("level", 1);
        f.add("length_size", std::to_string((f.in().u8() & 3) + 1));
        f.add("sps_count", std::to_string(f.in().u8() & 0x1f));
    } else if (t == "esds") {
        describeEsds(f.fullHeader());
    } else if (t == "btrt") {
        f.u("buffer_size", 4).u("max_bitrate", 4).u("avg_bitrate", 4);
    } else if (t == "trex") {
        f.fullHeader().u("track_id", 4).u("default_sample_description_index", 4);
        f.u("default_duration", 4).u("default_size", 4).x("default_flags", 4);
    } else if (t == "mfhd") {
        f.fullHeader().u("sequence", 4);
    } else if (t == "tfhd") {
        f.fullHeader().u("track_id", 4);
    } else if (t == "tfdt") {
        f.fullHeader().versioned("base_media_decode_time");
    } else if (t == "trun") {
        describeTrun(f, indent);
    } else if (t == "mdat") {
        f.add("payload", std::to_string(box.payload.size()));
    } else if (t == "uuid") {
        f.add("user_type", hexBytes(box.userType));
    }
    return f.result();
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

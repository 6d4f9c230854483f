#include "core/avc_config.h"

#include <cstdio>
#include <optional>

namespace podium::avc {
namespace {

/// Reads bits MSB-first from an RBSP (emulation prevention bytes already removed).
class BitReader {
public:
    explicit BitReader(std::vector<uint8_t> bytes) : bytes_(std::move(bytes)) {}

    std::optional<uint32_t> bits(int count) {
        uint32_t value = 0;
        for (int i = 0; i < count; ++i) {
            if (position_ >= bytes_.size() * 8) {
                return std::nullopt;
            }
            const int bit = (bytes_[position_ / 8] >> (7 - position_ % 8)) & 1;
            value = (value << 1) | uint32_t(bit);
            ++position_;
        }
        return value;
    }

    /// ue(v), Exp-Golomb (ISO/IEC 14496-10 9.1).
    std::optional<uint32_t> unsignedExpGolomb() {
        int leadingZeros = 0;
        while (true) {
            auto bit = bits(1);
            if (!bit) {
                return std::nullopt;
            }
            if (*bit) {
                break;
            }
            if (++leadingZeros > 31) {
                return std::nullopt;
            }
        }
        auto rest = bits(leadingZeros);
        if (!rest) {
            return std::nullopt;
        }
        return (uint32_t(1) << leadingZeros) - 1 + *rest;
    }

private:
    std::vector<uint8_t> bytes_;
    size_t position_ = 0;
};

/// NAL payload → RBSP: drops the emulation_prevention_three_byte of every 00 00 03.
std::vector<uint8_t> toRbsp(ByteSpan nal) {
    std::vector<uint8_t> out;
    out.reserve(nal.size());
    int zeros = 0;
    for (uint8_t byte : nal) {
        if (zeros >= 2 && byte == 3) {
            zeros = 0;
            continue;
        }
        zeros = byte == 0 ? zeros + 1 : 0;
        out.push_back(byte);
    }
    return out;
}

/// Profiles whose SPS carries chroma_format_idc and bit depths (14496-10 7.3.2.1.1).
bool hasChromaInfo(int profileIdc) {
    switch (profileIdc) {
        case 100:
        case 110:
        case 122:
        case 244:
        case 44:
        case 83:
        case 86:
        case 118:
        case 128:
        case 138:
        case 139:
        case 134:
        case 135:
            return true;
        default:
            return false;
    }
}

void appendU16(std::vector<uint8_t>& out, size_t value) {
    out.push_back(uint8_t(value >> 8));
    out.push_back(uint8_t(value));
}

}  // namespace

int nalType(ByteSpan nal) {
    return nal.empty() ? 0 : nal[0] & 0x1f;
}

std::vector<ByteSpan> splitAnnexB(ByteSpan annexB) {
    std::vector<ByteSpan> nals;
    const size_t size = annexB.size();
    std::optional<size_t> start;  // first byte of the current NAL
    auto finish = [&](size_t end) {
        if (!start) {
            return;
        }
        while (end > *start && annexB[end - 1] == 0) {
            --end;  // trailing_zero_8bits, or the first zero of a 4-byte start code
        }
        if (end > *start) {
            nals.push_back(annexB.subspan(*start, end - *start));
        }
    };
    for (size_t i = 0; i + 2 < size;) {
        if (annexB[i] == 0 && annexB[i + 1] == 0 && annexB[i + 2] == 1) {
            finish(i);
            i += 3;
            start = i;
        } else {
            ++i;
        }
    }
    finish(size);
    return nals;
}

std::vector<uint8_t> toLengthPrefixed(ByteSpan annexB) {
    std::vector<uint8_t> out;
    out.reserve(annexB.size() + 16);
    for (ByteSpan nal : splitAnnexB(annexB)) {
        const size_t n = nal.size();
        out.insert(out.end(), {uint8_t(n >> 24), uint8_t(n >> 16), uint8_t(n >> 8), uint8_t(n)});
        out.insert(out.end(), nal.begin(), nal.end());
    }
    return out;
}

Result<std::vector<ByteSpan>> splitLengthPrefixed(ByteSpan data, int lengthSize) {
    if (lengthSize != 1 && lengthSize != 2 && lengthSize != 4) {
        return makeError(ErrorCode::InvalidArgument, "NAL length size must be 1, 2 or 4 (got " +
                                                         std::to_string(lengthSize) + ")");
    }
    std::vector<ByteSpan> nals;
    size_t offset = 0;
    while (offset < data.size()) {
        if (data.size() - offset < size_t(lengthSize)) {
            return makeError(ErrorCode::Parse,
                             "truncated NAL length at byte " + std::to_string(offset));
        }
        size_t length = 0;
        for (int i = 0; i < lengthSize; ++i) {
            length = (length << 8) | data[offset + i];
        }
        offset += lengthSize;
        if (length == 0 || length > data.size() - offset) {
            return makeError(ErrorCode::Parse,
                             "NAL length " + std::to_string(length) + " at byte " +
                                 std::to_string(offset - lengthSize) + " does not fit the " +
                                 std::to_string(data.size()) + "-byte sample");
        }
        nals.push_back(data.subspan(offset, length));
        offset += length;
    }
    return nals;
}

Result<SpsInfo> parseSps(ByteSpan sps) {
    if (sps.size() < 4 || nalType(sps) != int(NalType::Sps)) {
        return makeError(ErrorCode::Parse, "not an SPS NAL unit (" + std::to_string(sps.size()) +
                                               " bytes, type " + std::to_string(nalType(sps)) +
                                               ")");
    }
    SpsInfo info;
    info.profileIdc = sps[1];
    info.constraintFlags = sps[2];
    info.levelIdc = sps[3];
    if (!hasChromaInfo(info.profileIdc)) {
        return info;
    }
    BitReader reader(toRbsp(sps.subspan(4)));
    const auto spsId = reader.unsignedExpGolomb();
    const auto chroma = reader.unsignedExpGolomb();
    if (!spsId || !chroma || *chroma > 3) {
        return makeError(ErrorCode::Parse, "SPS: bad seq_parameter_set_id / chroma_format_idc");
    }
    info.chromaFormatIdc = int(*chroma);
    if (*chroma == 3 && !reader.bits(1)) {  // separate_colour_plane_flag
        return makeError(ErrorCode::Parse, "SPS: truncated");
    }
    const auto lumaMinus8 = reader.unsignedExpGolomb();
    const auto chromaMinus8 = reader.unsignedExpGolomb();
    if (!lumaMinus8 || !chromaMinus8 || *lumaMinus8 > 6 || *chromaMinus8 > 6) {
        return makeError(ErrorCode::Parse, "SPS: bad bit depth");
    }
    info.bitDepthLuma = 8 + int(*lumaMinus8);
    info.bitDepthChroma = 8 + int(*chromaMinus8);
    return info;
}

Result<std::string> codecString(ByteSpan sps) {
    auto info = parseSps(sps);
    if (!info) {
        return makeError(info.error());
    }
    char text[16];
    std::snprintf(text, sizeof text, "avc1.%02x%02x%02x", info->profileIdc, info->constraintFlags,
                  info->levelIdc);
    return std::string(text);
}

Result<std::vector<uint8_t>> buildAvcDecoderConfig(ByteSpan sps, ByteSpan pps) {
    auto info = parseSps(sps);
    if (!info) {
        return makeError(info.error());
    }
    if (pps.empty() || nalType(pps) != int(NalType::Pps) || sps.size() > 0xffff ||
        pps.size() > 0xffff) {
        return makeError(ErrorCode::InvalidArgument, "avcC needs one SPS and one PPS NAL unit");
    }
    std::vector<uint8_t> out;
    out.push_back(1);  // configurationVersion
    out.push_back(uint8_t(info->profileIdc));
    out.push_back(uint8_t(info->constraintFlags));  // profile_compatibility
    out.push_back(uint8_t(info->levelIdc));
    out.push_back(0xfc | 3);  // reserved 6 bits, lengthSizeMinusOne = 3 (4-byte lengths)
    out.push_back(0xe0 | 1);  // reserved 3 bits, numOfSequenceParameterSets = 1
    appendU16(out, sps.size());
    out.insert(out.end(), sps.begin(), sps.end());
    out.push_back(1);  // numOfPictureParameterSets
    appendU16(out, pps.size());
    out.insert(out.end(), pps.begin(), pps.end());
    // 14496-15 5.3.3.1.2: present for profile_idc 100, 110, 122 and 144.
    const int p = info->profileIdc;
    if (p == 100 || p == 110 || p == 122 || p == 144) {
        out.push_back(uint8_t(0xfc | info->chromaFormatIdc));
        out.push_back(uint8_t(0xf8 | (info->bitDepthLuma - 8)));
        out.push_back(uint8_t(0xf8 | (info->bitDepthChroma - 8)));
        out.push_back(0);  // numOfSequenceParameterSetExt
    }
    return out;
}

Result<AvcDecoderConfig> parseAvcDecoderConfig(ByteSpan avcC) {
    AvcDecoderConfig config;
    size_t offset = 0;
    auto truncated = [&] {
        return makeError(ErrorCode::Parse, "avcC truncated at byte " + std::to_string(offset));
    };
    if (avcC.size() < 7) {
        return truncated();
    }
    config.version = avcC[0];
    config.profileIdc = avcC[1];
    config.constraintFlags = avcC[2];
    config.levelIdc = avcC[3];
    config.nalLengthSize = (avcC[4] & 3) + 1;
    offset = 5;
    for (int list = 0; list < 2; ++list) {
        if (offset >= avcC.size()) {
            return truncated();
        }
        const int count = list == 0 ? (avcC[offset] & 0x1f) : avcC[offset];
        ++offset;
        for (int i = 0; i < count; ++i) {
            if (avcC.size() - offset < 2) {
                return truncated();
            }
            const size_t length = size_t(avcC[offset]) << 8 | avcC[offset + 1];
            offset += 2;
            if (avcC.size() - offset < length) {
                return truncated();
            }
            auto nal = avcC.subspan(offset, length);
            (list == 0 ? config.sps : config.pps).emplace_back(nal.begin(), nal.end());
            offset += length;
        }
    }
    return config;
}

Result<std::vector<uint8_t>> annexBParameterSets(ByteSpan avcC) {
    auto config = parseAvcDecoderConfig(avcC);
    if (!config) {
        return makeError(config.error());
    }
    std::vector<uint8_t> out;
    for (const auto* sets : {&config->sps, &config->pps}) {
        for (const auto& nal : *sets) {
            out.insert(out.end(), {0, 0, 0, 1});
            out.insert(out.end(), nal.begin(), nal.end());
        }
    }
    return out;
}

}  // namespace podium::avc

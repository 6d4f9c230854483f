#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "core/status.h"

namespace podium::avc {

using ByteSpan = std::span<const uint8_t>;

/// H.264 (ISO/IEC 14496-10) NAL unit helpers and the AVCDecoderConfigurationRecord of
/// ISO/IEC 14496-15 5.3.3. Pure functions: any thread. A "NAL" here is the NAL unit itself
/// (header byte first), without start code or length prefix.

/// nal_unit_type (the low 5 bits of the NAL header byte).
enum class NalType : uint8_t {
    Slice = 1,
    Idr = 5,
    Sei = 6,
    Sps = 7,
    Pps = 8,
    Aud = 9,
    Filler = 12
};

[[nodiscard]] int nalType(ByteSpan nal);

/// Splits an Annex B byte stream at 3- and 4-byte start codes. Leading bytes before the first
/// start code and trailing zero bytes of each NAL (trailing_zero_8bits) are dropped. The spans
/// point into `annexB`.
[[nodiscard]] std::vector<ByteSpan> splitAnnexB(ByteSpan annexB);

/// Annex B → 4-byte big-endian length-prefixed NAL units (the MP4 sample format).
[[nodiscard]] std::vector<uint8_t> toLengthPrefixed(ByteSpan annexB);

/// Walks length-prefixed NAL units (lengthSize 1, 2 or 4); Parse error if a length runs past
/// the end or a NAL is empty.
[[nodiscard]] Result<std::vector<ByteSpan>> splitLengthPrefixed(ByteSpan data, int lengthSize = 4);

/// The fields of an SPS that an avcC record and a codec string need.
struct SpsInfo {
    int profileIdc = 0;
    int constraintFlags = 0;  ///< constraint_set0..5 flags and reserved bits: SPS byte 2
    int levelIdc = 0;
    int chromaFormatIdc = 1;  ///< 4:2:0 unless a high profile says otherwise
    int bitDepthLuma = 8;
    int bitDepthChroma = 8;
};

[[nodiscard]] Result<SpsInfo> parseSps(ByteSpan sps);

/// RFC 6381 codec string, e.g. "avc1.64001f" (profile_idc, constraint byte, level_idc; lowercase
/// hex) from an SPS NAL.
[[nodiscard]] Result<std::string> codecString(ByteSpan sps);

/// AVCDecoderConfigurationRecord (the avcC box payload) with one SPS and one PPS, 4-byte NAL
/// lengths, and the chroma/bit-depth extension for the high profiles.
[[nodiscard]] Result<std::vector<uint8_t>> buildAvcDecoderConfig(ByteSpan sps, ByteSpan pps);

/// What an avcC payload says (the Smooth CodecPrivateData, ingest of pushed streams, tests).
struct AvcDecoderConfig {
    int version = 0;
    int profileIdc = 0;
    int constraintFlags = 0;
    int levelIdc = 0;
    int nalLengthSize = 0;
    std::vector<std::vector<uint8_t>> sps;
    std::vector<std::vector<uint8_t>> pps;
};

[[nodiscard]] Result<AvcDecoderConfig> parseAvcDecoderConfig(ByteSpan avcC);

/// The parameter sets of an avcC payload as Annex B: 00 00 00 01 SPS ... 00 00 00 01 PPS ...
/// (Smooth Streaming's CodecPrivateData, MS-SSTR 2.2.2.5). Errors: those of
/// parseAvcDecoderConfig.
[[nodiscard]] Result<std::vector<uint8_t>> annexBParameterSets(ByteSpan avcC);

}  // namespace podium::avc

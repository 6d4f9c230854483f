#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace podium {

enum class TrackKind { Video = 1, Audio };

/// Everything a packager, a manifest and a sink need to know about one output track.
/// Filled by the encoder side once it knows its codec configuration.
struct TrackInfo {
    int trackIndex = 0;       ///< 0-based position in the session's track list
    std::string id;           ///< folder / URL name: rendition id ("720p") or "audio"
    TrackKind kind = TrackKind::Video;
    int32_t timescale = 90000;
    std::string codecString;  ///< RFC 6381: "avc1.64001f", "mp4a.40.2"
    int bitrateBps = 0;       ///< target (average) bitrate
    int maxBitrateBps = 0;    ///< peak bitrate (VBV max rate); >= bitrateBps
    // video
    int width = 0;
    int height = 0;
    int fpsNum = 0;
    int fpsDen = 1;
    std::vector<uint8_t> avcDecoderConfig;  ///< avcC payload (AVCDecoderConfigurationRecord)
    // audio
    int sampleRate = 0;
    int channels = 0;
    std::vector<uint8_t> audioSpecificConfig;  ///< esds DecoderSpecificInfo payload
};

/// One access unit out of an encoder. Times are in the track's timescale.
/// Video payload: length-prefixed (4-byte) NAL units, no parameter sets needed (they are in avcC).
/// Audio payload: one raw AAC frame (no ADTS header).
struct EncodedPacket {
    int trackIndex = 0;
    TrackKind kind = TrackKind::Video;
    int64_t pts = 0;
    int64_t dts = 0;
    int64_t duration = 0;   ///< nominal duration (frame duration / 1024 samples)
    bool isKeyframe = false;
    std::vector<uint8_t> data;
};

using EncodedPacketPtr = std::shared_ptr<const EncodedPacket>;

}  // namespace podium

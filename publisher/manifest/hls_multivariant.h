#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/encoded_packet.h"

namespace podium::publisher {

/// One video variant of the multivariant playlist. Bitrates in bits per second, video only
/// (the audio rendition's bitrate is added by the renderer).
struct HlsVideoVariant {
    TrackInfo track;                ///< codecString, width, height, fpsNum/fpsDen are used
    int64_t peakBitrateBps = 0;     ///< BANDWIDTH part of this video track
    int64_t averageBitrateBps = 0;  ///< AVERAGE-BANDWIDTH part; 0 = unknown (attribute omitted)
    std::string uri;                ///< media playlist URI, relative to the multivariant
};

/// The (single) demuxed audio rendition, group "aac".
struct HlsAudioRendition {
    TrackInfo track;  ///< codecString and channels are used
    int64_t peakBitrateBps = 0;
    int64_t averageBitrateBps = 0;
    std::string uri;
    std::string name = "main";  ///< NAME attribute
};

struct MultivariantInput {
    std::vector<HlsVideoVariant> variants;  ///< any order; rendered highest BANDWIDTH first
    std::optional<HlsAudioRendition> audio;
};

/// RFC 8216 §4.3.4 multivariant playlist for a demuxed fMP4 H.264/AAC ladder. Pure and
/// deterministic (same input, same text); callable from any thread. Lines end with '\n'.
std::string renderMultivariant(const MultivariantInput& input);

}  // namespace podium::publisher

#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "core/status.h"

namespace podium::publisher::origin {

/// One `video` / `audio` / `textstream` element of a Live Server Manifest.
struct LsmTrack {
    std::string kind;       ///< element name: "video", "audio", "textstream"
    uint32_t trackId = 0;   ///< param trackID (= tkhd/tfhd track_ID); 0 if absent
    std::string trackName;  ///< param trackName; empty if absent
    int systemBitrate = 0;  ///< bits per second (attribute, or the param of the same name)
    int64_t timescale = 0;  ///< param timescale; 0 if absent (Smooth default is 10 000 000)
    std::string fourCC;     ///< param FourCC ("H264", "AACL"); empty if absent
};

/// Reads the SMIL 2.0 XML of a Smooth Live Server Manifest (the uuid box payload after its
/// version/flags) into its track list. Accepts UTF-8 (with or without BOM) and UTF-16 LE/BE
/// (with BOM, or detected from a leading '<'). A small tolerant scanner, not a validating XML
/// parser: it reads the elements and attributes above and ignores everything else. Pure;
/// callable from any thread. Errors: Parse (not XML, bad UTF-16, no switch/track elements),
/// LimitExceeded (more than `maxTracks` track elements: a few bytes of `<video/>` each would
/// otherwise cost ~150 bytes of memory).
class LsmParser {
public:
    static Result<std::vector<LsmTrack>> parse(std::span<const uint8_t> xml, size_t maxTracks = 64);
};

/// Converts UTF-16 text (BOM decides the byte order, big-endian without one unless the first
/// code unit looks little-endian) to UTF-8. Exposed for tests.
Result<std::string> utf16ToUtf8(std::span<const uint8_t> bytes);

}  // namespace podium::publisher::origin

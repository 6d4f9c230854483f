#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "publisher/mp4/fourcc.h"

namespace podium::publisher::mp4 {

/// One parsed box. `payload` points into the buffer given to BoxReader::parse (which must
/// outlive the tree); offsets and sizes are in bytes from the start of that buffer.
struct Box {
    FourCC type;
    uint64_t offset = 0;                 ///< first header byte
    uint64_t size = 0;                   ///< whole box, header included
    uint32_t headerSize = 0;             ///< 8, 16 with largesize, +16 for 'uuid'
    std::array<uint8_t, 16> userType{};  ///< 'uuid' boxes only
    std::span<const uint8_t> payload;    ///< after the header (a FullBox's version/flags included)
    std::vector<Box> children;           ///< parsed for known containers and sample entries
};

/// Parses ISO BMFF bytes into a box tree, validating every size against its parent: malformed
/// input gives a Parse Status naming the box and its offset, never a crash. Supports size 0
/// ("to the end of the parent") and 64-bit largesize. The tree holds at most `maxBoxes` boxes
/// (a box costs ~100 bytes of tree for 8 bytes of input: hostile input of empty boxes would
/// otherwise grow memory twelvefold); more is a LimitExceeded Status. Pure; callable from any
/// thread.
class BoxReader {
public:
    static constexpr size_t kDefaultMaxBoxes = 65536;

    static Result<std::vector<Box>> parse(std::span<const uint8_t> bytes,
                                          size_t maxBoxes = kDefaultMaxBoxes);
};

/// Indented text tree ("moof [size 108]" then "  mfhd [size 16] sequence=1"), one line per box
/// with the key fields of the boxes Podium writes: for tests, golden diffs and debugging.
std::string dumpTree(const std::vector<Box>& boxes);
/// Parses then dumps; a parse failure is returned as "parse error: ..." text.
std::string dumpTree(std::span<const uint8_t> bytes);

/// The first box matching a '/'-separated type path from the top level ("moof/traf/tfdt"),
/// or nullptr.
const Box* findBox(const std::vector<Box>& boxes, std::string_view path);
/// Every box matching the path, in file order (e.g. all "moof" of a segment).
std::vector<const Box*> findAllBoxes(const std::vector<Box>& boxes, std::string_view path);

/// trun (ISO/IEC 14496-12 8.8.8) fields; absent optional fields are std::nullopt / 0.
struct TrunSample {
    uint32_t duration = 0;  ///< track timescale ticks
    uint32_t size = 0;      ///< bytes
    uint32_t flags = 0;
    int64_t compositionOffset = 0;  ///< signed with version 1
};
struct Trun {
    uint8_t version = 0;
    uint32_t flags = 0;
    std::optional<int32_t> dataOffset;
    std::optional<uint32_t> firstSampleFlags;
    std::vector<TrunSample> samples;
};
struct Tfhd {
    uint32_t flags = 0;
    uint32_t trackId = 0;
};

Result<uint32_t> readMfhd(const Box& mfhd);  ///< sequence_number
Result<uint64_t> readTfdt(const Box& tfdt);  ///< baseMediaDecodeTime (v0 or v1)
Result<Tfhd> readTfhd(const Box& tfhd);
/// Most samples one trun may declare by default: 65,536 samples (~1.5 MiB of TrunSample),
/// far above any real fragment (a 10 s fragment of 96 kHz AAC has 938).
inline constexpr uint32_t kDefaultMaxTrunSamples = 65536;
/// Errors: Parse (payload shorter than its sample_count needs), LimitExceeded (sample_count
/// above `maxSamples`; checked before anything is allocated: a count of default-sized samples
/// costs no payload bytes).
Result<Trun> readTrun(const Box& trun, uint32_t maxSamples = kDefaultMaxTrunSamples);

}  // namespace podium::publisher::mp4

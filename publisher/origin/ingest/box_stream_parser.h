#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <vector>

#include "core/status.h"
#include "publisher/mp4/fourcc.h"
#include "publisher/mp4/fragment_reader.h"

namespace podium::publisher::origin {

/// One complete top-level box cut out of a byte stream.
struct StreamBox {
    mp4::FourCC type;
    uint64_t offset = 0;         ///< position of its first header byte in the stream (bytes)
    uint32_t headerSize = 8;     ///< 8, or 16 with a 64-bit largesize
    std::vector<uint8_t> bytes;  ///< the whole box, header included

    /// A view for mp4::readFragment (valid while this box lives).
    [[nodiscard]] mp4::PlacedBox placed() const { return {bytes, offset, headerSize}; }
};

/// Splits an ISO BMFF byte stream (an ingest POST body) into top-level boxes as the bytes arrive,
/// whatever the chunking (one byte at a time included). A box is handed to the callback as soon as
/// its last byte arrives; only the box being assembled is buffered. Sizes are in bytes.
/// Errors: Parse for a size below 8, a largesize below 16, size 0 ("to the end of the stream",
/// unusable for a live body) or an incomplete box at finish(); LimitExceeded for a box larger
/// than the configured maximum (refused from its header, before its payload is buffered; a
/// header never makes the parser reserve more than 256 KiB ahead of the bytes received).
/// Errors are sticky: once failed, feed() and finish() keep returning the first error.
/// Not thread-safe: one parser per connection, called from that connection's thread.
class BoxStreamParser {
public:
    /// Receives each complete box; an error return stops parsing and is returned by feed().
    using BoxCallback = std::function<Result<void>(StreamBox&& box)>;
    /// Sees each box's type and stream offset as soon as its first 8 bytes arrive, before any
    /// size check or payload byte is buffered; an error return stops parsing (so a body that
    /// is not ISO BMFF is refused from its first 8 bytes, not after a megabytes-long "box").
    using HeaderCallback = std::function<Result<void>(mp4::FourCC type, uint64_t offset)>;

    static constexpr uint64_t kDefaultMaxBoxSize = 64ull * 1024 * 1024;

    explicit BoxStreamParser(BoxCallback onBox, uint64_t maxBoxSize = kDefaultMaxBoxSize,
                             HeaderCallback onHeader = {});

    /// Consumes `bytes`, emitting every box they complete.
    Result<void> feed(std::span<const uint8_t> bytes);
    /// End of the stream: an error if a box is incomplete.
    Result<void> finish();

    /// Bytes consumed so far (the stream offset of the next byte).
    [[nodiscard]] uint64_t position() const { return position_; }

private:
    Result<void> parseHeader();
    Result<void> fail(Status status);

    BoxCallback onBox_;
    HeaderCallback onHeader_;
    uint64_t maxBoxSize_;
    bool typeChecked_ = false;  ///< onHeader_ has seen the current box
    uint64_t position_ = 0;
    uint64_t boxSize_ = 0;  ///< 0 while the header of the current box is incomplete
    StreamBox current_;
    std::optional<Status> error_;
};

}  // namespace podium::publisher::origin

#include "publisher/origin/ingest/box_stream_parser.h"

#include <algorithm>
#include <string>

namespace podium::publisher::origin {

namespace {

uint64_t readBigEndian(const std::vector<uint8_t>& bytes, size_t at, size_t count) {
    uint64_t v = 0;
    for (size_t i = at; i < at + count; ++i) {
        v = (v << 8) | bytes[i];
    }
    return v;
}

// Bytes reserved when a box header arrives: a header costs 8 bytes to send, so it must not be
// able to make us allocate its claimed size up front.
constexpr uint64_t kInitialReserve = 256 * 1024;

std::string describe(const StreamBox& box) {
    return "box '" + box.type.toString() + "' at stream offset " + std::to_string(box.offset);
}

}  // namespace

BoxStreamParser::BoxStreamParser(BoxCallback onBox, uint64_t maxBoxSize, HeaderCallback onHeader)
    : onBox_(std::move(onBox)), onHeader_(std::move(onHeader)), maxBoxSize_(maxBoxSize) {}

Result<void> BoxStreamParser::fail(Status status) {
    error_ = status;
    return makeError(std::move(status));
}

// Called whenever the buffered header grows while the size is still unknown. Sets boxSize_ once
// the size (and the largesize, if any) is complete and valid.
Result<void> BoxStreamParser::parseHeader() {
    const auto& bytes = current_.bytes;
    if (bytes.size() < 8) {
        return ok();
    }
    current_.type = mp4::FourCC{uint32_t(readBigEndian(bytes, 4, 4))};
    if (onHeader_ && !typeChecked_) {
        typeChecked_ = true;
        if (auto accepted = onHeader_(current_.type, current_.offset); !accepted) {
            return fail(accepted.error());
        }
    }
    uint64_t size = readBigEndian(bytes, 0, 4);
    if (size == 1) {
        if (bytes.size() < 16) {
            return ok();
        }
        size = readBigEndian(bytes, 8, 8);
        current_.headerSize = 16;
        if (size < 16) {
            return fail(Status(ErrorCode::Parse, describe(current_) + ": largesize " +
                                                     std::to_string(size) +
                                                     " is smaller than its 16-byte header"));
        }
    } else if (size == 0) {
        return fail(
            Status(ErrorCode::Parse, describe(current_) +
                                         ": size 0 (box runs to the end of the stream) is not "
                                         "allowed in a live ingest"));
    } else if (size < 8) {
        return fail(Status(ErrorCode::Parse, describe(current_) + ": size " + std::to_string(size) +
                                                 " is smaller than its 8-byte header"));
    }
    if (size > maxBoxSize_) {
        return fail(
            Status(ErrorCode::LimitExceeded, describe(current_) + ": size " + std::to_string(size) +
                                                 " bytes exceeds the limit of " +
                                                 std::to_string(maxBoxSize_) + " bytes per box"));
    }
    boxSize_ = size;
    // The size is only a claim: reserve a little, let the buffer grow with the bytes that come.
    current_.bytes.reserve(size_t(std::min<uint64_t>(size, kInitialReserve)));
    return ok();
}

Result<void> BoxStreamParser::feed(std::span<const uint8_t> bytes) {
    if (error_) {
        return makeError(*error_);
    }
    while (!bytes.empty()) {
        if (current_.bytes.empty()) {
            current_.offset = position_;
            current_.headerSize = 8;
        }
        // Before the size is known take only header bytes; then up to the end of the box.
        const uint64_t wanted = boxSize_ == 0 ? (current_.bytes.size() < 8 ? 8 : 16) : boxSize_;
        const size_t take =
            size_t(std::min<uint64_t>(wanted - current_.bytes.size(), bytes.size()));
        current_.bytes.insert(current_.bytes.end(), bytes.begin(), bytes.begin() + take);
        bytes = bytes.subspan(take);
        position_ += take;
        if (boxSize_ == 0) {
            if (auto header = parseHeader(); !header) {
                return header;
            }
            if (boxSize_ == 0) {
                continue;
            }
        }
        if (current_.bytes.size() == boxSize_) {
            StreamBox done = std::move(current_);
            current_ = StreamBox{};
            boxSize_ = 0;
            typeChecked_ = false;
            if (auto handled = onBox_(std::move(done)); !handled) {
                return fail(handled.error());
            }
        }
    }
    return ok();
}

Result<void> BoxStreamParser::finish() {
    if (error_) {
        return makeError(*error_);
    }
    if (!current_.bytes.empty()) {
        const std::string what =
            boxSize_ == 0
                ? "a truncated box header (" + std::to_string(current_.bytes.size()) + " bytes)"
                : describe(current_) + " (" + std::to_string(current_.bytes.size()) + " of " +
                      std::to_string(boxSize_) + " bytes)";
        return fail(Status(ErrorCode::Parse, "stream ended inside " + what));
    }
    return ok();
}

}  // namespace podium::publisher::origin

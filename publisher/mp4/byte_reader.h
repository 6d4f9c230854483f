#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

namespace podium::publisher::mp4 {

/// Bounds-checked big-endian reader over a byte span (box payloads). Failure is sticky: a read
/// past the end returns 0 / an empty span and sets !ok(), so a parser can read a whole record
/// and check once. Not thread-safe; the span must outlive the reader.
class ByteReader {
public:
    explicit ByteReader(std::span<const uint8_t> data) : data_(data) {}

    uint8_t u8() { return static_cast<uint8_t>(readBigEndian(1)); }
    uint16_t u16() { return static_cast<uint16_t>(readBigEndian(2)); }
    uint32_t u24() { return static_cast<uint32_t>(readBigEndian(3)); }
    uint32_t u32() { return static_cast<uint32_t>(readBigEndian(4)); }
    uint64_t u64() { return readBigEndian(8); }
    int32_t i32() { return static_cast<int32_t>(u32()); }

    /// The next `count` bytes (empty and !ok() if fewer remain).
    std::span<const uint8_t> bytes(size_t count) {
        if (!take(count)) {
            return {};
        }
        return data_.subspan(position_ - count, count);
    }
    void skip(size_t count) { take(count); }

    [[nodiscard]] bool ok() const { return ok_; }
    [[nodiscard]] size_t position() const { return position_; }
    [[nodiscard]] size_t remaining() const { return data_.size() - position_; }

private:
    bool take(size_t count) {
        if (!ok_ || count > remaining()) {
            ok_ = false;
            return false;
        }
        position_ += count;
        return true;
    }
    uint64_t readBigEndian(size_t count) {
        if (!take(count)) {
            return 0;
        }
        uint64_t v = 0;
        for (size_t i = position_ - count; i < position_; ++i) {
            v = (v << 8) | data_[i];
        }
        return v;
    }

    std::span<const uint8_t> data_;
    size_t position_ = 0;
    bool ok_ = true;
};

}  // namespace podium::publisher::mp4

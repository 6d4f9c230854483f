#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "publisher/mp4/fourcc.h"

namespace podium::publisher::mp4 {

class BoxWriter;

/// An open box: created by BoxWriter::beginBox/beginFullBox/beginUuidBox, it writes the final
/// 32-bit size into the box header when it goes out of scope (or on close()). Move-only.
/// Scopes must end in reverse order of creation (nesting), which C++ scoping gives for free.
class BoxScope {
public:
    BoxScope(BoxWriter& writer, size_t start) : writer_(&writer), start_(start) {}
    BoxScope(BoxScope&& other) noexcept : writer_(other.writer_), start_(other.start_) {
        other.writer_ = nullptr;
    }
    BoxScope(const BoxScope&) = delete;
    BoxScope& operator=(const BoxScope&) = delete;
    BoxScope& operator=(BoxScope&&) = delete;
    ~BoxScope() { close(); }

    /// Patches the size now (idempotent). Returns the box size in bytes.
    size_t close();
    /// Offset of the box's first header byte in the writer's buffer.
    [[nodiscard]] size_t start() const { return start_; }

private:
    BoxWriter* writer_;
    size_t start_;
    size_t size_ = 0;
};

/// Appends big-endian ISO BMFF fields to a growing byte buffer. Not thread-safe: one writer per
/// builder call. Sizes are in bytes; boxes larger than 4 GiB are not supported (a CMAF chunk or
/// header never comes close), and the 32-bit size field is patched when the scope ends.
class BoxWriter {
public:
    void writeU8(uint8_t v) { bytes_.push_back(v); }
    void writeU16(uint16_t v) { writeBigEndian(v, 2); }
    void writeU24(uint32_t v) { writeBigEndian(v, 3); }
    void writeU32(uint32_t v) { writeBigEndian(v, 4); }
    void writeU64(uint64_t v) { writeBigEndian(v, 8); }
    void writeI16(int16_t v) { writeU16(static_cast<uint16_t>(v)); }
    void writeI32(int32_t v) { writeU32(static_cast<uint32_t>(v)); }
    void writeI64(int64_t v) { writeU64(static_cast<uint64_t>(v)); }
    void writeFourCC(FourCC code) { writeU32(code.value); }
    void writeBytes(std::span<const uint8_t> data) {
        bytes_.insert(bytes_.end(), data.begin(), data.end());
    }
    void writeZeros(size_t count) { bytes_.insert(bytes_.end(), count, 0); }

    /// size(32) + type(32); the size is patched by the returned scope.
    [[nodiscard]] BoxScope beginBox(FourCC type);
    /// beginBox + version(8) + flags(24) (ISO/IEC 14496-12 4.2 FullBox).
    [[nodiscard]] BoxScope beginFullBox(FourCC type, uint8_t version, uint32_t flags);
    /// 'uuid' box with its 16-byte extended type (used by Smooth Streaming's tfxd/tfrf).
    [[nodiscard]] BoxScope beginUuidBox(const std::array<uint8_t, 16>& userType);

    /// Overwrites 4 bytes at `offset` (already written), e.g. trun's data_offset.
    void patchU32(size_t offset, uint32_t v);

    [[nodiscard]] size_t size() const { return bytes_.size(); }
    [[nodiscard]] const std::vector<uint8_t>& bytes() const { return bytes_; }
    /// Moves the buffer out; the writer is empty afterwards.
    [[nodiscard]] std::vector<uint8_t> take() { return std::move(bytes_); }

private:
    void writeBigEndian(uint64_t v, int byteCount) {
        for (int i = byteCount - 1; i >= 0; --i) {
            bytes_.push_back(static_cast<uint8_t>(v >> (8 * i)));
        }
    }

    std::vector<uint8_t> bytes_;
};

}  // namespace podium::publisher::mp4

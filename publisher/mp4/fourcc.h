#pragma once

#include <cstdint>
#include <string>

namespace podium::publisher::mp4 {

/// A four-character code (ISO/IEC 14496-12 box type, brand, handler type), stored as the
/// big-endian 32-bit value it has on the wire. Usable from any thread; constexpr.
///   constexpr FourCC kMoof{"moof"};
struct FourCC {
    uint32_t value = 0;

    constexpr FourCC() = default;
    constexpr explicit FourCC(uint32_t v) : value(v) {}
    /// From a 4-letter string literal; the terminating NUL is not part of the code.
    constexpr FourCC(const char (&s)[5])  // NOLINT(google-explicit-constructor)
        : value((uint32_t(uint8_t(s[0])) << 24) | (uint32_t(uint8_t(s[1])) << 16) |
                (uint32_t(uint8_t(s[2])) << 8) | uint32_t(uint8_t(s[3]))) {}

    /// "moof"; bytes outside printable ASCII are shown as '.' so logs stay readable.
    [[nodiscard]] std::string toString() const {
        std::string out(4, '.');
        for (int i = 0; i < 4; ++i) {
            const auto c = static_cast<char>((value >> (24 - 8 * i)) & 0xff);
            out[static_cast<size_t>(i)] = (c >= 0x20 && c < 0x7f) ? c : '.';
        }
        return out;
    }

    friend constexpr bool operator==(FourCC a, FourCC b) = default;
};

}  // namespace podium::publisher::mp4

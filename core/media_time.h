#pragma once

#include <compare>
#include <cstdint>
#include <string>

namespace podium {

/// Timescale of every video track (ticks per second): a multiple of all common frame rates.
inline constexpr int32_t kVideoTimescale = 90000;

enum class Rounding { Down = 1, Nearest, Up };

/// A point or span on a media timeline: `value` ticks of 1/`timescale` seconds.
/// The one time type that crosses module boundaries (never a bare int64 "pts").
struct MediaTime {
    int64_t value = 0;
    int32_t timescale = kVideoTimescale;

    static MediaTime fromSeconds(double seconds, int32_t timescale);

    /// The same instant in another timescale, rounded as asked (floor division for negatives).
    [[nodiscard]] MediaTime rescaled(int32_t newTimescale, Rounding rounding = Rounding::Down) const;
    [[nodiscard]] double seconds() const { return double(value) / double(timescale); }
    [[nodiscard]] std::string toString() const;

    friend std::strong_ordering operator<=>(const MediaTime& a, const MediaTime& b);
    friend bool operator==(const MediaTime& a, const MediaTime& b) { return (a <=> b) == 0; }
    friend MediaTime operator+(const MediaTime& a, const MediaTime& b);
    friend MediaTime operator-(const MediaTime& a, const MediaTime& b);
};

/// Rescales a tick count between timescales: value * to / from, rounded as asked. Exact (128-bit).
int64_t rescaleTicks(int64_t value, int64_t from, int64_t to, Rounding rounding = Rounding::Down);

}  // namespace podium

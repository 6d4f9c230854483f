#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace podium::publisher::hls {

/// RFC 8216 §4.2 attribute-list formatting: the one place that knows how HLS writes numbers,
/// strings and resolutions. Pure functions, locale-independent (std::to_chars), callable from
/// any thread.

/// `"text"`; characters a quoted-string may not hold (double quote, CR, LF) are dropped.
std::string quoted(std::string_view text);

/// `1280x720` (decimal-resolution).
std::string resolution(int width, int height);

/// Frames per second with 3 decimals: 30/1 -> `30.000`, 30000/1001 -> `29.970`.
std::string frameRate(int num, int den);

/// A decimal-floating-point with exactly `decimals` digits after the point (`2.00000`).
/// Negative values are clamped to 0 (HLS has no negative durations).
std::string decimalFloat(double value, int decimals);

/// The EXTINF / EXT-X-PART duration text: seconds with 5 decimals.
std::string durationText(double seconds);

/// The value printed by durationText(), back as a number (what a player reads).
double roundedDuration(double seconds);

/// The smallest EXT-X-TARGETDURATION a segment of `seconds` allows: its printed EXTINF rounded
/// to the nearest integer (RFC 8216 4.3.3.1), at least 1. The one rule of both HLS writers
/// (the live playlists and the archive); each also keeps its nominal target as a floor.
int targetDurationFor(double seconds);

/// ISO 8601 UTC with milliseconds for EXT-X-PROGRAM-DATE-TIME: `2026-11-25T12:00:00.000Z`.
/// `unixMillis` = milliseconds since 1970-01-01T00:00:00Z.
std::string isoDateTime(int64_t unixMillis);

/// Builds `NAME=value,NAME="value",...` in insertion order.
class AttributeList {
public:
    AttributeList& integer(std::string_view name, int64_t value);
    AttributeList& quotedString(std::string_view name, std::string_view value);
    /// An enumerated-string or any value already formatted by the helpers above.
    AttributeList& raw(std::string_view name, std::string_view value);

    [[nodiscard]] const std::string& str() const { return text_; }

private:
    void addName(std::string_view name);
    std::string text_;
};

}  // namespace podium::publisher::hls

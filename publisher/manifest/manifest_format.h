#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "core/media_time.h"

namespace podium::publisher::manifest {

/// Text helpers shared by the DASH and Smooth renderers: XML escaping, xs:duration, hex.
/// Pure, locale-independent, callable from any thread.

/// Escapes & < > " ' for an XML attribute value or text node.
std::string xmlEscape(std::string_view text);

/// xs:duration with at most 3 decimals of seconds: 2.0 -> "PT2S", 0.5 -> "PT0.5S",
/// 90.25 -> "PT90.25S" (seconds only, no minutes: every DASH client reads that form).
std::string isoDuration(double seconds);

/// A decimal with at most 3 decimals, trailing zeros dropped: 1.5 -> "1.5", 2.0 -> "2".
std::string decimalText(double value);

/// xs:dateTime in UTC with milliseconds: "2026-11-25T12:00:00.000Z".
std::string isoDateTime(int64_t unixMillis);

/// Upper-case hex of the bytes, no separators ("0000000167640...").
std::string hexUpper(std::span<const uint8_t> bytes);

/// Seconds of a MediaTime, rounded to milliseconds (what the renderers print).
double roundedSeconds(MediaTime t);

}  // namespace podium::publisher::manifest

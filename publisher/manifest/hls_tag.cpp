#include "publisher/manifest/hls_tag.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <ctime>

namespace podium::publisher::hls {

std::string quoted(std::string_view text) {
    std::string out;
    out.reserve(text.size() + 2);
    out += '"';
    for (const char c : text) {
        if (c != '"' && c != '\r' && c != '\n') {
            out += c;
        }
    }
    out += '"';
    return out;
}

std::string resolution(int width, int height) {
    return std::to_string(width) + "x" + std::to_string(height);
}

std::string frameRate(int num, int den) {
    if (num <= 0 || den <= 0) {
        return decimalFloat(0.0, 3);
    }
    return decimalFloat(double(num) / double(den), 3);
}

std::string decimalFloat(double value, int decimals) {
    if (!std::isfinite(value) || value < 0.0) {
        value = 0.0;
    }
    std::array<char, 64> buffer{};
    const auto result = std::to_chars(buffer.data(), buffer.data() + buffer.size(), value,
                                      std::chars_format::fixed, decimals);
    if (result.ec != std::errc()) {
        return "0";
    }
    return std::string(buffer.data(), result.ptr);
}

std::string durationText(double seconds) {
    return decimalFloat(seconds, 5);
}

double roundedDuration(double seconds) {
    const std::string text = durationText(seconds);
    double value = 0.0;
    std::from_chars(text.data(), text.data() + text.size(), value);
    return value;
}

int targetDurationFor(double seconds) {
    return std::max(1, static_cast<int>(std::lround(roundedDuration(seconds))));
}

std::string isoDateTime(int64_t unixMillis) {
    // Floor division so that times before 1970 still print a valid date.
    int64_t seconds = unixMillis / 1000;
    int64_t millis = unixMillis % 1000;
    if (millis < 0) {
        millis += 1000;
        seconds -= 1;
    }
    const std::time_t t = static_cast<std::time_t>(seconds);
    std::tm utc{};
    gmtime_r(&t, &utc);
    std::array<char, 96> buffer{};
    std::snprintf(buffer.data(), buffer.size(), "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ",
                  utc.tm_year + 1900, utc.tm_mon + 1, utc.tm_mday, utc.tm_hour, utc.tm_min,
                  utc.tm_sec, static_cast<int>(millis));
    return buffer.data();
}

void AttributeList::addName(std::string_view name) {
    if (!text_.empty()) {
        text_ += ',';
    }
    text_ += name;
    text_ += '=';
}

AttributeList& AttributeList::integer(std::string_view name, int64_t value) {
    addName(name);
    text_ += std::to_string(value < 0 ? 0 : value);
    return *this;
}

AttributeList& AttributeList::quotedString(std::string_view name, std::string_view value) {
    addName(name);
    text_ += quoted(value);
    return *this;
}

AttributeList& AttributeList::raw(std::string_view name, std::string_view value) {
    addName(name);
    text_ += value;
    return *this;
}

}  // namespace podium::publisher::hls

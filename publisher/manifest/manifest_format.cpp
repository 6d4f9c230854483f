#include "publisher/manifest/manifest_format.h"

#include <array>
#include <charconv>
#include <cmath>

#include "publisher/manifest/hls_tag.h"

namespace podium::publisher::manifest {

std::string xmlEscape(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (const char c : text) {
        switch (c) {
            case '&':
                out += "&amp;";
                break;
            case '<':
                out += "&lt;";
                break;
            case '>':
                out += "&gt;";
                break;
            case '"':
                out += "&quot;";
                break;
            case '\'':
                out += "&apos;";
                break;
            default:
                out += c;
        }
    }
    return out;
}

std::string isoDuration(double seconds) {
    if (!std::isfinite(seconds) || seconds < 0) {
        seconds = 0;
    }
    const int64_t millis = std::llround(seconds * 1000.0);
    std::string out = "PT" + std::to_string(millis / 1000);
    int64_t fraction = millis % 1000;
    if (fraction != 0) {
        std::string digits = std::to_string(fraction);
        digits.insert(0, 3 - digits.size(), '0');
        while (!digits.empty() && digits.back() == '0') {
            digits.pop_back();
        }
        out += "." + digits;
    }
    return out + "S";
}

std::string decimalText(double value) {
    std::string text = hls::decimalFloat(value, 3);
    while (text.find('.') != std::string::npos && (text.back() == '0' || text.back() == '.')) {
        const bool dot = text.back() == '.';
        text.pop_back();
        if (dot) {
            break;
        }
    }
    return text;
}

std::string isoDateTime(int64_t unixMillis) {
    return hls::isoDateTime(unixMillis);
}

std::string hexUpper(std::span<const uint8_t> bytes) {
    static constexpr std::array<char, 16> kDigits = {'0', '1', '2', '3', '4', '5', '6', '7',
                                                     '8', '9', 'A', 'B', 'C', 'D', 'E', 'F'};
    std::string out;
    out.reserve(bytes.size() * 2);
    for (const uint8_t b : bytes) {
        out += kDigits[b >> 4];
        out += kDigits[b & 0x0f];
    }
    return out;
}

double roundedSeconds(MediaTime t) {
    return t.timescale > 0 ? std::round(t.seconds() * 1000.0) / 1000.0 : 0.0;
}

}  // namespace podium::publisher::manifest

#include "publisher/origin/server/access_control.h"

#include <cstdint>

namespace podium::publisher::origin {
namespace {

int base64Value(char c) {
    if (c >= 'A' && c <= 'Z')
        return c - 'A';
    if (c >= 'a' && c <= 'z')
        return c - 'a' + 26;
    if (c >= '0' && c <= '9')
        return c - '0' + 52;
    if (c == '+')
        return 62;
    if (c == '/')
        return 63;
    return -1;
}

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
        s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t'))
        s.remove_suffix(1);
    return s;
}

/// Case-insensitive "Scheme " prefix match; returns the credentials after it.
std::optional<std::string_view> afterScheme(std::string_view header, std::string_view scheme) {
    header = trim(header);
    if (header.size() <= scheme.size() || header[scheme.size()] != ' ')
        return std::nullopt;
    for (std::size_t i = 0; i < scheme.size(); ++i) {
        char c = header[i];
        if (c >= 'A' && c <= 'Z')
            c = static_cast<char>(c - 'A' + 'a');
        if (c != scheme[i])
            return std::nullopt;
    }
    return trim(header.substr(scheme.size() + 1));
}

}  // namespace

bool constantTimeEquals(std::string_view a, std::string_view b) {
    // Walk the longer length so the time does not reveal the length of a prefix match.
    const std::size_t n = a.size() > b.size() ? a.size() : b.size();
    uint8_t diff = a.size() == b.size() ? 0 : 1;
    for (std::size_t i = 0; i < n; ++i) {
        const uint8_t x = i < a.size() ? static_cast<uint8_t>(a[i]) : 0;
        const uint8_t y = i < b.size() ? static_cast<uint8_t>(b[i]) : 0;
        diff |= static_cast<uint8_t>(x ^ y);
    }
    return diff == 0;
}

std::optional<std::string> decodeBase64(std::string_view text) {
    while (!text.empty() && text.back() == '=')
        text.remove_suffix(1);
    std::string out;
    uint32_t acc = 0;
    int bits = 0;
    for (char c : text) {
        const int v = base64Value(c);
        if (v < 0)
            return std::nullopt;
        acc = (acc << 6) | static_cast<uint32_t>(v);
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out.push_back(static_cast<char>((acc >> bits) & 0xFF));
        }
    }
    return out;
}

std::optional<std::string> presentedToken(std::string_view authorization) {
    if (trim(authorization).empty())
        return std::nullopt;
    if (auto bearer = afterScheme(authorization, "bearer"))
        return std::string(*bearer);
    if (auto basic = afterScheme(authorization, "basic")) {
        auto decoded = decodeBase64(*basic);
        if (!decoded)
            return std::string();
        const std::size_t colon = decoded->find(':');
        if (colon == std::string::npos)
            return std::string();
        return decoded->substr(colon + 1);
    }
    return std::nullopt;  // an unknown scheme: ask for Basic
}

PublishAuth checkPublishToken(std::string_view authorization, std::string_view token) {
    if (token.empty())
        return PublishAuth::Allowed;
    const auto presented = presentedToken(authorization);
    if (!presented)
        return PublishAuth::Missing;
    return !presented->empty() && constantTimeEquals(*presented, token) ? PublishAuth::Allowed
                                                                        : PublishAuth::Wrong;
}

std::optional<std::string> cookieValue(std::string_view cookieHeader, std::string_view name) {
    std::size_t pos = 0;
    while (pos < cookieHeader.size()) {
        std::size_t semi = cookieHeader.find(';', pos);
        if (semi == std::string_view::npos)
            semi = cookieHeader.size();
        std::string_view pair = trim(cookieHeader.substr(pos, semi - pos));
        pos = semi + 1;
        const std::size_t eq = pair.find('=');
        if (eq != std::string_view::npos && trim(pair.substr(0, eq)) == name) {
            std::string_view value = trim(pair.substr(eq + 1));
            if (value.size() >= 2 && value.front() == '"' && value.back() == '"') {
                value = value.substr(1, value.size() - 2);
            }
            return std::string(value);
        }
    }
    return std::nullopt;
}

std::string cookieEncode(std::string_view text) {
    static constexpr char kHex[] = "0123456789ABCDEF";
    std::string out;
    for (char c : text) {
        const auto u = static_cast<unsigned char>(c);
        const bool plain = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                           (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.' || c == '~';
        if (plain) {
            out.push_back(c);
        } else {
            out += {'%', kHex[u >> 4], kHex[u & 15]};
        }
    }
    return out;
}

bool viewerAllowed(std::string_view passcode, const std::optional<std::string>& code,
                   std::string_view cookieHeader) {
    if (passcode.empty())
        return true;
    if (code && constantTimeEquals(*code, passcode))
        return true;
    const auto cookie = cookieValue(cookieHeader, kViewCookie);
    return cookie && constantTimeEquals(*cookie, cookieEncode(passcode));
}

}  // namespace podium::publisher::origin

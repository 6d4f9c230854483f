#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace podium {

/// The one rule for the names that become URL path elements and folder names: channel names
/// (`/live/<channel>/`), track ids (`/live/<channel>/<track>/`, archive folders). Letters,
/// digits, '-' and '_', 1 to kMaxUrlNameLength characters. The CLI, the GUI, the session, the
/// router, the publish tokens, ingest and the pull client all use it. Pure.
inline constexpr std::size_t kMaxUrlNameLength = 64;

/// [A-Za-z0-9_-] (ASCII only, whatever the locale).
[[nodiscard]] constexpr bool isUrlNameChar(char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' ||
           c == '-';
}

/// True when `name` follows the rule.
[[nodiscard]] bool isUrlName(std::string_view name);

/// The rule in words, for error messages: "letters, digits, - and _ (1 to 64 characters)".
[[nodiscard]] std::string urlNameRule();

/// `text` made to follow the rule: other characters become '_', the result is cut to the
/// longest name, and an empty one becomes `fallback` (ids taken from another server's text).
[[nodiscard]] std::string toUrlName(std::string_view text, std::string_view fallback);

}  // namespace podium

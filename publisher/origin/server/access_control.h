#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace podium::publisher::origin {

// Credentials checks of the origin: the publish token for ingest and the viewer passcode for
// pages and media. Pure functions; any thread. Secrets are compared in constant time.

enum class PublishAuth {
    Allowed,  ///< no token configured, or the right token
    Missing,  ///< no usable Authorization header → 401 + WWW-Authenticate
    Wrong,    ///< credentials present but not the token → 403
};

/// The credential of an Authorization header: the Bearer token, or the password of Basic (any
/// user name). nullopt when there is none (no header, another scheme); a malformed Basic value
/// gives an empty string, which equals no token.
[[nodiscard]] std::optional<std::string> presentedToken(std::string_view authorization);

/// Checks `Authorization: Bearer <token>` or `Basic base64(user:token)` (any user name).
/// An empty `token` means open ingest.
[[nodiscard]] PublishAuth checkPublishToken(std::string_view authorization, std::string_view token);

/// True when `a` equals `b`; the time taken does not depend on where they differ.
[[nodiscard]] bool constantTimeEquals(std::string_view a, std::string_view b);

/// The value of cookie `name` in a Cookie header ("a=1; podium_view=x"), or nullopt.
[[nodiscard]] std::optional<std::string> cookieValue(std::string_view cookieHeader,
                                                     std::string_view name);

inline constexpr std::string_view kViewCookie = "podium_view";

/// Percent-encodes all but unreserved characters: the cookie form of a passcode.
[[nodiscard]] std::string cookieEncode(std::string_view text);

/// Whether a viewer may see pages and media: no passcode configured, or the right one in
/// the `code` query parameter or the podium_view cookie.
[[nodiscard]] bool viewerAllowed(std::string_view passcode, const std::optional<std::string>& code,
                                 std::string_view cookieHeader);

/// Decodes standard base64 (padding optional); nullopt on a bad character.
[[nodiscard]] std::optional<std::string> decodeBase64(std::string_view text);

}  // namespace podium::publisher::origin

#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "publisher/origin/server/access_control.h"

namespace podium::publisher::origin {

/// Who may publish (POST ingest) into which channel: tokens valid for every channel and tokens
/// valid for one channel, from `--publish-token` and `--publish-token-file`. With no token at
/// all ingest is open (in-process tests, a loopback origin); the command-line front ends never
/// leave it open by accident (an empty token is refused). Tokens are compared in constant time
/// and never appear in an error message. Immutable once built; any thread.
class PublishTokens {
public:
    static constexpr std::string_view kAnyChannel = "*";

    /// Parses a token file: one "CHANNEL TOKEN" per line (CHANNEL "*" = any channel), blank
    /// lines and lines starting with '#' ignored. Errors name `source` and the line number.
    [[nodiscard]] static Result<PublishTokens> parse(std::string_view text,
                                                     const std::string& source);
    /// Reads and parses FILE (see parse); an unreadable or empty file is an error.
    [[nodiscard]] static Result<PublishTokens> loadFile(const std::string& path);

    /// Adds `token` for `channel` (or kAnyChannel). InvalidArgument for an empty token or one
    /// with white space, or a channel name the origin's URLs cannot carry.
    [[nodiscard]] Result<void> add(std::string channel, std::string token);
    /// Adds every token of `other`.
    void merge(const PublishTokens& other);

    [[nodiscard]] bool empty() const { return tokens_.empty(); }
    [[nodiscard]] std::size_t size() const;
    /// Whether `presented` is a token of `channel` or of every channel. Every candidate is
    /// compared, in constant time each, whatever matched first.
    [[nodiscard]] bool matches(std::string_view channel, std::string_view presented) const;

private:
    std::map<std::string, std::vector<std::string>, std::less<>> tokens_;  ///< channel → tokens
};

/// The ingest check of an origin: the Authorization header against `tokens` and
/// `anyChannelToken` (--publish-token; empty = none). Allowed when neither holds a token.
[[nodiscard]] PublishAuth checkPublisher(const PublishTokens& tokens,
                                         std::string_view anyChannelToken, std::string_view channel,
                                         std::string_view authorization);

}  // namespace podium::publisher::origin

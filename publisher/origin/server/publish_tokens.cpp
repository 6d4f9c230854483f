#include "publisher/origin/server/publish_tokens.h"

#include <fstream>
#include <sstream>

#include "core/url_name.h"

namespace podium::publisher::origin {

namespace {

bool isChannelName(std::string_view name) {
    return isUrlName(name);
}

bool isBlank(char c) {
    return c == ' ' || c == '\t' || c == '\r';
}

/// Splits a line into white-space separated fields.
std::vector<std::string_view> fields(std::string_view line) {
    std::vector<std::string_view> out;
    std::size_t i = 0;
    while (i < line.size()) {
        while (i < line.size() && isBlank(line[i])) {
            ++i;
        }
        const std::size_t start = i;
        while (i < line.size() && !isBlank(line[i])) {
            ++i;
        }
        if (i > start) {
            out.push_back(line.substr(start, i - start));
        }
    }
    return out;
}

}  // namespace

Result<void> PublishTokens::add(std::string channel, std::string token) {
    if (channel != kAnyChannel && !isChannelName(channel)) {
        return makeError(ErrorCode::InvalidArgument,
                         "channel \"" + channel + "\" may use letters, digits, - and _ (or *)");
    }
    if (token.empty()) {
        return makeError(ErrorCode::InvalidArgument, "empty publish token");
    }
    for (char c : token) {
        if (isBlank(c) || c == '\n' || static_cast<unsigned char>(c) < 0x20) {
            return makeError(ErrorCode::InvalidArgument,
                             "a publish token may not contain white space or control characters");
        }
    }
    tokens_[std::move(channel)].push_back(std::move(token));
    return ok();
}

void PublishTokens::merge(const PublishTokens& other) {
    for (const auto& [channel, tokens] : other.tokens_) {
        auto& mine = tokens_[channel];
        mine.insert(mine.end(), tokens.begin(), tokens.end());
    }
}

std::size_t PublishTokens::size() const {
    std::size_t n = 0;
    for (const auto& [channel, tokens] : tokens_) {
        n += tokens.size();
    }
    return n;
}

Result<PublishTokens> PublishTokens::parse(std::string_view text, const std::string& source) {
    PublishTokens out;
    std::size_t lineNumber = 0;
    std::size_t pos = 0;
    while (pos <= text.size()) {
        std::size_t end = text.find('\n', pos);
        if (end == std::string_view::npos) {
            end = text.size();
        }
        const std::string_view line = text.substr(pos, end - pos);
        pos = end + 1;
        ++lineNumber;
        const auto parts = fields(line);
        if (parts.empty() || parts.front().front() == '#') {
            continue;
        }
        const std::string where = source + " line " + std::to_string(lineNumber);
        if (parts.size() != 2) {
            return makeError(ErrorCode::InvalidArgument,
                             where + ": expected \"CHANNEL TOKEN\" (CHANNEL * for any channel)");
        }
        if (auto added = out.add(std::string(parts[0]), std::string(parts[1])); !added) {
            return makeError(added.error().withContext(where));
        }
    }
    if (out.empty()) {
        return makeError(ErrorCode::InvalidArgument, source + " holds no \"CHANNEL TOKEN\" line");
    }
    return out;
}

Result<PublishTokens> PublishTokens::loadFile(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        return makeError(ErrorCode::NotFound, "cannot read publish token file " + path);
    }
    std::ostringstream text;
    text << in.rdbuf();
    return parse(text.str(), path);
}

bool PublishTokens::matches(std::string_view channel, std::string_view presented) const {
    bool allowed = false;
    for (std::string_view key : {channel, kAnyChannel}) {
        const auto it = tokens_.find(key);
        if (it == tokens_.end()) {
            continue;
        }
        for (const std::string& token : it->second) {
            allowed = constantTimeEquals(presented, token) || allowed;
        }
    }
    return allowed;
}

PublishAuth checkPublisher(const PublishTokens& tokens, std::string_view anyChannelToken,
                           std::string_view channel, std::string_view authorization) {
    if (tokens.empty() && anyChannelToken.empty()) {
        return PublishAuth::Allowed;
    }
    const auto presented = presentedToken(authorization);
    if (!presented) {
        return PublishAuth::Missing;
    }
    if (presented->empty()) {
        return PublishAuth::Wrong;
    }
    const bool byFile = tokens.matches(channel, *presented);
    const bool byFlag = !anyChannelToken.empty() && constantTimeEquals(*presented, anyChannelToken);
    return byFile || byFlag ? PublishAuth::Allowed : PublishAuth::Wrong;
}

}  // namespace podium::publisher::origin

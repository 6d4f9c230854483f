#include "publisher/push/push_target.h"

#include <cctype>

namespace podium::publisher::push {

namespace {

std::string toLower(std::string s) {
    for (char& c : s) {
        c = char(std::tolower(static_cast<unsigned char>(c)));
    }
    return s;
}

std::string percentDecode(const std::string& s) {
    std::string out;
    for (size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '%' && i + 2 < s.size() &&
            std::isxdigit(static_cast<unsigned char>(s[i + 1])) &&
            std::isxdigit(static_cast<unsigned char>(s[i + 2]))) {
            out.push_back(char(std::stoi(s.substr(i + 1, 2), nullptr, 16)));
            i += 2;
        } else {
            out.push_back(s[i]);
        }
    }
    return out;
}

struct SplitUrl {
    std::string url;
    std::string user;
    std::string password;
};

/// Checks the scheme and host, takes the userinfo out and drops a trailing '/'.
Result<SplitUrl> splitUrl(const std::string& raw) {
    const auto schemeEnd = raw.find("://");
    const std::string scheme =
        schemeEnd == std::string::npos ? "" : toLower(raw.substr(0, schemeEnd));
    if (scheme != "http" && scheme != "https") {
        return makeError(ErrorCode::InvalidArgument,
                         "publishing point URL must start with http:// or https://: " + raw);
    }
    const size_t authorityStart = schemeEnd + 3;
    const size_t pathStart = raw.find('/', authorityStart);
    std::string authority =
        raw.substr(authorityStart,
                   pathStart == std::string::npos ? std::string::npos : pathStart - authorityStart);
    const std::string path = pathStart == std::string::npos ? "" : raw.substr(pathStart);
    SplitUrl out;
    if (const auto at = authority.rfind('@'); at != std::string::npos) {
        const std::string userinfo = authority.substr(0, at);
        authority = authority.substr(at + 1);
        const auto colon = userinfo.find(':');
        out.user = percentDecode(userinfo.substr(0, colon));
        out.password = colon == std::string::npos ? "" : percentDecode(userinfo.substr(colon + 1));
    }
    if (authority.empty()) {
        return makeError(ErrorCode::InvalidArgument, "publishing point URL has no host: " + raw);
    }
    out.url = scheme + "://" + authority + path;
    while (out.url.size() > scheme.size() + 3 + authority.size() && out.url.back() == '/') {
        out.url.pop_back();
    }
    return out;
}

}  // namespace

const char* protocolName(PushTarget::Protocol protocol) {
    switch (protocol) {
        case PushTarget::Protocol::Smooth:
            return "smooth";
        case PushTarget::Protocol::Cmaf:
            return "cmaf";
        case PushTarget::Protocol::Hls:
            return "hls";
        case PushTarget::Protocol::Dash:
            return "dash";
    }
    return "?";
}

Result<PushTarget> PushTarget::parse(const std::string& spec, const std::string& token) {
    PushTarget target;
    target.token = token;
    std::string rest = spec;
    bool explicitProtocol = false;
    if (const auto eq = spec.find('='); eq != std::string::npos && spec.find("://") > eq) {
        const std::string name = toLower(spec.substr(0, eq));
        rest = spec.substr(eq + 1);
        explicitProtocol = true;
        if (name == "smooth") {
            target.protocol = Protocol::Smooth;
        } else if (name == "cmaf") {
            target.protocol = Protocol::Cmaf;
        } else if (name == "hls") {
            target.protocol = Protocol::Hls;
        } else if (name == "dash") {
            target.protocol = Protocol::Dash;
        } else {
            return makeError(ErrorCode::InvalidArgument, "unknown publishing protocol '" + name +
                                                             "' (use smooth, cmaf, hls or dash)");
        }
    }
    std::vector<std::string> parts;
    size_t start = 0;
    while (start <= rest.size()) {
        const size_t comma = rest.find(',', start);
        parts.push_back(
            rest.substr(start, comma == std::string::npos ? std::string::npos : comma - start));
        if (comma == std::string::npos) {
            break;
        }
        start = comma + 1;
    }
    for (size_t i = 0; i < parts.size(); ++i) {
        auto split = splitUrl(parts[i]);
        if (!split) {
            return makeError(split.error());
        }
        if (i == 0) {
            target.url = split->url;
            target.user = split->user;
            target.password = split->password;
        } else {
            target.backupUrls.push_back(split->url);
        }
    }
    if (!explicitProtocol) {
        const auto pathStart = target.url.find('/', target.url.find("://") + 3);
        const bool isml = pathStart != std::string::npos &&
                          toLower(target.url.substr(pathStart)).find(".isml") != std::string::npos;
        target.protocol = isml ? Protocol::Smooth : Protocol::Cmaf;
    }
    return target;
}

std::vector<std::string> PushTarget::urls() const {
    std::vector<std::string> out{url};
    out.insert(out.end(), backupUrls.begin(), backupUrls.end());
    return out;
}

}  // namespace podium::publisher::push

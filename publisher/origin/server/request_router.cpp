#include "publisher/origin/server/request_router.h"

#include <charconv>
#include <vector>

namespace podium::publisher::origin {
namespace {

int hexValue(char c) {
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/// Percent-decodes `text`; nullopt on a malformed escape or an encoded NUL.
std::optional<std::string> percentDecode(std::string_view text, bool plusIsSpace) {
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size(); ++i) {
        char c = text[i];
        if (c == '%') {
            if (i + 2 >= text.size())
                return std::nullopt;
            int hi = hexValue(text[i + 1]);
            int lo = hexValue(text[i + 2]);
            if (hi < 0 || lo < 0 || (hi == 0 && lo == 0))
                return std::nullopt;
            out.push_back(static_cast<char>(hi * 16 + lo));
            i += 2;
        } else if (c == '+' && plusIsSpace) {
            out.push_back(' ');
        } else {
            out.push_back(c);
        }
    }
    return out;
}

/// A channel or track id: the one rule of core/url_name.h, [A-Za-z0-9_-]{1,64}.
bool isId(std::string_view s) {
    return isUrlName(s);
}

/// An asset name, event or stream id: [A-Za-z0-9_.-]{1,64}, not starting with a dot.
bool isName(std::string_view s) {
    if (s.empty() || s.size() > kMaxNameLength || s.front() == '.')
        return false;
    for (char c : s) {
        if (!isUrlNameChar(c) && c != '.')
            return false;
    }
    return true;
}

/// A non-negative decimal number of at most 18 digits.
std::optional<int64_t> parseNumber(std::string_view s) {
    if (s.empty() || s.size() > 18)
        return std::nullopt;
    int64_t value = 0;
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
    if (ec != std::errc() || end != s.data() + s.size() || s.front() == '-' || s.front() == '+') {
        return std::nullopt;
    }
    return value;
}

/// "Prefix(inner)" → inner, or nullopt.
std::optional<std::string_view> unwrap(std::string_view s, std::string_view prefix) {
    if (s.size() < prefix.size() + 2 || s.substr(0, prefix.size()) != prefix ||
        s[prefix.size()] != '(' || s.back() != ')') {
        return std::nullopt;
    }
    return s.substr(prefix.size() + 1, s.size() - prefix.size() - 2);
}

/// Splits "/a/b/c" into decoded components; nullopt on an empty or unsafe component.
std::optional<std::vector<std::string>> splitPath(std::string_view path) {
    std::vector<std::string> parts;
    if (path.empty() || path.front() != '/')
        return std::nullopt;
    if (path == "/")
        return parts;
    std::size_t pos = 1;
    while (pos <= path.size()) {
        std::size_t slash = path.find('/', pos);
        if (slash == std::string_view::npos)
            slash = path.size();
        auto decoded = percentDecode(path.substr(pos, slash - pos), false);
        if (!decoded || decoded->empty() || *decoded == "." || *decoded == ".." ||
            decoded->find_first_of("/\\") != std::string::npos) {
            return std::nullopt;
        }
        parts.push_back(std::move(*decoded));
        pos = slash + 1;
    }
    return parts;
}

Route trackFile(const std::string& ch, const std::string& track, std::string_view file) {
    if (file == "index.m3u8")
        return MediaPlaylistRoute{ch, track};
    if (file == "init.mp4")
        return InitRoute{ch, track};
    constexpr std::string_view kExt = ".m4s";
    if (file.size() <= kExt.size() || file.substr(file.size() - kExt.size()) != kExt)
        return {};
    std::string_view stem = file.substr(0, file.size() - kExt.size());
    if (stem.substr(0, 4) == "seg_") {
        if (auto seq = parseNumber(stem.substr(4)))
            return SegmentRoute{ch, track, *seq};
    } else if (stem.substr(0, 5) == "part_") {
        std::string_view rest = stem.substr(5);
        std::size_t us = rest.find('_');
        if (us == std::string_view::npos)
            return {};
        auto seq = parseNumber(rest.substr(0, us));
        auto index = parseNumber(rest.substr(us + 1));
        if (seq && index)
            return PartRoute{ch, track, *seq, *index};
    }
    return {};
}

Route smoothRoute(const std::string& ch, const std::vector<std::string>& p) {
    // p = {"live", "<ch>.isml", ...}
    if (p.size() == 3 && (p[2] == "Manifest" || p[2] == "manifest"))
        return SmoothManifestRoute{ch};
    if (p.size() == 3) {
        auto id = unwrap(p[2], "Streams");
        if (id && isName(*id))
            return IngestRoute{ch, {}, std::string(*id)};
        return {};
    }
    if (p.size() != 4)
        return {};
    if (auto event = unwrap(p[2], "Events")) {
        auto id = unwrap(p[3], "Streams");
        if (isName(*event) && id && isName(*id)) {
            return IngestRoute{ch, std::string(*event), std::string(*id)};
        }
        return {};
    }
    auto bitrate = unwrap(p[2], "QualityLevels");
    auto fragment = unwrap(p[3], "Fragments");
    if (!bitrate || !fragment)
        return {};
    // "QualityLevels(128000,FourCC=AACL)": extra attributes after the bitrate are allowed.
    auto br = parseNumber(bitrate->substr(0, bitrate->find(',')));
    std::size_t eq = fragment->find('=');
    if (!br || eq == std::string_view::npos)
        return {};
    std::string_view kind = fragment->substr(0, eq);
    auto time = parseNumber(fragment->substr(eq + 1));
    if ((kind != "video" && kind != "audio") || !time)
        return {};
    return SmoothFragmentRoute{ch, *br, std::string(kind), *time};
}

Route liveRoute(const std::vector<std::string>& p) {
    constexpr std::string_view kIsml = ".isml";
    const std::string& first = p[1];
    if (first.size() > kIsml.size() && first.substr(first.size() - kIsml.size()) == kIsml) {
        std::string ch = first.substr(0, first.size() - kIsml.size());
        if (!isId(ch))
            return {};
        return smoothRoute(ch, p);
    }
    if (!isId(first))
        return {};
    if (p.size() == 3) {
        if (p[2] == "index.m3u8")
            return MultivariantRoute{first};
        if (p[2] == "index.mpd")
            return DashMpdRoute{first};
        return {};
    }
    if (p.size() == 4 && isId(p[2]))
        return trackFile(first, p[2], p[3]);
    return {};
}

Route pathRoute(const std::vector<std::string>& p) {
    if (p.empty())
        return LandingRoute{};
    if (p.size() == 1) {
        if (p[0] == "time")
            return TimeRoute{};
        if (p[0] == "healthz")
            return HealthRoute{};
        if (p[0] == "metrics")
            return MetricsRoute{};
        return {};
    }
    if (p.size() == 2) {
        if (p[0] == "api" && p[1] == "channels")
            return ApiChannelsRoute{};
        if (p[0] == "qoe" && isId(p[1]))
            return QoeRoute{p[1]};
        if (p[0] == "watch" && isId(p[1]))
            return WatchRoute{p[1]};
        if (p[0] == "assets" && isName(p[1]))
            return AssetRoute{p[1]};
    }
    if (p.size() == 4 && p[0] == "api" && p[1] == "channels" && isId(p[2]) && p[3] == "qoe")
        return ApiQoeRoute{p[2]};
    if (p[0] == "live" && p.size() >= 3 && p.size() <= 4)
        return liveRoute(p);
    return {};
}

RouteQuery parseQuery(std::string_view query) {
    RouteQuery out;
    std::size_t pos = 0;
    while (pos < query.size()) {
        std::size_t amp = query.find('&', pos);
        if (amp == std::string_view::npos)
            amp = query.size();
        std::string_view pair = query.substr(pos, amp - pos);
        pos = amp + 1;
        std::size_t eq = pair.find('=');
        std::string_view key = pair.substr(0, eq);
        auto value = percentDecode(eq == std::string_view::npos ? "" : pair.substr(eq + 1), true);
        if (!value)
            continue;
        std::optional<std::string>* slot = nullptr;
        if (key == "_HLS_msn")
            slot = &out.hlsMsn;
        else if (key == "_HLS_part")
            slot = &out.hlsPart;
        else if (key == "_HLS_skip")
            slot = &out.hlsSkip;
        else if (key == "code")
            slot = &out.code;
        if (slot && !slot->has_value())
            *slot = std::move(*value);
    }
    return out;
}

}  // namespace

ParsedTarget parseTarget(std::string_view target) {
    ParsedTarget out;
    if (target.empty() || target.size() > kMaxTargetLength)
        return out;
    std::size_t q = target.find('?');
    std::string_view path = target.substr(0, q);
    if (q != std::string_view::npos)
        out.query = parseQuery(target.substr(q + 1));
    if (auto parts = splitPath(path))
        out.route = pathRoute(*parts);
    return out;
}

const char* routeKind(const Route& route) {
    struct Visitor {
        const char* operator()(const NotFoundRoute&) const { return "not_found"; }
        const char* operator()(const LandingRoute&) const { return "page"; }
        const char* operator()(const ApiChannelsRoute&) const { return "api"; }
        const char* operator()(const ApiQoeRoute&) const { return "api"; }
        const char* operator()(const TimeRoute&) const { return "time"; }
        const char* operator()(const HealthRoute&) const { return "health"; }
        const char* operator()(const MetricsRoute&) const { return "metrics"; }
        const char* operator()(const WatchRoute&) const { return "page"; }
        const char* operator()(const AssetRoute&) const { return "asset"; }
        const char* operator()(const MultivariantRoute&) const { return "multivariant"; }
        const char* operator()(const MediaPlaylistRoute&) const { return "playlist"; }
        const char* operator()(const InitRoute&) const { return "init"; }
        const char* operator()(const SegmentRoute&) const { return "segment"; }
        const char* operator()(const PartRoute&) const { return "part"; }
        const char* operator()(const DashMpdRoute&) const { return "mpd"; }
        const char* operator()(const SmoothManifestRoute&) const { return "smooth_manifest"; }
        const char* operator()(const SmoothFragmentRoute&) const { return "smooth_fragment"; }
        const char* operator()(const IngestRoute&) const { return "ingest"; }
        const char* operator()(const QoeRoute&) const { return "qoe"; }
    };
    return std::visit(Visitor{}, route);
}

}  // namespace podium::publisher::origin

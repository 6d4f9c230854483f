#include "publisher/relay/playlist_parser.h"

#include <cmath>
#include <cstdlib>
#include <map>
#include <optional>
#include <set>
#include <sstream>

#include "core/url_name.h"

namespace podium::publisher::relay {

namespace {

/// Attribute list of a tag ("A=1,B=\"x,y\"") as a map; quotes removed.
std::map<std::string, std::string> attributes(const std::string& list) {
    std::map<std::string, std::string> out;
    size_t i = 0;
    while (i < list.size()) {
        const size_t eq = list.find('=', i);
        if (eq == std::string::npos) {
            break;
        }
        const std::string key = list.substr(i, eq - i);
        size_t end = eq + 1;
        std::string value;
        if (end < list.size() && list[end] == '"') {
            const size_t close = list.find('"', end + 1);
            value = list.substr(end + 1,
                                close == std::string::npos ? std::string::npos : close - end - 1);
            end = close == std::string::npos ? list.size() : close + 1;
        } else {
            const size_t comma = list.find(',', end);
            value = list.substr(end, comma == std::string::npos ? std::string::npos : comma - end);
            end = comma == std::string::npos ? list.size() : comma;
        }
        out[key] = value;
        i = end < list.size() && list[end] == ',' ? end + 1 : end;
    }
    return out;
}

std::vector<std::string> lines(const std::string& text) {
    std::vector<std::string> out;
    std::istringstream in(text);
    std::string line;
    while (std::getline(in, line)) {
        while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) {
            line.pop_back();
        }
        if (!line.empty()) {
            out.push_back(line);
        }
    }
    return out;
}

bool startsWith(const std::string& s, const std::string& prefix) {
    return s.rfind(prefix, 0) == 0;
}

int64_t toInt(const std::string& s) {
    return std::strtoll(s.c_str(), nullptr, 10);
}

// An integer attribute clamped to [0, max] (strtoll saturates; negative means absent).
int64_t toBounded(const std::string& s, int64_t max) {
    const int64_t v = toInt(s);
    return v < 0 ? 0 : std::min(v, max);
}

// A decimal-integer (RFC 8216 4.2) in [0, 2^62]; nullopt otherwise.
std::optional<int64_t> toSequence(const std::string& s) {
    if (s.empty() || s.size() > 19 || s.find_first_not_of("0123456789") != std::string::npos) {
        return std::nullopt;
    }
    const int64_t v = std::strtoll(s.c_str(), nullptr, 10);
    return v <= (int64_t(1) << 62) ? std::optional<int64_t>(v) : std::nullopt;
}

// Seconds at the start of `s` ("2.000," of EXTINF) if finite and in [0, kMaxPlaylistSeconds].
std::optional<double> toSeconds(const char* s) {
    char* end = nullptr;
    const double v = std::strtod(s, &end);
    if (end == s || !std::isfinite(v) || v < 0 || v > kMaxPlaylistSeconds) {
        return std::nullopt;
    }
    return v;
}

std::string lastFolderOrName(const std::string& uri) {
    const std::string path = uri.substr(0, uri.find_first_of("?#"));
    const size_t slash = path.rfind('/');
    if (slash != std::string::npos && slash > 0) {
        const size_t before = path.rfind('/', slash - 1);
        return path.substr(before == std::string::npos ? 0 : before + 1,
                           slash - (before == std::string::npos ? 0 : before + 1));
    }
    const std::string file = slash == std::string::npos ? path : path.substr(slash + 1);
    return file.substr(0, file.find('.'));
}

}  // namespace

Result<std::vector<PlaylistVariant>> parseMultivariant(const std::string& text,
                                                       size_t maxVariants) {
    const auto all = lines(text);
    if (all.empty() || all[0] != "#EXTM3U") {
        return makeError(ErrorCode::Parse, "not an HLS playlist (no #EXTM3U)");
    }
    std::vector<PlaylistVariant> video;
    std::vector<PlaylistVariant> audio;
    std::set<std::string> audioUris;
    const auto tooMany = [&] {
        return makeError(ErrorCode::LimitExceeded, "the multivariant playlist lists more than " +
                                                       std::to_string(maxVariants) + " renditions");
    };
    for (size_t i = 1; i < all.size(); ++i) {
        const std::string& line = all[i];
        if (startsWith(line, "#EXT-X-STREAM-INF:") && i + 1 < all.size()) {
            if (video.size() + audio.size() >= maxVariants) {
                return tooMany();
            }
            auto a = attributes(line.substr(18));
            PlaylistVariant v;
            v.uri = all[++i];
            v.bandwidth = toBounded(a["BANDWIDTH"], INT32_MAX);
            v.averageBandwidth = toBounded(a["AVERAGE-BANDWIDTH"], INT32_MAX);
            v.codecs = a["CODECS"];
            const std::string& res = a["RESOLUTION"];
            if (const size_t x = res.find('x'); x != std::string::npos) {
                v.width = int(toBounded(res.substr(0, x), 65535));
                v.height = int(toBounded(res.substr(x + 1), 65535));
            }
            const double rate = std::strtod(a["FRAME-RATE"].c_str(), nullptr);
            v.frameRate = std::isfinite(rate) && rate > 0 && rate <= 1000 ? rate : 0;
            video.push_back(v);
        } else if (startsWith(line, "#EXT-X-MEDIA:")) {
            auto a = attributes(line.substr(13));
            if (a["TYPE"] != "AUDIO" || a["URI"].empty() || audioUris.count(a["URI"]) > 0) {
                continue;
            }
            if (video.size() + audio.size() >= maxVariants) {
                return tooMany();
            }
            audioUris.insert(a["URI"]);
            PlaylistVariant v;
            v.uri = a["URI"];
            v.isAudio = true;
            audio.push_back(v);
        }
    }
    if (video.empty() && audio.empty()) {
        return makeError(ErrorCode::Parse, "the multivariant playlist lists no rendition");
    }
    video.insert(video.end(), audio.begin(), audio.end());
    return video;
}

Result<MediaPlaylist> parseMediaPlaylist(const std::string& text, size_t maxSegments) {
    const auto all = lines(text);
    if (all.empty() || all[0] != "#EXTM3U") {
        return makeError(ErrorCode::Parse, "not an HLS playlist (no #EXTM3U)");
    }
    MediaPlaylist out;
    int64_t sequence = 0;  // <= 2^62 + maxSegments: never overflows
    double duration = -1;
    bool discontinuity = false;
    for (size_t i = 1; i < all.size(); ++i) {
        const std::string& line = all[i];
        if (startsWith(line, "#EXT-X-TARGETDURATION:")) {
            const auto target = toSeconds(line.c_str() + 22);
            if (!target) {
                return makeError(ErrorCode::Parse, "bad EXT-X-TARGETDURATION: " + line.substr(22));
            }
            out.targetDuration = *target;
        } else if (startsWith(line, "#EXT-X-MEDIA-SEQUENCE:")) {
            const auto first = toSequence(line.substr(22));
            if (!first) {
                return makeError(ErrorCode::Parse, "bad EXT-X-MEDIA-SEQUENCE: " + line.substr(22));
            }
            sequence = *first;
        } else if (startsWith(line, "#EXT-X-MAP:")) {
            out.mapUri = attributes(line.substr(11))["URI"];
        } else if (startsWith(line, "#EXTINF:")) {
            const auto seconds = toSeconds(line.c_str() + 8);
            if (!seconds) {
                return makeError(ErrorCode::Parse, "bad EXTINF duration: " + line.substr(8));
            }
            duration = *seconds;
        } else if (line == "#EXT-X-DISCONTINUITY") {
            discontinuity = true;
        } else if (line == "#EXT-X-ENDLIST") {
            out.ended = true;
        } else if (line[0] != '#' && duration >= 0) {
            if (out.segments.size() >= maxSegments) {
                return makeError(ErrorCode::LimitExceeded, "the media playlist lists more than " +
                                                               std::to_string(maxSegments) +
                                                               " segments");
            }
            out.segments.push_back(PlaylistSegment{sequence++, duration, line, discontinuity});
            duration = -1;
            discontinuity = false;
        }
    }
    if (out.mapUri.empty()) {
        return makeError(ErrorCode::Parse, "the media playlist has no EXT-X-MAP (not CMAF)");
    }
    return out;
}

std::string resolveUrl(const std::string& base, const std::string& ref) {
    if (ref.find("://") != std::string::npos) {
        return ref;
    }
    const size_t scheme = base.find("://");
    const size_t pathStart = base.find('/', scheme == std::string::npos ? 0 : scheme + 3);
    if (!ref.empty() && ref[0] == '/') {
        return (pathStart == std::string::npos ? base : base.substr(0, pathStart)) + ref;
    }
    std::string dir = base.substr(0, base.find_first_of("?#"));
    if (pathStart == std::string::npos) {
        return dir + "/" + ref;
    }
    return dir.substr(0, dir.rfind('/') + 1) + ref;
}

std::string trackIdFromUri(const std::string& uri) {
    return toUrlName(lastFolderOrName(uri), "track");
}

}  // namespace podium::publisher::relay

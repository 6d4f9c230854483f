#include "publisher/relay/playlist_parser.h"

#include <cstdlib>
#include <map>
#include <sstream>

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

}  // namespace

Result<std::vector<PlaylistVariant>> parseMultivariant(const std::string& text) {
    const auto all = lines(text);
    if (all.empty() || all[0] != "#EXTM3U") {
        return makeError(ErrorCode::Parse, "not an HLS playlist (no #EXTM3U)");
    }
    std::vector<PlaylistVariant> video;
    std::vector<PlaylistVariant> audio;
    for (size_t i = 1; i < all.size(); ++i) {
        const std::string& line = all[i];
        if (startsWith(line, "#EXT-X-STREAM-INF:") && i + 1 < all.size()) {
            auto a = attributes(line.substr(18));
            PlaylistVariant v;
            v.uri = all[++i];
            v.bandwidth = toInt(a["BANDWIDTH"]);
            v.averageBandwidth = toInt(a["AVERAGE-BANDWIDTH"]);
            v.codecs = a["CODECS"];
            const std::string& res = a["RESOLUTION"];
            if (const size_t x = res.find('x'); x != std::string::npos) {
                v.width = int(toInt(res.substr(0, x)));
                v.height = int(toInt(res.substr(x + 1)));
            }
            v.frameRate = std::strtod(a["FRAME-RATE"].c_str(), nullptr);
            video.push_back(v);
        } else if (startsWith(line, "#EXT-X-MEDIA:")) {
            auto a = attributes(line.substr(13));
            if (a["TYPE"] != "AUDIO" || a["URI"].empty()) {
                continue;
            }
            bool known = false;
            for (const auto& existing : audio) {
                known = known || existing.uri == a["URI"];
            }
            if (!known) {
                PlaylistVariant v;
                v.uri = a["URI"];
                v.isAudio = true;
                audio.push_back(v);
            }
        }
    }
    if (video.empty() && audio.empty()) {
        return makeError(ErrorCode::Parse, "the multivariant playlist lists no rendition");
    }
    video.insert(video.end(), audio.begin(), audio.end());
    return video;
}

Result<MediaPlaylist> parseMediaPlaylist(const std::string& text) {
    const auto all = lines(text);
    if (all.empty() || all[0] != "#EXTM3U") {
        return makeError(ErrorCode::Parse, "not an HLS playlist (no #EXTM3U)");
    }
    MediaPlaylist out;
    int64_t sequence = 0;
    double duration = -1;
    bool discontinuity = false;
    for (size_t i = 1; i < all.size(); ++i) {
        const std::string& line = all[i];
        if (startsWith(line, "#EXT-X-TARGETDURATION:")) {
            out.targetDuration = std::strtod(line.c_str() + 22, nullptr);
        } else if (startsWith(line, "#EXT-X-MEDIA-SEQUENCE:")) {
            sequence = toInt(line.substr(22));
        } else if (startsWith(line, "#EXT-X-MAP:")) {
            out.mapUri = attributes(line.substr(11))["URI"];
        } else if (startsWith(line, "#EXTINF:")) {
            duration = std::strtod(line.c_str() + 8, nullptr);
        } else if (line == "#EXT-X-DISCONTINUITY") {
            discontinuity = true;
        } else if (line == "#EXT-X-ENDLIST") {
            out.ended = true;
        } else if (line[0] != '#' && duration >= 0) {
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

}  // namespace podium::publisher::relay

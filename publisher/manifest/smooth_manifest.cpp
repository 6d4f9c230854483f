#include "publisher/manifest/smooth_manifest.h"

#include <algorithm>
#include <charconv>
#include <vector>

#include "core/avc_config.h"
#include "publisher/manifest/manifest_format.h"

namespace podium::publisher::manifest {

namespace {

constexpr int64_t kManifestTimescale = 10'000'000;

std::string attr(const char* name, const std::string& value) {
    return std::string(" ") + name + "=\"" + xmlEscape(value) + "\"";
}

std::string attr(const char* name, int64_t value) {
    return attr(name, std::to_string(value));
}

const char* typeName(TrackKind kind) {
    return kind == TrackKind::Video ? "video" : "audio";
}

/// 00000001 SPS 00000001 PPS ... from the avcC record; empty when the record is truncated.
std::vector<uint8_t> annexBParameterSets(const std::vector<uint8_t>& avcC) {
    auto sets = avc::annexBParameterSets(avcC);
    return sets ? std::move(*sets) : std::vector<uint8_t>();
}

std::vector<const TrackView*> tracksOf(const ChannelView& view, TrackKind kind) {
    std::vector<const TrackView*> out;
    for (const auto& t : view.tracks) {
        if (t.info.kind == kind && t.init) {
            out.push_back(&t);
        }
    }
    return out;
}

std::vector<const StoredSegment*> announced(const TrackView& track, int lookahead, bool ended) {
    std::vector<const StoredSegment*> out;
    for (const auto& s : track.segments) {
        if (s.isComplete()) {
            out.push_back(&s);
        }
    }
    const size_t held = ended ? 0 : size_t(std::max(0, lookahead));
    out.resize(out.size() > held ? out.size() - held : 0);
    return out;
}

std::string qualityLevel(const TrackView& t, int index) {
    std::string out = "<QualityLevel" + attr("Index", index) + attr("Bitrate", smoothBitrate(t));
    if (t.info.kind == TrackKind::Video) {
        out += attr("FourCC", "H264") + attr("MaxWidth", t.info.width) +
               attr("MaxHeight", t.info.height) +
               attr("CodecPrivateData", hexUpper(annexBParameterSets(t.info.avcDecoderConfig)));
    } else {
        out += attr("FourCC", "AACL") + attr("SamplingRate", t.info.sampleRate) +
               attr("Channels", t.info.channels) + attr("BitsPerSample", 16) +
               attr("PacketSize", 4) + attr("AudioTag", 255) +
               attr("CodecPrivateData", hexUpper(t.info.audioSpecificConfig));
    }
    return out + "/>";
}

std::string chunkList(const std::vector<const StoredSegment*>& segments) {
    std::string out;
    int64_t expected = -1;
    for (const auto* s : segments) {
        out += "<c";
        if (s->start.value != expected) {
            out += attr("t", s->start.value);  // first chunk, or after a gap
        }
        out += attr("d", s->duration.value) + "/>";
        expected = s->start.value + s->duration.value;
    }
    return out;
}

std::string streamIndex(const ChannelView& view, TrackKind kind, int lookahead) {
    const auto tracks = tracksOf(view, kind);
    if (tracks.empty()) {
        return {};
    }
    const TrackView& first = *tracks.front();
    const auto segments = announced(first, lookahead, view.ended);
    const std::string name = typeName(kind);
    std::string out = "  <StreamIndex" + attr("Type", name) + attr("Name", name) +
                      attr("Chunks", int64_t(segments.size())) +
                      attr("QualityLevels", int64_t(tracks.size())) +
                      attr("Url", "QualityLevels({bitrate})/Fragments(" + name + "={start time})") +
                      attr("TimeScale", first.info.timescale);
    if (kind == TrackKind::Video) {
        int width = 0, height = 0;
        for (const auto* t : tracks) {
            width = std::max(width, t->info.width);
            height = std::max(height, t->info.height);
        }
        out += attr("MaxWidth", width) + attr("MaxHeight", height) + attr("DisplayWidth", width) +
               attr("DisplayHeight", height);
    }
    out += ">\n";
    for (size_t i = 0; i < tracks.size(); ++i) {
        out += "    " + qualityLevel(*tracks[i], int(i)) + "\n";
    }
    out += "    " + chunkList(segments) + "\n";
    return out + "  </StreamIndex>\n";
}

int64_t dvrWindowTicks(const ChannelView& view, int lookahead) {
    int64_t window = -1;
    for (const auto& t : view.tracks) {
        const auto segments = announced(t, lookahead, view.ended);
        if (!t.init || segments.empty()) {
            continue;
        }
        const MediaTime span =
            segments.back()->start + segments.back()->duration - segments.front()->start;
        const int64_t ticks = span.rescaled(int32_t(kManifestTimescale)).value;
        window = window < 0 ? ticks : std::min(window, ticks);
    }
    return std::max<int64_t>(0, window);
}

}  // namespace

int64_t smoothBitrate(const TrackView& track) {
    return track.info.bitrateBps > 0 ? track.info.bitrateBps : track.info.maxBitrateBps;
}

std::string renderSmoothManifest(const ChannelView& view, int lookahead) {
    std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
    out += "<SmoothStreamingMedia" + attr("MajorVersion", 2) + attr("MinorVersion", 2) +
           attr("TimeScale", kManifestTimescale) + attr("Duration", 0) + attr("IsLive", "TRUE") +
           attr("LookAheadFragmentCount", std::max(0, lookahead)) +
           attr("DVRWindowLength", dvrWindowTicks(view, lookahead)) + ">\n";
    out += streamIndex(view, TrackKind::Video, lookahead);
    out += streamIndex(view, TrackKind::Audio, lookahead);
    return out + "</SmoothStreamingMedia>\n";
}

namespace {

Result<int64_t> parseInteger(std::string_view text, std::string_view what) {
    int64_t value = 0;
    const auto* end = text.data() + text.size();
    const auto result = std::from_chars(text.data(), end, value);
    if (text.empty() || result.ec != std::errc() || result.ptr != end || value < 0) {
        return makeError(ErrorCode::InvalidArgument,
                         "bad " + std::string(what) + " '" + std::string(text) + "'");
    }
    return value;
}

bool consume(std::string_view& text, std::string_view prefix) {
    if (text.substr(0, prefix.size()) != prefix) {
        return false;
    }
    text.remove_prefix(prefix.size());
    return true;
}

}  // namespace

Result<SmoothFragmentRequest> parseSmoothFragmentPath(std::string_view path) {
    auto bad = [&] {
        return makeError(ErrorCode::InvalidArgument,
                         "not a Smooth fragment path: '" + std::string(path) + "'");
    };
    std::string_view rest = path;
    if (!consume(rest, "QualityLevels(")) {
        return bad();
    }
    const size_t close = rest.find(')');
    if (close == std::string_view::npos) {
        return bad();
    }
    // QualityLevels(<bitrate>[,CustomAttributes...]): the bitrate comes first.
    const std::string_view levels = rest.substr(0, close);
    auto bitrate = parseInteger(levels.substr(0, levels.find(',')), "bitrate");
    rest.remove_prefix(close + 1);
    if (!bitrate || !consume(rest, "/Fragments(") || rest.empty() || rest.back() != ')') {
        return bad();
    }
    rest.remove_suffix(1);
    const size_t equals = rest.find('=');
    if (equals == std::string_view::npos || equals == 0) {
        return bad();
    }
    auto time = parseInteger(rest.substr(equals + 1), "fragment time");
    if (!time) {
        return bad();
    }
    return SmoothFragmentRequest{*bitrate, std::string(rest.substr(0, equals)), *time};
}

const TrackView* findSmoothTrack(const ChannelView& view, std::string_view type, int64_t bitrate) {
    for (const auto& t : view.tracks) {
        if (t.init && type == typeName(t.info.kind) && smoothBitrate(t) == bitrate) {
            return &t;
        }
    }
    return nullptr;
}

}  // namespace podium::publisher::manifest

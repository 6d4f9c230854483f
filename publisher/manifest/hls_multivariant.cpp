#include "publisher/manifest/hls_multivariant.h"

#include <algorithm>

#include "publisher/manifest/hls_tag.h"

namespace podium::publisher {
namespace {

constexpr const char* kAudioGroup = "aac";

std::string mediaLine(const HlsAudioRendition& audio) {
    const int channels = audio.track.channels > 0 ? audio.track.channels : 2;
    hls::AttributeList attributes;
    attributes.raw("TYPE", "AUDIO")
        .quotedString("GROUP-ID", kAudioGroup)
        .quotedString("NAME", audio.name)
        .raw("DEFAULT", "YES")
        .raw("AUTOSELECT", "YES")
        .quotedString("CHANNELS", std::to_string(channels))
        .quotedString("URI", audio.uri);
    return "#EXT-X-MEDIA:" + attributes.str() + "\n";
}

int64_t peakOf(const HlsVideoVariant& v, const std::optional<HlsAudioRendition>& audio) {
    return v.peakBitrateBps + (audio ? audio->peakBitrateBps : 0);
}

std::string streamInfLine(const HlsVideoVariant& v, const std::optional<HlsAudioRendition>& audio) {
    hls::AttributeList attributes;
    attributes.integer("BANDWIDTH", peakOf(v, audio));
    if (v.averageBitrateBps > 0) {
        const int64_t audioAverage = audio ? audio->averageBitrateBps : 0;
        attributes.integer("AVERAGE-BANDWIDTH", v.averageBitrateBps + audioAverage);
    }
    std::string codecs = v.track.codecString;
    if (audio) {
        codecs += "," + audio->track.codecString;
    }
    attributes.quotedString("CODECS", codecs);
    if (v.track.width > 0 && v.track.height > 0) {
        attributes.raw("RESOLUTION", hls::resolution(v.track.width, v.track.height));
    }
    if (v.track.fpsNum > 0) {
        attributes.raw("FRAME-RATE", hls::frameRate(v.track.fpsNum, v.track.fpsDen));
    }
    if (audio) {
        attributes.quotedString("AUDIO", kAudioGroup);
    }
    return "#EXT-X-STREAM-INF:" + attributes.str() + "\n" + v.uri + "\n";
}

}  // namespace

std::string renderMultivariant(const MultivariantInput& input) {
    std::string out = "#EXTM3U\n#EXT-X-VERSION:7\n#EXT-X-INDEPENDENT-SEGMENTS\n";
    if (input.audio) {
        out += mediaLine(*input.audio);
    }
    std::vector<const HlsVideoVariant*> sorted;
    sorted.reserve(input.variants.size());
    for (const auto& v : input.variants) {
        sorted.push_back(&v);
    }
    // Highest first; equal bandwidths keep their input order (deterministic output).
    std::stable_sort(sorted.begin(), sorted.end(), [&](const auto* a, const auto* b) {
        return peakOf(*a, input.audio) > peakOf(*b, input.audio);
    });
    for (const auto* v : sorted) {
        out += streamInfLine(*v, input.audio);
    }
    return out;
}

}  // namespace podium::publisher

#include "publisher/manifest/hls_live.h"

#include <algorithm>
#include <cmath>

#include "publisher/manifest/hls_multivariant.h"
#include "publisher/manifest/hls_tag.h"

namespace podium::publisher::manifest {

namespace {

constexpr double kHoldBackTargets = 3.0;  // HOLD-BACK in target durations

bool trackHasParts(const TrackView& track) {
    return std::any_of(track.segments.begin(), track.segments.end(),
                       [](const StoredSegment& s) { return !s.parts.empty(); });
}

int64_t ceilBitrate(int declared, double measured) {
    return std::max<int64_t>(declared, static_cast<int64_t>(std::ceil(measured)));
}

const TrackView* firstAudioWithInit(const ChannelView& view) {
    for (const auto& t : view.tracks) {
        if (t.info.kind == TrackKind::Audio && t.init) {
            return &t;
        }
    }
    return nullptr;
}

std::string partUri(int64_t msn, size_t index) {
    return "part_" + std::to_string(msn) + "_" + std::to_string(index) + ".m4s";
}

std::string segmentUri(int64_t msn) {
    return "seg_" + std::to_string(msn) + ".m4s";
}

}  // namespace

std::optional<LivePosition> lastPosition(const TrackView& track, bool withParts) {
    for (auto it = track.segments.rbegin(); it != track.segments.rend(); ++it) {
        if (withParts && !it->parts.empty()) {
            return LivePosition{it->sequence, static_cast<int>(it->parts.size()) - 1};
        }
        if (!withParts && it->isComplete()) {
            return LivePosition{it->sequence, std::nullopt};
        }
    }
    return std::nullopt;
}

bool rendersParts(const ChannelView& view, const TrackView& track, const LlHlsOptions& options) {
    return options.lowLatency && view.partTarget.value > 0 && trackHasParts(track);
}

int liveTargetDurationSeconds(const ChannelView& view, const TrackView& track) {
    int target = std::max(1, static_cast<int>(std::ceil(view.segmentTarget.seconds() - 1e-9)));
    for (const auto& s : track.segments) {
        if (s.isComplete()) {
            target = std::max(target, hls::targetDurationFor(s.duration.seconds()));
        }
    }
    return target;
}

double livePartTargetSeconds(const ChannelView& view, const TrackView& track) {
    if (view.partTarget.value <= 0) {
        return 0.0;
    }
    double longest = view.partTarget.seconds();
    for (const auto& s : track.segments) {
        for (const auto& p : s.parts) {
            longest = std::max(longest, p.duration.seconds());
        }
    }
    return std::ceil(longest * 1e5 - 1e-6) / 1e5;
}

std::string renderLiveMultivariant(const ChannelView& view) {
    MultivariantInput input;
    if (const TrackView* audio = firstAudioWithInit(view)) {
        HlsAudioRendition rendition;
        rendition.track = audio->info;
        rendition.peakBitrateBps = ceilBitrate(audio->info.maxBitrateBps, audio->peakBitrateBps);
        rendition.averageBitrateBps = std::llround(audio->averageBitrateBps);
        rendition.uri = audio->info.id + "/index.m3u8";
        input.audio = std::move(rendition);
    }
    for (const auto& t : view.tracks) {
        if (t.info.kind != TrackKind::Video || !t.init) {
            continue;
        }
        HlsVideoVariant variant;
        variant.track = t.info;
        variant.peakBitrateBps = ceilBitrate(t.info.maxBitrateBps, t.peakBitrateBps);
        variant.averageBitrateBps = std::llround(t.averageBitrateBps);
        variant.uri = t.info.id + "/index.m3u8";
        input.variants.push_back(std::move(variant));
    }
    return renderMultivariant(input);
}

namespace {

struct PlaylistContext {
    const ChannelView& view;
    const TrackView& track;
    bool withParts = false;
    bool blockingReload = true;
    bool recording = false;
    int targetDuration = 1;
    double partTarget = 0.0;
    double partHoldBackParts = 3.0;
};

// The preset's parts of the nominal part duration, but never under twice the PART-TARGET (the
// spec's MUST). A part stretched by frames the encoder dropped raises PART-TARGET for as long as
// it stays in the window; three times that (the SHOULD) would hold every player of the
// rendition that much further back. hls.js takes its target latency from this attribute.
double partHoldBackSeconds(const PlaylistContext& c) {
    const double nominal = c.view.partTarget.seconds();
    return std::ceil(std::max(c.partHoldBackParts * nominal, 2.0 * c.partTarget) * 1e5 - 1e-6) /
           1e5;
}

std::string header(const PlaylistContext& c) {
    std::string out = "#EXTM3U\n";
    out += c.withParts ? "#EXT-X-VERSION:9\n" : "#EXT-X-VERSION:7\n";
    out += "#EXT-X-TARGETDURATION:" + std::to_string(c.targetDuration) + "\n";
    if (c.recording) {
        out += c.view.ended ? "#EXT-X-PLAYLIST-TYPE:VOD\n" : "#EXT-X-PLAYLIST-TYPE:EVENT\n";
    }
    if (c.blockingReload) {
        hls::AttributeList control;
        control.raw("CAN-BLOCK-RELOAD", "YES");
        if (c.withParts) {
            control.raw("PART-HOLD-BACK", hls::decimalFloat(partHoldBackSeconds(c), 5));
        }
        control.raw("HOLD-BACK", hls::decimalFloat(kHoldBackTargets * c.targetDuration, 5));
        out += "#EXT-X-SERVER-CONTROL:" + control.str() + "\n";
    }
    if (c.withParts) {
        out += "#EXT-X-PART-INF:PART-TARGET=" + hls::decimalFloat(c.partTarget, 5) + "\n";
    }
    const int64_t firstMsn = c.track.segments.empty() ? 0 : c.track.segments.front().sequence;
    out += "#EXT-X-MEDIA-SEQUENCE:" + std::to_string(firstMsn) + "\n";
    out += "#EXT-X-DISCONTINUITY-SEQUENCE:" + std::to_string(c.track.discontinuitySequence) + "\n";
    out += "#EXT-X-MAP:URI=" + hls::quoted("init.mp4") + "\n";
    return out;
}

std::string partLines(const StoredSegment& s) {
    std::string out;
    for (size_t i = 0; i < s.parts.size(); ++i) {
        hls::AttributeList part;
        part.raw("DURATION", hls::durationText(s.parts[i].duration.seconds()))
            .quotedString("URI", partUri(s.sequence, i));
        if (s.parts[i].isIndependent) {
            part.raw("INDEPENDENT", "YES");
        }
        out += "#EXT-X-PART:" + part.str() + "\n";
    }
    return out;
}

/// Segments starting at or after this media time (track ticks) list their parts.
int64_t partWindowStart(const PlaylistContext& c) {
    const auto& last = c.track.segments.back();
    const int64_t end = last.start.value + last.duration.value;
    const int64_t span = static_cast<int64_t>(kHoldBackTargets * c.targetDuration) *
                         static_cast<int64_t>(c.track.info.timescale);
    return end - span;
}

std::string segmentLines(const PlaylistContext& c) {
    std::string out;
    if (c.track.segments.empty()) {
        return out;
    }
    const int64_t partsFrom = partWindowStart(c);
    for (const auto& s : c.track.segments) {
        if (!s.isComplete() && (c.view.ended || !c.withParts)) {
            break;  // the in-progress segment only shows through its parts
        }
        if (s.discontinuity) {
            out += "#EXT-X-DISCONTINUITY\n";
        }
        out += "#EXT-X-PROGRAM-DATE-TIME:" + hls::isoDateTime(s.programDateTimeMs) + "\n";
        if (c.withParts && s.start.value >= partsFrom) {
            out += partLines(s);
        }
        if (s.isComplete()) {
            out += "#EXTINF:" + hls::durationText(s.duration.seconds()) + ",\n";
            out += segmentUri(s.sequence) + "\n";
        }
    }
    return out;
}

std::string preloadHint(const PlaylistContext& c) {
    if (!c.withParts || c.view.ended || c.track.segments.empty()) {
        return {};
    }
    const auto& last = c.track.segments.back();
    const std::string uri = last.isComplete() ? partUri(last.sequence + 1, 0)
                                              : partUri(last.sequence, last.parts.size());
    hls::AttributeList hint;
    hint.raw("TYPE", "PART").quotedString("URI", uri);
    return "#EXT-X-PRELOAD-HINT:" + hint.str() + "\n";
}

std::string renditionReports(const PlaylistContext& c) {
    std::string out;
    if (!c.withParts) {
        return out;
    }
    for (const auto& other : c.view.tracks) {
        if (other.info.id == c.track.info.id || !other.init) {
            continue;
        }
        const auto position = lastPosition(other, trackHasParts(other));
        if (!position) {
            continue;
        }
        hls::AttributeList report;
        report.quotedString("URI", "../" + other.info.id + "/index.m3u8")
            .integer("LAST-MSN", position->msn);
        if (position->part) {
            report.integer("LAST-PART", *position->part);
        }
        out += "#EXT-X-RENDITION-REPORT:" + report.str() + "\n";
    }
    return out;
}

}  // namespace

std::string renderLiveMediaPlaylist(const ChannelView& view, const TrackView& track,
                                    const LlHlsOptions& options) {
    PlaylistContext c{view, track};
    c.withParts = rendersParts(view, track, options);
    c.blockingReload = options.blockingReload;
    c.recording = options.recording;
    c.partHoldBackParts = std::max(2.0, options.partHoldBackParts);
    c.targetDuration = liveTargetDurationSeconds(view, track);
    c.partTarget = c.withParts ? livePartTargetSeconds(view, track) : 0.0;
    std::string out = header(c) + segmentLines(c) + preloadHint(c) + renditionReports(c);
    if (view.ended) {
        out += "#EXT-X-ENDLIST\n";
    }
    return out;
}

}  // namespace podium::publisher::manifest

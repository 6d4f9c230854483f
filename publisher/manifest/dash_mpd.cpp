#include "publisher/manifest/dash_mpd.h"

#include <algorithm>
#include <cmath>
#include <optional>
#include <vector>

#include "publisher/manifest/manifest_format.h"

namespace podium::publisher::manifest {

namespace {

constexpr const char* kAudioChannelScheme =
    "urn:mpeg:dash:23003:3:audio_channel_configuration:2011";

std::string attr(const char* name, const std::string& value) {
    return std::string(" ") + name + "=\"" + xmlEscape(value) + "\"";
}

std::string attr(const char* name, int64_t value) {
    return attr(name, std::to_string(value));
}

std::vector<const StoredSegment*> completeSegments(const TrackView& track) {
    std::vector<const StoredSegment*> out;
    for (const auto& s : track.segments) {
        if (s.isComplete()) {
            out.push_back(&s);
        }
    }
    return out;
}

bool isListed(const TrackView& t) {
    return t.init && !completeSegments(t).empty();
}

bool channelHasParts(const ChannelView& view) {
    if (view.partTarget.value <= 0) {
        return false;
    }
    for (const auto& t : view.tracks) {
        for (const auto& s : t.segments) {
            if (!s.parts.empty()) {
                return true;
            }
        }
    }
    return false;
}

/// Everything the MPD header needs, computed once from the listed tracks.
struct Summary {
    double windowSeconds = 0;      ///< shortest listed track's complete-segment span
    double maxSegmentSeconds = 0;  ///< longest complete segment
    double firstStartSeconds = 0;  ///< earliest complete segment start (static PTO)
    double endSeconds = 0;         ///< latest complete segment end
    bool lowLatency = false;
};

Summary summarize(const ChannelView& view) {
    Summary s;
    s.lowLatency = channelHasParts(view);
    bool first = true;
    for (const auto& t : view.tracks) {
        if (!isListed(t)) {
            continue;
        }
        const auto segments = completeSegments(t);
        const double start = segments.front()->start.seconds();
        const double end = (segments.back()->start + segments.back()->duration).seconds();
        s.windowSeconds = first ? end - start : std::min(s.windowSeconds, end - start);
        s.firstStartSeconds = first ? start : std::min(s.firstStartSeconds, start);
        s.endSeconds = std::max(s.endSeconds, end);
        for (const auto* seg : segments) {
            s.maxSegmentSeconds = std::max(s.maxSegmentSeconds, seg->duration.seconds());
        }
        first = false;
    }
    s.maxSegmentSeconds = std::max(s.maxSegmentSeconds, view.segmentTarget.seconds());
    return s;
}

/// One S entry before run-length coding: start and duration in the track's timescale.
struct TimelineEntry {
    int64_t start = 0;
    int64_t duration = 0;
};

std::vector<TimelineEntry> entriesOf(const std::vector<const StoredSegment*>& segments) {
    std::vector<TimelineEntry> out;
    out.reserve(segments.size() + 1);
    for (const auto* s : segments) {
        out.push_back({s->start.value, s->duration.value});
    }
    return out;
}

/// The live-edge segment of a low-latency track: the last one, still being cut, with at least
/// one part, directly after the last complete one. Null when there is none.
const StoredSegment* openSegment(const TrackView& track) {
    if (track.segments.size() < 2) {
        return nullptr;
    }
    const StoredSegment& open = track.segments.back();
    const StoredSegment& last = track.segments[track.segments.size() - 2];
    if (open.isComplete() || open.parts.empty() || !last.isComplete() ||
        open.start != last.start + last.duration) {
        return nullptr;
    }
    return &open;
}

/// The duration the MPD announces for the segment still being cut and the next one. A player
/// asks for the segment after one at (announced end + a few ms), so announcing less than the
/// segment will turn out to be makes it fetch the same segment twice; announcing a little more
/// is harmless (the next request still lands in the next segment). Audio segments end on the
/// first frame at or after the schedule's boundary, so they run up to one frame longer than
/// the target: the longest complete segment of the track covers that, the target covers the
/// start-up. That longest one counts only up to 1.25 targets: the two announced segments
/// together must stay well under three real ones, or after fetching both a player would look
/// for the third past its start and skip it (one double-length segment in the window, the
/// encoder's IDR safety net, would do that).
int64_t plannedDuration(const TrackView& track, int64_t atLeast, MediaTime target) {
    const int64_t nominal = target.rescaled(track.info.timescale, Rounding::Up).value;
    int64_t longest = nominal;
    for (const auto& s : track.segments) {
        if (s.isComplete()) {
            longest = std::max(longest, s.duration.value);
        }
    }
    return std::max(std::min(longest, nominal + nominal / 4), atLeast);
}

/// The low-latency tail of the timeline: the segment being cut (when it has a part) and the
/// one after it, or, between segments, the next one. dash.js refreshes the MPD at most once a
/// second and fetches only what the timeline lists, so a segment announced only once its first
/// part exists could be learned of a second late, after the player (a second behind live)
/// needed it: it stalled at nearly every unlucky refresh. The origin holds a request for the
/// next segment until it opens (OriginResponder::segment), and dash.js asks for it only once
/// availabilityTimeOffset says its first part is due.
void appendUpcoming(const TrackView& t, MediaTime target, std::vector<TimelineEntry>& entries) {
    if (t.segments.empty()) {
        return;
    }
    int64_t next = 0;
    int64_t planned = 0;
    if (const StoredSegment* open = openSegment(t)) {
        planned = plannedDuration(t, open->duration.value, target);
        entries.push_back({open->start.value, planned});
        next = open->start.value + planned;
    } else if (const StoredSegment& last = t.segments.back();
               last.isComplete() && last.parts.size() > 1) {
        // Between two segments of a track fed part by part. (Segments ingested whole arrive
        // as one part each: their next one is not announced before it exists.)
        planned = plannedDuration(t, 0, target);
        next = last.start.value + last.duration.value;
    } else {
        return;  // an open segment after a gap in time, or a track fed whole segments
    }
    entries.push_back({next, planned});
}

/// S elements: one per run of equal durations with contiguous times (t explicit on each run).
std::string segmentTimeline(const std::vector<TimelineEntry>& segments) {
    std::string out = "<SegmentTimeline>";
    size_t i = 0;
    while (i < segments.size()) {
        const int64_t t = segments[i].start;
        const int64_t d = segments[i].duration;
        size_t repeat = 0;
        while (i + repeat + 1 < segments.size()) {
            const TimelineEntry& next = segments[i + repeat + 1];
            const int64_t expected = t + d * int64_t(repeat + 1);
            if (next.duration != d || next.start != expected) {
                break;
            }
            ++repeat;
        }
        out += "<S" + attr("t", t) + attr("d", d);
        if (repeat > 0) {
            out += attr("r", int64_t(repeat));
        }
        out += "/>";
        i += repeat + 1;
    }
    return out + "</SegmentTimeline>";
}

struct RenderContext {
    const ChannelView& view;
    const DashOptions& options;
    Summary summary;
    bool isStatic = false;
};

std::string segmentTemplate(const RenderContext& c, const TrackView& t) {
    const auto segments = completeSegments(t);
    std::string out = "<SegmentTemplate" + attr("timescale", int64_t(t.info.timescale));
    if (c.isStatic) {
        const int64_t pto = std::llround(c.summary.firstStartSeconds * t.info.timescale);
        out += attr("presentationTimeOffset", pto);
    }
    out += attr("initialization", "$RepresentationID$/init.mp4") +
           attr("media", "$RepresentationID$/seg_$Number$.m4s") +
           attr("startNumber", segments.front()->sequence);
    auto entries = entriesOf(segments);
    if (c.summary.lowLatency && !c.isStatic) {
        const double offset = c.view.segmentTarget.seconds() - c.view.partTarget.seconds();
        out += attr("availabilityTimeOffset", decimalText(std::max(0.0, offset))) +
               attr("availabilityTimeComplete", "false");
        // With a SegmentTimeline a player only asks for segments the timeline lists: the one
        // being cut must be listed for availabilityTimeOffset to mean anything (the origin
        // streams it chunk by chunk), and the next one too (appendUpcoming).
        appendUpcoming(t, c.view.segmentTarget, entries);
    }
    return out + ">" + segmentTimeline(entries) + "</SegmentTemplate>";
}

std::string producerReferenceTime(const TrackView& t) {
    const StoredSegment* newest = completeSegments(t).back();
    return "<ProducerReferenceTime" + attr("id", 0) + attr("type", "encoder") +
           attr("wallClockTime", isoDateTime(newest->programDateTimeMs)) +
           attr("presentationTime", newest->start.value) + "/>";
}

std::string representation(const RenderContext& c, const TrackView& t) {
    const auto bandwidth =
        std::max<int64_t>(t.info.maxBitrateBps, static_cast<int64_t>(std::ceil(t.peakBitrateBps)));
    std::string out = "<Representation" + attr("id", t.info.id) +
                      attr("bandwidth", std::max<int64_t>(bandwidth, t.info.bitrateBps)) +
                      attr("codecs", t.info.codecString);
    if (t.info.kind == TrackKind::Video) {
        out += attr("width", t.info.width) + attr("height", t.info.height);
        if (t.info.fpsNum > 0) {
            const std::string rate = t.info.fpsDen > 1 ? std::to_string(t.info.fpsNum) + "/" +
                                                             std::to_string(t.info.fpsDen)
                                                       : std::to_string(t.info.fpsNum);
            out += attr("frameRate", rate);
        }
        out += attr("sar", "1:1") + ">";
    } else {
        out += attr("audioSamplingRate", t.info.sampleRate) + ">";
        out += "<AudioChannelConfiguration" + attr("schemeIdUri", kAudioChannelScheme) +
               attr("value", std::max(1, t.info.channels)) + "/>";
    }
    if (!c.isStatic) {
        out += producerReferenceTime(t);
    }
    return out + segmentTemplate(c, t) + "</Representation>";
}

std::string adaptationSet(const RenderContext& c, TrackKind kind, int id) {
    std::vector<const TrackView*> tracks;
    int maxWidth = 0, maxHeight = 0;
    for (const auto& t : c.view.tracks) {
        if (t.info.kind == kind && isListed(t)) {
            tracks.push_back(&t);
            maxWidth = std::max(maxWidth, t.info.width);
            maxHeight = std::max(maxHeight, t.info.height);
        }
    }
    if (tracks.empty()) {
        return {};
    }
    const bool video = kind == TrackKind::Video;
    std::string out = "  <AdaptationSet" + attr("id", id) +
                      attr("contentType", video ? "video" : "audio") +
                      attr("mimeType", video ? "video/mp4" : "audio/mp4") +
                      attr("segmentAlignment", "true") + attr("startWithSAP", 1);
    if (video) {
        out += attr("maxWidth", maxWidth) + attr("maxHeight", maxHeight);
    } else {
        out += attr("lang", "und");
    }
    out += ">\n";
    for (const auto* t : tracks) {
        out += "   " + representation(c, *t) + "\n";
    }
    return out + "  </AdaptationSet>\n";
}

std::string serviceDescription(const RenderContext& c) {
    int64_t target = c.options.latencyTargetMs;
    if (target <= 0) {
        const double seconds =
            c.summary.lowLatency ? c.view.segmentTarget.seconds() + 2 * c.view.partTarget.seconds()
                                 : 3 * c.view.segmentTarget.seconds();
        target = std::llround(seconds * 1000.0);
    }
    // The player may play up to a quarter faster to get back to the target after a stall (the
    // ceiling the /watch page also uses for hls.js) and down to 0.9x when it is too close to the
    // edge. dash.js maps this range onto a sigmoid of the drift, so a narrow one (it was
    // 0.96-1.04) left it seconds behind its own target after every stall.
    return " <ServiceDescription" + attr("id", 0) + "><Latency" + attr("target", target) +
           attr("min", target / 2) + attr("max", target * 2) + "/><PlaybackRate" +
           attr("min", "0.9") + attr("max", "1.25") + "/></ServiceDescription>\n";
}

std::string mpdOpen(const RenderContext& c, int64_t nowMs) {
    const Summary& s = c.summary;
    std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
    out += "<MPD" + attr("xmlns", "urn:mpeg:dash:schema:mpd:2011") +
           attr("type", c.isStatic ? "static" : "dynamic") +
           attr("profiles", "urn:mpeg:dash:profile:isoff-live:2011");
    if (c.isStatic) {
        out += attr("mediaPresentationDuration",
                    isoDuration(std::max(0.0, s.endSeconds - s.firstStartSeconds)));
    } else {
        const double update = c.options.minimumUpdatePeriodSeconds > 0
                                  ? c.options.minimumUpdatePeriodSeconds
                                  : c.view.segmentTarget.seconds();
        out += attr("availabilityStartTime", isoDateTime(c.view.availabilityStartMs)) +
               attr("minimumUpdatePeriod", isoDuration(update)) +
               attr("timeShiftBufferDepth", isoDuration(s.windowSeconds)) +
               attr("suggestedPresentationDelay", isoDuration(3 * c.view.segmentTarget.seconds()));
    }
    out += attr("publishTime", isoDateTime(nowMs)) +
           attr("maxSegmentDuration", isoDuration(s.maxSegmentSeconds)) +
           attr("minBufferTime", isoDuration(c.view.segmentTarget.seconds())) + ">\n";
    return out;
}

}  // namespace

std::string renderDashMpd(const ChannelView& view, int64_t nowMs, const DashOptions& options) {
    RenderContext c{view, options, summarize(view), view.ended};
    std::string out = mpdOpen(c, nowMs);
    if (!c.isStatic) {
        out += serviceDescription(c);
    }
    out += " <Period" + attr("id", "p0") + attr("start", "PT0S") + ">\n";
    out += adaptationSet(c, TrackKind::Video, 1);
    out += adaptationSet(c, TrackKind::Audio, 2);
    out += " </Period>\n";
    if (!c.isStatic && !options.timeUrl.empty()) {
        out += " <UTCTiming" + attr("schemeIdUri", "urn:mpeg:dash:utc:http-iso:2014") +
               attr("value", options.timeUrl) + "/>\n";
    }
    return out + "</MPD>\n";
}

}  // namespace podium::publisher::manifest

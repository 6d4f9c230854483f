#include <QtTest>

#include <algorithm>
#include <cmath>
#include <functional>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "channel_fixture.h"
#include "golden_text.h"
#include "publisher/manifest/dash_mpd.h"
#include "publisher/manifest/hls_blocking.h"
#include "publisher/manifest/hls_live.h"
#include "publisher/manifest/smooth_manifest.h"

using namespace podium;
using namespace podium::publisher;
using namespace podium::publisher::manifest;
using podium::publisher::manifest::test::ChannelScenario;
using podium::publisher::manifest::test::makeChannel;

namespace {

std::vector<std::string> lines(const std::string& text) {
    std::vector<std::string> out;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) {
        out.push_back(line);
    }
    return out;
}

std::vector<std::string> tagLines(const std::string& text, const std::string& tag) {
    std::vector<std::string> out;
    for (const auto& l : lines(text)) {
        if (l.rfind(tag + ":", 0) == 0 || l == tag) {
            out.push_back(l);
        }
    }
    return out;
}

/// The value of NAME=value in an attribute list line (quotes stripped), or "".
std::string attribute(const std::string& line, const std::string& name) {
    size_t pos = line.find(':');
    while (pos != std::string::npos) {
        const size_t start = pos + 1;
        if (line.compare(start, name.size() + 1, name + "=") == 0) {
            size_t begin = start + name.size() + 1;
            size_t end;
            if (line[begin] == '"') {
                ++begin;
                end = line.find('"', begin);
            } else {
                end = line.find(',', begin);
            }
            return line.substr(begin, end == std::string::npos ? std::string::npos : end - begin);
        }
        // next attribute: skip quoted strings
        size_t i = start;
        bool quoted = false;
        for (; i < line.size(); ++i) {
            if (line[i] == '"') {
                quoted = !quoted;
            } else if (line[i] == ',' && !quoted) {
                break;
            }
        }
        pos = i < line.size() ? i : std::string::npos;
    }
    return {};
}

double tagNumber(const std::string& text, const std::string& tag) {
    const auto found = tagLines(text, tag);
    return found.empty() ? -1.0 : std::stod(found.front().substr(tag.size() + 1));
}

manifest::ChannelViewPtr liveView() {
    ChannelScenario s;
    s.discontinuityAt = 8.0;
    return makeChannel(s)->view();
}

using ViewFactory = std::function<std::string()>;

}  // namespace

Q_DECLARE_METATYPE(ViewFactory)
Q_DECLARE_METATYPE(std::optional<int>)
Q_DECLARE_METATYPE(BlockDecision)

class TstHlsLive : public QObject {
    Q_OBJECT

private slots:
    void matchesGolden_data();
    void matchesGolden();
    void llHlsNumericRules_data();
    void llHlsNumericRules();
    void partHoldBackFollowsThePreset();
    void stretchedPartRaisesHoldBackOnlyPastTwicePartTarget_data();
    void stretchedPartRaisesHoldBackOnlyPastTwicePartTarget();
    void partsOnlyForTheLastSegments();
    void onePreloadHintForTheNextPart();
    void renditionReportsForEveryOtherTrack();
    void sameProgramDateTimeForSameMediaTimeAcrossRenditions();
    void discontinuityAtTheSamePositionInEveryRendition();
    void endedPlaylistHasEndlistAndNoHint();
    void multivariantBandwidthCoversMeasuredPeak();
    void channelWithoutMediaYet();
    void parseBlockingQuery_data();
    void parseBlockingQuery();
    void decideBlocking_data();
    void decideBlocking();
    void irregularPartsDoNotShrinkThePartLimit();
};

void TstHlsLive::matchesGolden_data() {
    QTest::addColumn<QString>("golden");
    QTest::addColumn<ViewFactory>("render");
    QTest::newRow("multivariant of the live ladder")
        << "live_multivariant.m3u8"
        << ViewFactory([] { return renderLiveMultivariant(*liveView()); });
    QTest::newRow("720p LL-HLS, discontinuity, evicted window")
        << "live_720p_ll.m3u8" << ViewFactory([] {
               const auto v = liveView();
               return renderLiveMediaPlaylist(*v, *v->track("720p"), {});
           });
    QTest::newRow("audio LL-HLS (parts end on AAC frames)")
        << "live_audio_ll.m3u8" << ViewFactory([] {
               const auto v = liveView();
               return renderLiveMediaPlaylist(*v, *v->track("audio"), {});
           });
    QTest::newRow("720p for a client without low latency")
        << "live_720p_no_ll.m3u8" << ViewFactory([] {
               const auto v = liveView();
               return renderLiveMediaPlaylist(*v, *v->track("720p"), LlHlsOptions{false});
           });
    QTest::newRow("channel without part target") << "live_360p_no_parts.m3u8" << ViewFactory([] {
        ChannelScenario s;
        s.withParts = false;
        const auto v = makeChannel(s)->view();
        return renderLiveMediaPlaylist(*v, *v->track("360p"), {});
    });
    QTest::newRow("ended stream") << "live_480p_ended.m3u8" << ViewFactory([] {
        ChannelScenario s;
        s.ended = true;
        s.seconds = 9.0;
        const auto v = makeChannel(s)->view();
        return renderLiveMediaPlaylist(*v, *v->track("480p"), {});
    });
}

void TstHlsLive::matchesGolden() {
    QFETCH(QString, golden);
    QFETCH(ViewFactory, render);
    PODIUM_COMPARE_GOLDEN(golden, render());
}

void TstHlsLive::llHlsNumericRules_data() {
    QTest::addColumn<QString>("track");
    for (const char* id : {"720p", "480p", "360p", "audio"}) {
        QTest::newRow(id) << QString(id);
    }
}

void TstHlsLive::llHlsNumericRules() {
    QFETCH(QString, track);
    const auto v = liveView();
    const manifest::TrackView& t = *v->track(track.toStdString());
    const std::string text = renderLiveMediaPlaylist(*v, t, {});
    const double td = tagNumber(text, "#EXT-X-TARGETDURATION");
    const std::string control = tagLines(text, "#EXT-X-SERVER-CONTROL").at(0);
    const double partTarget =
        std::stod(attribute(tagLines(text, "#EXT-X-PART-INF").at(0), "PART-TARGET"));
    QCOMPARE(attribute(control, "CAN-BLOCK-RELOAD"), std::string("YES"));
    QVERIFY(std::stod(attribute(control, "PART-HOLD-BACK")) >= 2 * partTarget - 1e-9);
    QVERIFY(std::stod(attribute(control, "PART-HOLD-BACK")) >= 3 * v->partTarget.seconds() - 1e-9);
    QVERIFY(std::stod(attribute(control, "HOLD-BACK")) >= 3 * td - 1e-9);
    QVERIFY(partTarget <= td);
    QVERIFY(partTarget >= v->partTarget.seconds());
    QCOMPARE(tagNumber(text, "#EXT-X-VERSION"), 9.0);
    QCOMPARE(int64_t(tagNumber(text, "#EXT-X-MEDIA-SEQUENCE")), t.segments.front().sequence);
    QCOMPARE(int64_t(tagNumber(text, "#EXT-X-DISCONTINUITY-SEQUENCE")), t.discontinuitySequence);
    for (const auto& part : tagLines(text, "#EXT-X-PART")) {
        QVERIFY2(std::stod(attribute(part, "DURATION")) <= partTarget, part.c_str());
    }
    for (const auto& extinf : tagLines(text, "#EXTINF")) {
        QVERIFY2(std::lround(std::stod(extinf.substr(8))) <= td, extinf.c_str());
    }
    // The window evicted segments, and still holds at least 3 target durations.
    QVERIFY(t.segments.front().sequence > 0);
    QVERIFY(double(tagLines(text, "#EXTINF").size()) * v->segmentTarget.seconds() >= 3 * td);
}

// The Interactive preset asks for PART-HOLD-BACK at the spec's minimum, 2 part targets;
// nothing goes under it, and HOLD-BACK stays at 3 target durations.
void TstHlsLive::partHoldBackFollowsThePreset() {
    const auto v = liveView();
    const manifest::TrackView& t = *v->track("720p");
    for (const double parts : {2.0, 2.5, 1.0}) {
        manifest::LlHlsOptions options;
        options.partHoldBackParts = parts;
        const std::string text = renderLiveMediaPlaylist(*v, t, options);
        const std::string control = tagLines(text, "#EXT-X-SERVER-CONTROL").at(0);
        const double partTarget =
            std::stod(attribute(tagLines(text, "#EXT-X-PART-INF").at(0), "PART-TARGET"));
        QCOMPARE(std::stod(attribute(control, "PART-HOLD-BACK")),
                 std::max(2.0, parts) * partTarget);
        QCOMPARE(std::stod(attribute(control, "HOLD-BACK")),
                 3.0 * tagNumber(text, "#EXT-X-TARGETDURATION"));
    }
}

// Frames the encoder dropped make one part longer than the nominal 0.5 s: PART-TARGET covers
// it, and PART-HOLD-BACK stays at the preset's 3 nominal parts until twice PART-TARGET (the
// spec's minimum) is more than that, so one late part does not hold every player back further.
void TstHlsLive::stretchedPartRaisesHoldBackOnlyPastTwicePartTarget_data() {
    QTest::addColumn<double>("stretched");
    QTest::addColumn<double>("partTarget");
    QTest::addColumn<double>("partHoldBack");
    QTest::newRow("none") << 0.5 << 0.5 << 1.5;
    QTest::newRow("one frame dropped") << 0.53333 << 0.53334 << 1.5;
    QTest::newRow("a burst of drops") << 0.7 << 0.7 << 1.5;
    QTest::newRow("longer than 1.5 parts") << 0.9 << 0.9 << 1.8;
}

void TstHlsLive::stretchedPartRaisesHoldBackOnlyPastTwicePartTarget() {
    QFETCH(double, stretched);
    QFETCH(double, partTarget);
    QFETCH(double, partHoldBack);
    manifest::ChannelView v = *liveView();
    manifest::TrackView& t = v.tracks.front();
    std::vector<manifest::StoredSegment> segments(t.segments.begin(), t.segments.end());
    QVERIFY(segments.size() >= 2 && segments[segments.size() - 2].parts.size() >= 2);
    segments[segments.size() - 2].parts[1].duration = MediaTime::fromSeconds(stretched, 90000);
    t.segments = manifest::SegmentList::of(segments);
    const std::string text = renderLiveMediaPlaylist(v, t, {});
    const std::string control = tagLines(text, "#EXT-X-SERVER-CONTROL").at(0);
    QCOMPARE(std::stod(attribute(tagLines(text, "#EXT-X-PART-INF").at(0), "PART-TARGET")),
             partTarget);
    QCOMPARE(std::stod(attribute(control, "PART-HOLD-BACK")), partHoldBack);
}

void TstHlsLive::partsOnlyForTheLastSegments() {
    const auto v = liveView();
    const manifest::TrackView& t = *v->track("720p");
    const std::string text = renderLiveMediaPlaylist(*v, t, {});
    const auto& last = t.segments.back();
    const double end = (last.start + last.duration).seconds();
    const double td = tagNumber(text, "#EXT-X-TARGETDURATION");
    int listed = 0;
    for (const auto& s : t.segments) {
        const bool shown =
            text.find("part_" + std::to_string(s.sequence) + "_0.m4s") != std::string::npos;
        QCOMPARE(shown, s.start.seconds() >= end - 3 * td);
        listed += shown ? 1 : 0;
    }
    QVERIFY(listed >= 2);
    QVERIFY(listed < int(t.segments.size()));
    // The in-progress segment shows its parts but no EXTINF line.
    QVERIFY(!last.isComplete());
    QVERIFY(text.find("seg_" + std::to_string(last.sequence) + ".m4s") == std::string::npos);
}

void TstHlsLive::onePreloadHintForTheNextPart() {
    const auto v = liveView();
    for (const auto& t : v->tracks) {
        const std::string text = renderLiveMediaPlaylist(*v, t, {});
        const auto hints = tagLines(text, "#EXT-X-PRELOAD-HINT");
        QCOMPARE(hints.size(), size_t(1));
        const auto& last = t.segments.back();
        QCOMPARE(attribute(hints[0], "TYPE"), std::string("PART"));
        QCOMPARE(attribute(hints[0], "URI"), "part_" + std::to_string(last.sequence) + "_" +
                                                 std::to_string(last.parts.size()) + ".m4s");
    }
    QVERIFY(tagLines(renderLiveMediaPlaylist(*v, v->tracks[0], LlHlsOptions{false}),
                     "#EXT-X-PRELOAD-HINT")
                .empty());
}

void TstHlsLive::renditionReportsForEveryOtherTrack() {
    const auto v = liveView();
    for (const auto& t : v->tracks) {
        const auto reports =
            tagLines(renderLiveMediaPlaylist(*v, t, {}), "#EXT-X-RENDITION-REPORT");
        QCOMPARE(reports.size(), v->tracks.size() - 1);
        for (const auto& other : v->tracks) {
            if (other.info.id == t.info.id) {
                continue;
            }
            const auto& last = other.segments.back();
            const std::string uri = "../" + other.info.id + "/index.m3u8";
            const auto it = std::find_if(reports.begin(), reports.end(),
                                         [&](const auto& r) { return attribute(r, "URI") == uri; });
            QVERIFY2(it != reports.end(), uri.c_str());
            QCOMPARE(std::stoll(attribute(*it, "LAST-MSN")), last.sequence);
            QCOMPARE(std::stoll(attribute(*it, "LAST-PART")), int64_t(last.parts.size()) - 1);
        }
    }
}

void TstHlsLive::sameProgramDateTimeForSameMediaTimeAcrossRenditions() {
    const auto v = liveView();
    auto pdtBySequence = [&](const manifest::TrackView& t) {
        std::map<int64_t, std::string> out;
        std::string pdt;
        for (const auto& l : lines(renderLiveMediaPlaylist(*v, t, {}))) {
            if (l.rfind("#EXT-X-PROGRAM-DATE-TIME:", 0) == 0) {
                pdt = l;
            } else if (l.rfind("seg_", 0) == 0) {
                out[std::stoll(l.substr(4))] = pdt;
            }
        }
        return out;
    };
    const auto reference = pdtBySequence(*v->track("720p"));
    QVERIFY(reference.size() >= 3);
    for (const char* id : {"480p", "360p"}) {
        QCOMPARE(pdtBySequence(*v->track(id)), reference);
    }
}

void TstHlsLive::discontinuityAtTheSamePositionInEveryRendition() {
    const auto v = liveView();
    for (const auto& t : v->tracks) {
        const auto l = lines(renderLiveMediaPlaylist(*v, t, {}));
        const auto it = std::find(l.begin(), l.end(), "#EXT-X-DISCONTINUITY");
        QVERIFY2(it != l.end(), t.info.id.c_str());
        const auto seg =
            std::find_if(it, l.end(), [](const auto& x) { return x.rfind("seg_", 0) == 0; });
        QCOMPARE(*seg, std::string("seg_4.m4s"));
    }
}

void TstHlsLive::endedPlaylistHasEndlistAndNoHint() {
    ChannelScenario s;
    s.ended = true;
    const auto v = makeChannel(s)->view();
    for (const auto& t : v->tracks) {
        const std::string text = renderLiveMediaPlaylist(*v, t, {});
        QVERIFY(text.size() > 20 && text.substr(text.size() - 15) == "#EXT-X-ENDLIST\n");
        QVERIFY(tagLines(text, "#EXT-X-PRELOAD-HINT").empty());
        // Every segment is complete: the last line before ENDLIST is a segment URI.
        const auto l = lines(text);
        QVERIFY(l[l.size() - 2].rfind("seg_", 0) == 0 ||
                l[l.size() - 2].rfind("#EXT-X-RENDITION-REPORT", 0) == 0);
    }
}

void TstHlsLive::multivariantBandwidthCoversMeasuredPeak() {
    const auto v = liveView();
    const std::string text = renderLiveMultivariant(*v);
    const auto variants = tagLines(text, "#EXT-X-STREAM-INF");
    QCOMPARE(variants.size(), size_t(3));
    const auto& audio = *v->track("audio");
    for (const char* id : {"720p", "480p", "360p"}) {
        const auto& t = *v->track(id);
        const auto it = std::find_if(variants.begin(), variants.end(), [&](const auto& line) {
            return attribute(line, "RESOLUTION") ==
                   std::to_string(t.info.width) + "x" + std::to_string(t.info.height);
        });
        QVERIFY(it != variants.end());
        QVERIFY(std::stod(attribute(*it, "BANDWIDTH")) >= t.peakBitrateBps + audio.peakBitrateBps);
        QVERIFY(std::stod(attribute(*it, "BANDWIDTH")) >=
                t.info.maxBitrateBps + audio.info.maxBitrateBps);
        QCOMPARE(attribute(*it, "CODECS"), t.info.codecString + ",mp4a.40.2");
        QCOMPARE(attribute(*it, "AUDIO"), std::string("aac"));
    }
    QVERIFY(text.find("URI=\"audio/index.m3u8\"") != std::string::npos);
    QVERIFY(text.find("\n720p/index.m3u8\n") != std::string::npos);
}

void TstHlsLive::channelWithoutMediaYet() {
    // Tracks declared, headers arrived, no segment: valid playlists with no media lines and no
    // hint (the server blocks until the first part), and blocking requests wait.
    ChannelScenario s;
    s.seconds = 0;
    const auto v = makeChannel(s)->view();
    const auto& t = *v->track("720p");
    const std::string text = renderLiveMediaPlaylist(*v, t, {});
    QVERIFY(text.find("#EXT-X-MAP:URI=\"init.mp4\"") != std::string::npos);
    QVERIFY(text.find("#EXTINF") == std::string::npos);
    QVERIFY(tagLines(text, "#EXT-X-PRELOAD-HINT").empty());
    QVERIFY(tagLines(text, "#EXT-X-RENDITION-REPORT").empty());
    QCOMPARE(manifest::decideBlocking(t, false, 0, std::nullopt, v->segmentTarget),
             BlockDecision::Wait);
    QCOMPARE(tagLines(renderLiveMultivariant(*v), "#EXT-X-STREAM-INF").size(), size_t(3));
    // DASH and Smooth list no Representation / no chunk yet, and still render.
    QVERIFY(renderDashMpd(*v, 0, {}).find("<Representation") == std::string::npos);
    QVERIFY(renderSmoothManifest(*v, 2).find("Chunks=\"0\"") != std::string::npos);
}

void TstHlsLive::parseBlockingQuery_data() {
    QTest::addColumn<QString>("msn");  // "-" = absent
    QTest::addColumn<QString>("part");
    QTest::addColumn<bool>("valid");
    QTest::addColumn<bool>("blocking");
    QTest::newRow("no directives") << "-"
                                   << "-" << true << false;
    QTest::newRow("msn only") << "12"
                              << "-" << true << true;
    QTest::newRow("msn and part") << "12"
                                  << "3" << true << true;
    QTest::newRow("part without msn") << "-"
                                      << "3" << false << false;
    QTest::newRow("negative msn") << "-1"
                                  << "-" << false << false;
    QTest::newRow("negative part") << "4"
                                   << "-2" << false << false;
    QTest::newRow("not a number") << "abc"
                                  << "-" << false << false;
    QTest::newRow("trailing junk") << "12x"
                                   << "-" << false << false;
    QTest::newRow("empty msn") << ""
                               << "-" << false << false;
}

void TstHlsLive::parseBlockingQuery() {
    QFETCH(QString, msn);
    QFETCH(QString, part);
    QFETCH(bool, valid);
    QFETCH(bool, blocking);
    const std::string msnText = msn.toStdString();
    const std::string partText = part.toStdString();
    auto opt = [](const std::string& s) {
        return s == "-" ? std::nullopt : std::optional<std::string_view>(s);
    };
    const auto parsed = manifest::parseBlockingQuery(opt(msnText), opt(partText));
    QCOMPARE(parsed.has_value(), valid);
    if (valid) {
        QCOMPARE(parsed->isBlocking(), blocking);
    } else {
        QCOMPARE(parsed.error().code(), ErrorCode::InvalidArgument);
    }
}

void TstHlsLive::decideBlocking_data() {
    // The live 720p track: segments up to 6 complete, 7 in progress with 1 part (see fixture).
    QTest::addColumn<bool>("ended");
    QTest::addColumn<qint64>("msn");
    QTest::addColumn<std::optional<int>>("part");
    QTest::addColumn<BlockDecision>("expected");
    const auto none = std::optional<int>();
    QTest::newRow("complete segment available now")
        << false << 6LL << none << BlockDecision::ServeNow;
    QTest::newRow("segment already evicted") << false << 0LL << none << BlockDecision::ServeNow;
    QTest::newRow("part of a complete segment")
        << false << 6LL << std::optional(2) << BlockDecision::ServeNow;
    QTest::newRow("first part of the open segment")
        << false << 7LL << std::optional(0) << BlockDecision::ServeNow;
    QTest::newRow("next part of the open segment waits")
        << false << 7LL << std::optional(1) << BlockDecision::Wait;
    QTest::newRow("open segment as a whole waits") << false << 7LL << none << BlockDecision::Wait;
    QTest::newRow("part past the last of a complete segment = next segment part 0")
        << false << 6LL << std::optional(4) << BlockDecision::ServeNow;
    QTest::newRow("two segments ahead waits") << false << 8LL << none << BlockDecision::Wait;
    QTest::newRow("msn too far ahead is a bad request")
        << false << 9LL << none << BlockDecision::BadRequest;
    QTest::newRow("part index absurdly far is a bad request")
        << false << 7LL << std::optional(40) << BlockDecision::BadRequest;
    QTest::newRow("negative msn is a bad request")
        << false << -1LL << none << BlockDecision::BadRequest;
    QTest::newRow("ended stream serves at once")
        << true << 8LL << std::optional(3) << BlockDecision::ServeNow;
}

void TstHlsLive::decideBlocking() {
    QFETCH(bool, ended);
    QFETCH(qint64, msn);
    QFETCH(std::optional<int>, part);
    QFETCH(BlockDecision, expected);
    const auto v = liveView();
    const auto& t = *v->track("720p");
    QCOMPARE(t.segments.back().sequence, int64_t(7));
    QCOMPARE(t.segments.back().parts.size(), size_t(1));
    QVERIFY(t.segments.front().sequence > 0);
    QCOMPARE(manifest::decideBlocking(t, ended, msn, part, v->segmentTarget), expected);
}

// A starved encoder drops frames and cuts irregular parts: here one segment of 8 parts, and one
// part of 1 s (target 0.5 s). The part after the last of the open segment (index 8) is a
// legitimate blocking request (it means part 0 of the next segment once this one closes), not
// "absurdly far": answering 400 would lock a player out for as long as the long part stays in
// the window (seen in the soak on a loaded machine).
void TstHlsLive::irregularPartsDoNotShrinkThePartLimit() {
    manifest::TrackView track;
    auto part = [](double seconds) {
        return manifest::StoredPart{MediaTime::fromSeconds(seconds, 90000), false, {}};
    };
    manifest::StoredSegment complete;
    complete.sequence = 10;
    complete.parts = {part(1.0), part(0.5), part(0.5)};
    complete.bytes = std::make_shared<const std::vector<uint8_t>>();
    manifest::StoredSegment open;
    open.sequence = 11;
    open.parts.assign(8, part(0.25));
    track.segments = manifest::SegmentList::of({complete, open});
    const auto target = MediaTime::fromSeconds(2, 90000);
    QCOMPARE(manifest::decideBlocking(track, false, 11, 8, target), BlockDecision::Wait);
    QCOMPARE(manifest::decideBlocking(track, false, 11, 40, target), BlockDecision::BadRequest);
}

QTEST_GUILESS_MAIN(TstHlsLive)
#include "tst_hls_live.moc"

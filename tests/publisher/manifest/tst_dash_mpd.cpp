#include <QtTest>

#include <QProcess>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QTemporaryFile>

#include <string>
#include <vector>

#include "channel_fixture.h"
#include "golden_text.h"
#include "publisher/manifest/dash_mpd.h"

using namespace podium;
using namespace podium::publisher;
using namespace podium::publisher::manifest;
using podium::publisher::manifest::test::ChannelScenario;
using podium::publisher::manifest::test::kAstMs;
using podium::publisher::manifest::test::makeChannel;

namespace {

// A wall clock a little after the fixture's live edge (14.75 s of media after AST).
constexpr int64_t kNowMs = kAstMs + 14900;

manifest::ChannelViewPtr liveView() {
    ChannelScenario s;
    s.discontinuityAt = 8.0;
    return makeChannel(s)->view();
}

struct TimelineEntry {
    int64_t t = 0;
    int64_t d = 0;
};

/// The expanded SegmentTimeline and startNumber of Representation `id`.
std::pair<std::vector<TimelineEntry>, int64_t> timelineOf(const QString& mpd, const QString& id) {
    const int rep = mpd.indexOf("<Representation id=\"" + id + "\"");
    const int end = mpd.indexOf("</Representation>", rep);
    const QString body = mpd.mid(rep, end - rep);
    const auto start = QRegularExpression("startNumber=\"(\\d+)\"").match(body);
    std::vector<TimelineEntry> out;
    QRegularExpression s("<S t=\"(\\d+)\" d=\"(\\d+)\"(?: r=\"(\\d+)\")?/>");
    for (auto it = s.globalMatch(body); it.hasNext();) {
        const auto m = it.next();
        const int64_t t = m.captured(1).toLongLong();
        const int64_t d = m.captured(2).toLongLong();
        const int64_t r = m.captured(3).isEmpty() ? 0 : m.captured(3).toLongLong();
        for (int64_t k = 0; k <= r; ++k) {
            out.push_back({t + k * d, d});
        }
    }
    return {out, start.captured(1).toLongLong()};
}

QString attributeOf(const QString& text, const QString& name) {
    return QRegularExpression(" " + name + "=\"([^\"]*)\"").match(text).captured(1);
}

}  // namespace

class TstDashMpd : public QObject {
    Q_OBJECT

private slots:
    void matchesGolden_data();
    void matchesGolden();
    void timelineEqualsStoredSegments_data();
    void timelineEqualsStoredSegments();
    void segmentBeingCutIsListedLast_data();
    void segmentBeingCutIsListedLast();
    void upcomingSegmentsStayNearTheTarget();
    void wholeSegmentsGetNoUpcomingOne();
    void segmentTimesMapToTheirWallClock();
    void liveEdgeWithinOneSegmentOfNow();
    void lowLatencyAttributes();
    void endedIsStatic();
    void wellFormedXml_data();
    void wellFormedXml();
};

void TstDashMpd::matchesGolden_data() {
    QTest::addColumn<QString>("golden");
    QTest::addColumn<bool>("ended");
    QTest::newRow("live ladder, low latency") << "live_ladder.mpd" << false;
    QTest::newRow("ended stream is static") << "ended_ladder.mpd" << true;
}

void TstDashMpd::matchesGolden() {
    QFETCH(QString, golden);
    QFETCH(bool, ended);
    ChannelScenario s;
    s.discontinuityAt = 8.0;
    s.ended = ended;
    const auto v = makeChannel(s)->view();
    PODIUM_COMPARE_GOLDEN(golden, renderDashMpd(*v, kNowMs, {"/time"}));
}

void TstDashMpd::timelineEqualsStoredSegments_data() {
    QTest::addColumn<QString>("track");
    for (const char* id : {"720p", "480p", "360p", "audio"}) {
        QTest::newRow(id) << QString(id);
    }
}

void TstDashMpd::timelineEqualsStoredSegments() {
    QFETCH(QString, track);
    const auto v = liveView();
    const QString mpd = QString::fromStdString(renderDashMpd(*v, kNowMs, {}));
    const auto [timeline, startNumber] = timelineOf(mpd, track);
    std::vector<TimelineEntry> stored;
    const auto& t = *v->track(track.toStdString());
    for (const auto& s : t.segments) {
        if (s.isComplete()) {
            stored.push_back({s.start.value, s.duration.value});
        }
    }
    QCOMPARE(startNumber, t.segments.front().sequence);
    QVERIFY(startNumber > 0);  // the window evicted segments
    // Every complete segment exactly, then the one being cut and the next (low latency): see
    // the next test.
    QCOMPARE(timeline.size(), stored.size() + 2);
    for (size_t i = 0; i < stored.size(); ++i) {
        QCOMPARE(timeline[i].t, stored[i].t);
        QCOMPARE(timeline[i].d, stored[i].d);
    }
}

void TstDashMpd::segmentBeingCutIsListedLast_data() {
    QTest::addColumn<QString>("track");
    for (const char* id : {"720p", "360p", "audio"}) {
        QTest::newRow(id) << QString(id);
    }
}

void TstDashMpd::segmentBeingCutIsListedLast() {
    // A player fetches only what the timeline lists: the segment being cut is listed after the
    // complete ones, so availabilityTimeOffset lets the player stream it as it grows, and so is
    // the next one, which a player refreshing the MPD once a second would otherwise learn of
    // too late. Their announced durations are never shorter than any the track has had
    // (announcing too little makes dash.js fetch the same segment twice; audio segments vary
    // by one AAC frame).
    QFETCH(QString, track);
    const auto v = liveView();
    const QString mpd = QString::fromStdString(renderDashMpd(*v, kNowMs, {}));
    const auto [timeline, startNumber] = timelineOf(mpd, track);
    const auto& t = *v->track(track.toStdString());
    const auto& open = t.segments.back();
    QVERIFY(!open.isComplete());
    QVERIFY(!open.parts.empty());
    QCOMPARE(int64_t(timeline.size()), open.sequence - startNumber + 2);
    const auto& cut = timeline[timeline.size() - 2];
    QCOMPARE(cut.t, open.start.value);
    const int64_t target = v->segmentTarget.rescaled(t.info.timescale, Rounding::Up).value;
    QVERIFY(cut.d >= target);
    for (const auto& s : t.segments) {
        QVERIFY(cut.d >= s.duration.value);
    }
    // The next one starts where the one being cut is announced to end, for as long.
    QCOMPARE(timeline.back().t, cut.t + cut.d);
    QCOMPARE(timeline.back().d, cut.d);
    // The announced end of the one being cut is after now and within one segment of it.
    const double endMs =
        double(kAstMs) + 1000.0 * double(cut.t + cut.d) / double(t.info.timescale);
    QVERIFY(endMs > double(kNowMs));
    QVERIFY(endMs - double(kNowMs) <= 1000.0 * v->segmentTarget.seconds() + 25.0);

    // Without parts (no low latency) and once ended, only complete segments are listed.
    ChannelScenario plain;
    plain.withParts = false;
    const auto pv = makeChannel(plain)->view();
    const auto [plainTimeline, plainStart] =
        timelineOf(QString::fromStdString(renderDashMpd(*pv, kNowMs, {})), track);
    const auto& pt = *pv->track(track.toStdString());
    const auto complete = std::count_if(pt.segments.begin(), pt.segments.end(),
                                        [](const auto& seg) { return seg.isComplete(); });
    QCOMPARE(qsizetype(plainTimeline.size()), qsizetype(complete));
}

// One double-length segment in the window (x264's IDR safety net) must not stretch the two
// announced segments: after fetching both, dash.js looks for the next one at the end of the
// second; announced at twice their length that lands past the real third one, skipping it.
void TstDashMpd::upcomingSegmentsStayNearTheTarget() {
    manifest::ChannelView v = *liveView();
    manifest::TrackView& t = v.tracks.front();
    std::vector<manifest::StoredSegment> segments(t.segments.begin(), t.segments.end());
    QVERIFY(segments.size() >= 3 && segments[1].isComplete());
    segments[1].duration.value *= 2;
    t.segments = manifest::SegmentList::of(segments);
    const QString mpd = QString::fromStdString(renderDashMpd(v, kNowMs, {}));
    const auto [timeline, startNumber] = timelineOf(mpd, QString::fromStdString(t.info.id));
    const int64_t target = v.segmentTarget.rescaled(t.info.timescale, Rounding::Up).value;
    const auto& cut = timeline[timeline.size() - 2];
    QCOMPARE(cut.t, segments.back().start.value);
    QVERIFY(cut.d >= target);
    QVERIFY(cut.d <= target + target / 4);
    QCOMPARE(timeline.back().t, cut.t + cut.d);
    QVERIFY(cut.d + timeline.back().d < 3 * target);
}

// Segments ingested whole (one part each): nothing is announced past the last one received.
void TstDashMpd::wholeSegmentsGetNoUpcomingOne() {
    manifest::ChannelView v = *liveView();
    manifest::TrackView& t = v.tracks.front();
    std::vector<manifest::StoredSegment> segments;
    for (const auto& s : t.segments) {
        if (s.isComplete()) {
            segments.push_back(s);
            segments.back().parts.resize(1);
            segments.back().parts.front().duration = s.duration;
        }
    }
    t.segments = manifest::SegmentList::of(segments);
    const QString mpd = QString::fromStdString(renderDashMpd(v, kNowMs, {}));
    const auto [timeline, startNumber] = timelineOf(mpd, QString::fromStdString(t.info.id));
    QCOMPARE(timeline.size(), segments.size());
    QCOMPARE(timeline.back().t, segments.back().start.value);
}

void TstDashMpd::segmentTimesMapToTheirWallClock() {
    // AST + Period start (0) + (t - presentationTimeOffset (0)) / timescale == segment PDT.
    const auto v = liveView();
    const QString mpd = QString::fromStdString(renderDashMpd(*v, kNowMs, {}));
    QCOMPARE(attributeOf(mpd, "availabilityStartTime"), QString("2026-11-25T12:00:00.000Z"));
    QVERIFY(!mpd.contains("presentationTimeOffset"));
    QVERIFY(mpd.contains("<Period id=\"p0\" start=\"PT0S\">"));
    for (const auto& t : v->tracks) {
        const auto [timeline, first] = timelineOf(mpd, QString::fromStdString(t.info.id));
        QCOMPARE(timeline.size(), t.segments.size() + 1);  // and the next, not cut yet
        for (size_t i = 0; i < t.segments.size(); ++i) {
            const auto& s = t.segments[i];
            const double wallMs =
                double(kAstMs) + 1000.0 * double(timeline[i].t) / double(t.info.timescale);
            QVERIFY(std::abs(wallMs - double(s.programDateTimeMs)) <= 1.0);
        }
    }
}

void TstDashMpd::liveEdgeWithinOneSegmentOfNow() {
    const auto v = liveView();
    const QString mpd = QString::fromStdString(renderDashMpd(*v, kNowMs, {}));
    const auto [timeline, first] = timelineOf(mpd, "720p");
    const auto& last = timeline[timeline.size() - 3];  // the newest complete segment
    const double edgeMs = double(kAstMs) + 1000.0 * double(last.t + last.d) / 90000.0;
    QVERIFY(edgeMs <= double(kNowMs));
    QVERIFY(double(kNowMs) - edgeMs <= 1000.0 * v->segmentTarget.seconds());
    QCOMPARE(attributeOf(mpd, "publishTime"), QString("2026-11-25T12:00:14.900Z"));
}

void TstDashMpd::lowLatencyAttributes() {
    const auto v = liveView();
    const QString mpd =
        QString::fromStdString(renderDashMpd(*v, kNowMs, {"http://127.0.0.1:8080/time"}));
    QCOMPARE(attributeOf(mpd, "type"), QString("dynamic"));
    QCOMPARE(mpd.count("availabilityTimeOffset=\"1.5\""), 4);
    QCOMPARE(mpd.count("availabilityTimeComplete=\"false\""), 4);
    QCOMPARE(mpd.count("<ProducerReferenceTime "), 4);
    QVERIFY(mpd.contains("<ServiceDescription id=\"0\"><Latency target=\"3000\""));
    QVERIFY(
        mpd.contains("<UTCTiming schemeIdUri=\"urn:mpeg:dash:utc:http-iso:2014\" "
                     "value=\"http://127.0.0.1:8080/time\"/>"));
    for (const char* required : {"minimumUpdatePeriod", "timeShiftBufferDepth", "minBufferTime",
                                 "maxSegmentDuration", "suggestedPresentationDelay"}) {
        QVERIFY2(!attributeOf(mpd, required).isEmpty(), required);
    }
    QVERIFY(mpd.contains("initialization=\"$RepresentationID$/init.mp4\""));
    QVERIFY(mpd.contains("media=\"$RepresentationID$/seg_$Number$.m4s\""));

    ChannelScenario plain;
    plain.withParts = false;
    const auto pv = makeChannel(plain)->view();
    const QString noLl = QString::fromStdString(renderDashMpd(*pv, kNowMs, {}));
    QVERIFY(!noLl.contains("availabilityTimeOffset"));
    QVERIFY(noLl.contains("<Latency target=\"6000\""));
}

void TstDashMpd::endedIsStatic() {
    ChannelScenario s;
    s.ended = true;
    const auto v = makeChannel(s)->view();
    const QString mpd = QString::fromStdString(renderDashMpd(*v, kNowMs, {}));
    QCOMPARE(attributeOf(mpd, "type"), QString("static"));
    QVERIFY(!attributeOf(mpd, "mediaPresentationDuration").isEmpty());
    QVERIFY(!mpd.contains("minimumUpdatePeriod"));
    QVERIFY(!mpd.contains("availabilityTimeComplete"));
    // The window starts at presentation time 0: presentationTimeOffset = first segment start.
    const auto& first = v->track("720p")->segments.front();
    QVERIFY(mpd.contains("presentationTimeOffset=\"" + QString::number(first.start.value) + "\""));
}

void TstDashMpd::wellFormedXml_data() {
    QTest::addColumn<bool>("ended");
    QTest::newRow("live") << false;
    QTest::newRow("ended") << true;
}

void TstDashMpd::wellFormedXml() {
    QFETCH(bool, ended);
    const QString xmllint = QStandardPaths::findExecutable("xmllint");
    if (xmllint.isEmpty()) {
        QSKIP("xmllint not installed (apt-get install libxml2-utils)");
    }
    ChannelScenario s;
    s.ended = ended;
    const std::string mpd = renderDashMpd(*makeChannel(s)->view(), kNowMs, {});
    QTemporaryFile file;
    QVERIFY(file.open());
    file.write(mpd.data(), qint64(mpd.size()));
    file.close();
    QProcess lint;
    lint.start(xmllint, {"--noout", file.fileName()});
    QVERIFY(lint.waitForFinished(30000));
    QVERIFY2(lint.exitCode() == 0, lint.readAllStandardError().constData());
}

QTEST_GUILESS_MAIN(TstDashMpd)
#include "tst_dash_mpd.moc"

// The viewers' beacons (issue #12): parsing a body from any browser, and one channel's table of
// reports (quantiles, expiry, limits).
#include <QtTest>

#include <string>

#include "publisher/origin/qoe/qoe_beacon.h"
#include "publisher/origin/qoe/qoe_summary_json.h"
#include "publisher/origin/qoe/qoe_table.h"

using namespace podium;
using namespace podium::publisher::origin;
using namespace std::chrono_literals;

namespace {

QoeBeacon beacon(const std::string& viewer, double behind, const std::string& rendition = "720p") {
    QoeBeacon b;
    b.viewer = viewer;
    b.behindLiveSeconds = behind;
    b.rendition = rendition;
    b.watchSeconds = 10;
    return b;
}

}  // namespace

class TstQoe : public QObject {
    Q_OBJECT

private slots:
    void readsAFullBeacon();
    void refusesBadBodies_data();
    void refusesBadBodies();
    void quantilesOverTheWatchingViewers();
    void viewersExpireAfterTheWatchingTime();
    void aLeavingViewerIsForgotten();
    void tooFrequentBeaconsAreRefused();
    void aFullTableRefusesNewViewersOnly();
    void stallRatioAndRenditionMix();
    void summaryJsonRoundTrip();
    void refusesBadSummaries_data();
    void refusesBadSummaries();
};

void TstQoe::readsAFullBeacon() {
    const auto b = parseQoeBeacon(
        R"({"viewer":"k3x9_a-1","behind":1.1,"g2g":0.9,"rendition":"720p","stalls":2,)"
        R"("stallSeconds":0.8,"watchSeconds":35.2,"dropped":3,"bandwidth":5400000,)"
        R"("future":"ignored"})");
    QVERIFY2(b, b ? "" : b.error().toString().c_str());
    QCOMPARE(QString::fromStdString(b->viewer), QString("k3x9_a-1"));
    QCOMPARE(*b->behindLiveSeconds, 1.1);
    QCOMPARE(*b->glassToGlassSeconds, 0.9);
    QCOMPARE(QString::fromStdString(b->rendition), QString("720p"));
    QCOMPARE(b->stalls, uint64_t(2));
    QCOMPARE(b->stallSeconds, 0.8);
    QCOMPARE(b->watchSeconds, 35.2);
    QCOMPARE(b->droppedFrames, uint64_t(3));
    QCOMPARE(*b->bandwidthBps, 5400000.0);
    QVERIFY(!b->leaving);
    // Only the viewer is required: a page whose player has no figure yet.
    const auto minimal = parseQoeBeacon(R"({"viewer":"v1","leaving":true})");
    QVERIFY(minimal);
    QVERIFY(!minimal->behindLiveSeconds);
    QVERIFY(minimal->leaving);
}

void TstQoe::refusesBadBodies_data() {
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<int>("code");
    QTest::addColumn<QString>("names");
    const int parse = int(ErrorCode::Parse);
    QTest::newRow("not JSON") << QByteArray("viewer=1") << parse << "JSON object";
    QTest::newRow("an array") << QByteArray("[1,2]") << parse << "JSON object";
    QTest::newRow("cut short") << QByteArray(R"({"viewer":"v1","behind":)") << parse
                               << "JSON object";
    QTest::newRow("no viewer") << QByteArray(R"({"behind":1})") << parse << "viewer";
    QTest::newRow("a viewer id with a slash")
        << QByteArray(R"({"viewer":"../x"})") << parse << "viewer";
    QTest::newRow("a number as text")
        << QByteArray(R"({"viewer":"v1","behind":"1.2"})") << parse << "behind";
    QTest::newRow("negative delay")
        << QByteArray(R"({"viewer":"v1","behind":-3})") << parse << "behind";
    QTest::newRow("a delay of a day")
        << QByteArray(R"({"viewer":"v1","behind":86400})") << parse << "behind";
    QTest::newRow("huge stall count")
        << QByteArray(R"({"viewer":"v1","stalls":1e300})") << parse << "stalls";
    QTest::newRow("rendition with a space")
        << QByteArray(R"({"viewer":"v1","rendition":"7 20p"})") << parse << "rendition";
    QTest::newRow("leaving as text")
        << QByteArray(R"({"viewer":"v1","leaving":"yes"})") << parse << "leaving";
    QTest::newRow("over 2 KiB") << QByteArray(R"({"viewer":"v1","pad":")") + QByteArray(3000, 'x') +
                                       QByteArray(R"("})")
                                << int(ErrorCode::LimitExceeded) << "2048";
}

void TstQoe::refusesBadBodies() {
    QFETCH(QByteArray, body);
    QFETCH(int, code);
    QFETCH(QString, names);
    const auto b = parseQoeBeacon(std::string_view(body.constData(), size_t(body.size())));
    QVERIFY(!b);
    QCOMPARE(int(b.error().code()), code);
    QVERIFY2(QString::fromStdString(b.error().toString()).contains(names),
             b.error().toString().c_str());
}

void TstQoe::quantilesOverTheWatchingViewers() {
    QoeTable table;
    const auto t0 = QoeTable::Clock::now();
    // 20 viewers 1.0 .. 2.9 s behind; one without a figure yet.
    for (int i = 0; i < 20; ++i) {
        QCOMPARE(table.add(beacon("v" + std::to_string(i), 1.0 + 0.1 * i), t0),
                 QoeTable::Outcome::Counted);
    }
    QoeBeacon silent;
    silent.viewer = "silent";
    QCOMPARE(table.add(silent, t0), QoeTable::Outcome::Counted);
    const QoeSummary s = table.summary(t0 + 1s);
    QCOMPARE(s.viewers, std::size_t(21));
    QCOMPARE(*s.behindLiveP50, 1.9);  // the 10th of 20 (nearest rank)
    QCOMPARE(*s.behindLiveP95, 2.8);  // the 19th of 20
    QVERIFY(!s.glassToGlassP50);      // nobody reported one
}

void TstQoe::viewersExpireAfterTheWatchingTime() {
    QoeTable table;
    const auto t0 = QoeTable::Clock::now();
    table.add(beacon("early", 1.0), t0);
    table.add(beacon("late", 2.0), t0 + 10s);
    QCOMPARE(table.summary(t0 + 14s).viewers, std::size_t(2));
    const QoeSummary s = table.summary(t0 + 16s);  // "early" beaconed more than 15 s ago
    QCOMPARE(s.viewers, std::size_t(1));
    QCOMPARE(*s.behindLiveP50, 2.0);
    QCOMPARE(table.summary(t0 + 30s).viewers, std::size_t(0));
}

void TstQoe::aLeavingViewerIsForgotten() {
    QoeTable table;
    const auto t0 = QoeTable::Clock::now();
    table.add(beacon("v1", 1.0), t0);
    QoeBeacon bye = beacon("v1", 1.0);
    bye.leaving = true;
    QCOMPARE(table.add(bye, t0 + 100ms), QoeTable::Outcome::Left);  // sendBeacon on leave
    QCOMPARE(table.summary(t0 + 1s).viewers, std::size_t(0));
}

void TstQoe::tooFrequentBeaconsAreRefused() {
    QoeTable table;
    const auto t0 = QoeTable::Clock::now();
    QCOMPARE(table.add(beacon("v1", 1.0), t0), QoeTable::Outcome::Counted);
    QCOMPARE(table.add(beacon("v1", 9.0), t0 + 200ms), QoeTable::Outcome::TooSoon);
    QCOMPARE(*table.summary(t0 + 300ms).behindLiveP50, 1.0);  // the refused one did not count
    QCOMPARE(table.add(beacon("v1", 2.0), t0 + 5s), QoeTable::Outcome::Counted);
    QCOMPARE(*table.summary(t0 + 5s).behindLiveP50, 2.0);
}

void TstQoe::aFullTableRefusesNewViewersOnly() {
    QoeLimits limits;
    limits.maxViewers = 3;
    QoeTable table(limits);
    const auto t0 = QoeTable::Clock::now();
    for (int i = 0; i < 3; ++i) {
        QCOMPARE(table.add(beacon("v" + std::to_string(i), 1.0), t0), QoeTable::Outcome::Counted);
    }
    QCOMPARE(table.add(beacon("v3", 1.0), t0), QoeTable::Outcome::Full);
    QCOMPARE(table.add(beacon("v0", 1.5), t0 + 5s), QoeTable::Outcome::Counted);  // known: fine
    QCOMPARE(table.summary(t0 + 5s).viewers, std::size_t(3));
    // Once the others stop beaconing, room comes back.
    QCOMPARE(table.add(beacon("v3", 1.0), t0 + 17s), QoeTable::Outcome::Counted);
    QCOMPARE(table.summary(t0 + 17s).viewers, std::size_t(2));  // v0 (t0+5s) and v3
}

void TstQoe::stallRatioAndRenditionMix() {
    QoeTable table;
    const auto t0 = QoeTable::Clock::now();
    QoeBeacon a = beacon("a", 1.0, "720p");
    a.watchSeconds = 90;
    a.stallSeconds = 10;
    QoeBeacon b = beacon("b", 1.0, "360p");
    b.watchSeconds = 100;
    QoeBeacon c = beacon("c", 1.0, "720p");
    c.watchSeconds = 0;
    table.add(a, t0);
    table.add(b, t0);
    table.add(c, t0);
    const QoeSummary s = table.summary(t0);
    QCOMPARE(s.stallRatio, 10.0 / 200.0);
    QCOMPARE(s.viewersByRendition.at("720p"), std::size_t(2));
    QCOMPARE(s.viewersByRendition.at("360p"), std::size_t(1));
    QCOMPARE(QoeTable().summary(t0).stallRatio, 0.0);  // nobody: no ratio to speak of
}

// GET /api/channels/<ch>/qoe, written by one origin and read by the studio pushing to it.
void TstQoe::summaryJsonRoundTrip() {
    QoeSummary s;
    s.viewers = 3;
    s.behindLiveP50 = 1.1;
    s.behindLiveP95 = 1.75;
    s.glassToGlassP50 = 1.25;  // p95 nobody reported: null
    s.stallRatio = 0.02;
    s.viewersByRendition = {{"720p", 2}, {"", 1}};
    const std::string json = qoeSummaryJson("ug", s);
    QVERIFY2(json.find("\"p95\":null") != std::string::npos, json.c_str());
    const auto back = parseQoeSummaryJson(json);
    QVERIFY2(back.has_value(), back ? "" : back.error().toString().c_str());
    QCOMPARE(back->viewers, s.viewers);
    QCOMPARE(back->behindLiveP50, s.behindLiveP50);
    QCOMPARE(back->behindLiveP95, s.behindLiveP95);
    QCOMPARE(back->glassToGlassP50, s.glassToGlassP50);
    QVERIFY(!back->glassToGlassP95.has_value());
    QCOMPARE(back->stallRatio, s.stallRatio);
    QCOMPARE(back->viewersByRendition, s.viewersByRendition);
    const auto empty = parseQoeSummaryJson(qoeSummaryJson("ug", QoeSummary{}));
    QVERIFY(empty.has_value());
    QCOMPARE(empty->viewers, std::size_t(0));
    QVERIFY(!empty->behindLiveP50.has_value());
}

void TstQoe::refusesBadSummaries_data() {
    QTest::addColumn<QString>("body");
    QTest::addColumn<QString>("named");
    QTest::newRow("not json") << "<html>"
                              << "JSON object";
    QTest::newRow("array") << "[1]"
                           << "JSON object";
    QTest::newRow("no viewers") << "{}"
                                << "viewers";
    QTest::newRow("negative viewers") << R"({"viewers":-1})"
                                      << "viewers";
    QTest::newRow("p50 text") << R"({"viewers":1,"behindLive":{"p50":"1"}})"
                              << "behindLive.p50";
    QTest::newRow("p95 a day") << R"({"viewers":1,"glassToGlass":{"p95":86400}})"
                               << "glassToGlass.p95";
    QTest::newRow("stall ratio 2") << R"({"viewers":1,"stallRatio":2})"
                                   << "stallRatio";
    QTest::newRow("rendition path") << R"({"viewers":1,"renditions":{"../x":1}})"
                                    << "renditions";
    QTest::newRow("rendition over viewers") << R"({"viewers":1,"renditions":{"720p":5}})"
                                            << "renditions.720p";
    QTest::newRow("too long") << QString(int(kMaxQoeSummaryBytes) + 1, ' ') << "bytes";
}

void TstQoe::refusesBadSummaries() {
    QFETCH(QString, body);
    QFETCH(QString, named);
    const auto s = parseQoeSummaryJson(body.toStdString());
    QVERIFY(!s.has_value());
    const std::string message = s.error().toString();
    QVERIFY2(message.find(named.toStdString()) != std::string::npos, message.c_str());
}

QTEST_GUILESS_MAIN(TstQoe)
#include "tst_qoe.moc"

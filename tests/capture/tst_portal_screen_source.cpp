// PortalScreenSource whole, in the headless Wayland session: the real xdg-desktop-portal and
// its wlroots backend share sway's output (a known colour) over PipeWire. The source delivers
// that colour at the canvas rate, repeats the last picture when the screen is still, hands back
// a restore token, and shows the "screen sharing ended" slate when the portal goes away.
#include <QtTest>

#include <signal.h>

#include <mutex>
#include <vector>

#include "capture/portal_screen_source.h"
#include "wayland_session.h"

using namespace podium;
using namespace podium::capture;
using namespace std::chrono_literals;

namespace {

constexpr int kWidth = 640;
constexpr int kHeight = 360;

/// Mean of one I420 plane.
double planeMean(const VideoFrame& f, int plane) {
    const int w = plane == 0 ? f.width : f.chromaWidth();
    const int h = plane == 0 ? f.height : f.chromaHeight();
    double sum = 0;
    for (int y = 0; y < h; ++y) {
        const uint8_t* row = f.plane(plane) + size_t(y) * f.stride(plane);
        for (int x = 0; x < w; ++x) {
            sum += row[x];
        }
    }
    return sum / (double(w) * h);
}

struct Collected {
    std::mutex mutex;
    std::vector<VideoFramePtr> frames;

    size_t size() {
        std::lock_guard lock(mutex);
        return frames.size();
    }
    VideoFramePtr last() {
        std::lock_guard lock(mutex);
        return frames.empty() ? nullptr : frames.back();
    }
};

SourceCallbacks collectInto(Collected& c) {
    SourceCallbacks cb;
    cb.onVideo = [&c](VideoFramePtr f) {
        std::lock_guard lock(c.mutex);
        c.frames.push_back(std::move(f));
    };
    return cb;
}

PortalScreenConfig configFor(const WaylandSession& session) {
    PortalScreenConfig config;
    config.busAddress = session.value("DBUS_SESSION_BUS_ADDRESS").toStdString();
    config.canvasWidth = kWidth;
    config.canvasHeight = kHeight;
    config.request.choiceTimeout = 20s;
    return config;
}

}  // namespace

class TstPortalScreenSource : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void captureTimesMapToTheSessionClock_data();
    void captureTimesMapToTheSessionClock();
    void capturesTheSharedScreen();
    void aStillScreenIsRepeated();
    void sharingEndedShowsTheSlate();

private:
    WaylandSession session_;
};

void TstPortalScreenSource::initTestCase() {
    const auto outcome = session_.start();
    if (outcome == WaylandSession::Outcome::Unavailable) {
        QSKIP(qPrintable("no headless Wayland session on this machine: " + session_.problem()));
    }
    QVERIFY2(outcome == WaylandSession::Outcome::Started, qPrintable(session_.problem()));
}

void TstPortalScreenSource::captureTimesMapToTheSessionClock_data() {
    QTest::addColumn<qint64>("ptsNs");
    QTest::addColumn<qint64>("arrivalNs");
    QTest::addColumn<qint64>("expectedUs");  // on a clock reading 10 s at arrival
    QTest::newRow("stamped 8 ms before arrival")
        << qint64(5'000'000'000) << qint64(5'008'000'000) << qint64(9'992'000);
    QTest::newRow("no stamp: arrival") << qint64(-1) << qint64(5'000'000'000) << qint64(10'000'000);
    QTest::newRow("stamp in the future: arrival")
        << qint64(6'000'000'000) << qint64(5'000'000'000) << qint64(10'000'000);
    QTest::newRow("another clock's stamp (hours off): arrival")
        << qint64(10'000'000'000'000) << qint64(5'000'000'000) << qint64(10'000'000);
}

void TstPortalScreenSource::captureTimesMapToTheSessionClock() {
    QFETCH(qint64, ptsNs);
    QFETCH(qint64, arrivalNs);
    QFETCH(qint64, expectedUs);
    const MediaTime t = captureTimeOnClock(ptsNs, arrivalNs, MediaTime{10'000'000, 1'000'000});
    QCOMPARE(t.rescaled(1'000'000).value, expectedUs);
}

void TstPortalScreenSource::capturesTheSharedScreen() {
    SteadyClock clock;
    auto source = PortalScreenSource::open(configFor(session_), clock);
    QVERIFY2(source, source ? "" : source.error().toString().c_str());
    QVERIFY2((*source)->describe().find("desktop portal") != std::string::npos,
             (*source)->describe().c_str());
    QVERIFY2(!(*source)->restoreToken().empty(), "the portal (version 4) hands back a token");
    QCOMPARE((*source)->format().width, kWidth);
    Collected got;
    QVERIFY((*source)->start(collectInto(got)));
    QTRY_VERIFY_WITH_TIMEOUT(got.size() >= 45, 15000);
    (*source)->stop();

    // The frames follow the canvas timeline: sequence n at n/30 s.
    std::lock_guard lock(got.mutex);
    for (size_t i = 1; i < got.frames.size(); ++i) {
        QVERIFY(got.frames[i]->sequence > got.frames[i - 1]->sequence);
        QCOMPARE(got.frames[i]->pts.value, got.frames[i]->sequence * 3000);
    }
    // The screen's colour 48,80,208 in BT.601 limited range: Y 89, U 189, V 105.
    const VideoFrame& f = *got.frames.back();
    QCOMPARE(f.width, kWidth);
    QCOMPARE(f.height, kHeight);
    const double y = planeMean(f, 0), u = planeMean(f, 1), v = planeMean(f, 2);
    QVERIFY2(std::abs(y - 89) < 4 && std::abs(u - 189) < 4 && std::abs(v - 105) < 4,
             qPrintable(QString("Y %1 U %2 V %3").arg(y).arg(u).arg(v)));
    const auto stats = (*source)->stats();
    QVERIFY2(stats.received > 0, "pictures came through PipeWire");
    QVERIFY(!(*source)->lost());
}

void TstPortalScreenSource::aStillScreenIsRepeated() {
    // A desktop with nothing moving: the portal sends one picture, the source keeps the rate.
    WaylandSession still;
    const auto outcome = still.start({"--no-painter", "--colour", "d03050"});
    QVERIFY2(outcome == WaylandSession::Outcome::Started, qPrintable(still.problem()));
    SteadyClock clock;
    auto source = PortalScreenSource::open(configFor(still), clock);
    QVERIFY2(source, source ? "" : source.error().toString().c_str());
    Collected got;
    QVERIFY((*source)->start(collectInto(got)));
    QTRY_VERIFY_WITH_TIMEOUT(got.size() >= 60, 15000);
    (*source)->stop();
    const auto stats = (*source)->stats();
    QVERIFY2(stats.received <= 3, qPrintable(QString("%1 pictures").arg(stats.received)));
    QVERIFY2(stats.repeated >= int64_t(got.size()) - 3,
             qPrintable(QString("%1 repeated of %2").arg(stats.repeated).arg(got.size())));
    // Colour 208,48,80: Y 101, U 118, V 196; the repeats are that picture, not black.
    const VideoFrame& f = *got.last();
    const double y = planeMean(f, 0), u = planeMean(f, 1), v = planeMean(f, 2);
    QVERIFY2(std::abs(y - 101) < 4 && std::abs(u - 118) < 4 && std::abs(v - 196) < 4,
             qPrintable(QString("Y %1 U %2 V %3").arg(y).arg(u).arg(v)));
}

void TstPortalScreenSource::sharingEndedShowsTheSlate() {
    SteadyClock clock;
    auto source = PortalScreenSource::open(configFor(session_), clock);
    QVERIFY2(source, source ? "" : source.error().toString().c_str());
    Collected got;
    QVERIFY((*source)->start(collectInto(got)));
    QTRY_VERIFY_WITH_TIMEOUT((*source)->stats().received >= 5, 15000);
    // The portal backend that owns the stream goes away (as when the person clicks "Stop
    // sharing", the stream's node disappears).
    const qint64 backend = session_.pid("xdg-desktop-portal-wlr");
    QVERIFY(backend > 0);
    QCOMPARE(::kill(pid_t(backend), SIGTERM), 0);
    QTRY_VERIFY_WITH_TIMEOUT((*source)->lost(), 10000);
    const size_t atLoss = got.size();
    QTRY_VERIFY_WITH_TIMEOUT(got.size() >= atLoss + 15, 5000);  // the broadcast goes on
    (*source)->stop();
    // The slate: dark blue-grey with white words across the middle.
    const VideoFrame& f = *got.last();
    const double y = planeMean(f, 0);
    QVERIFY2(y > 20 && y < 60, qPrintable(QString("slate Y %1").arg(y)));
    QVERIFY((*source)->stats().slate >= 15);
}

QTEST_GUILESS_MAIN(TstPortalScreenSource)
#include "tst_portal_screen_source.moc"

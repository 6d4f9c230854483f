#include <QAbstractItemModelTester>
#include <QtTest>

#include "app/gui/destination_health_model.h"
#include "app/gui/rendition_health_model.h"
#include "app/session/audience_text.h"

using podium::gui::DestinationHealthModel;
using podium::gui::RenditionHealthModel;

namespace {
podium::app::SessionStats snapshot(double seconds, uint64_t frames, uint64_t bytes,
                                   uint64_t dropped) {
    podium::app::SessionStats s;
    s.elapsedSeconds = seconds;
    for (const char* id : {"720p", "360p"}) {
        podium::encoder::RenditionStats r;
        r.id = id;
        r.framesEncoded = frames;
        r.bytesOut = bytes;
        r.queuedFrames = 1;
        s.ladder.renditions.push_back(r);
    }
    s.ladder.droppedFrames = dropped;
    return s;
}
}  // namespace

class TstHealthModels : public QObject {
    Q_OBJECT
private slots:
    void ratesComeFromSuccessiveSnapshots();
    void clearForgetsTheLastBroadcast();
    void destinationsShowProblemsInWords();
    void destinationsShowTheirAudience();
};

void TstHealthModels::ratesComeFromSuccessiveSnapshots() {
    RenditionHealthModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.update(snapshot(1.0, 30, 125000, 0));
    QCOMPARE(model.rowCount(), 2);
    QCOMPARE(model.rows()[0].fps, 0.0);  // one snapshot: no rate yet
    model.update(snapshot(1.5, 45, 250000, 2));
    QCOMPARE(model.rowCount(), 2);
    QCOMPARE(model.rows()[0].fps, 30.0);     // 15 frames in 0.5 s
    QCOMPARE(model.rows()[1].kbps, 2000.0);  // 125000 bytes in 0.5 s
    QCOMPARE(model.index(0, RenditionHealthModel::Fps).data().toString(), QString("30.0"));
    QCOMPARE(model.index(1, RenditionHealthModel::Bitrate).data().toString(), QString("2000 kb/s"));
    QCOMPARE(model.index(0, RenditionHealthModel::Dropped).data().toString(), QString("2"));
    QCOMPARE(
        model.index(0, RenditionHealthModel::Fps).data(RenditionHealthModel::kValueRole).toDouble(),
        30.0);
}

void TstHealthModels::clearForgetsTheLastBroadcast() {
    RenditionHealthModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.update(snapshot(1.0, 30, 1000, 0));
    model.clear();
    QCOMPARE(model.rowCount(), 0);
    model.update(snapshot(0.5, 15, 500, 0));  // a new broadcast restarts its counters
    QCOMPARE(model.rows()[0].fps, 0.0);
}

void TstHealthModels::destinationsShowProblemsInWords() {
    DestinationHealthModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    using podium::app::DestinationKind;
    using podium::app::DestinationState;
    using podium::app::DestinationStatus;
    DestinationStatus origin{"origin live", DestinationKind::Origin, "live"};
    DestinationStatus archive{"archive /x", DestinationKind::Archive, "/x"};
    model.update({origin, archive});
    QCOMPARE(model.rowCount(), 2);
    QVERIFY(model.index(0, DestinationHealthModel::Problem).data().toString().isEmpty());
    archive.state = DestinationState::Failed;
    archive.errorCode = podium::ErrorCode::NoSpace;
    archive.lastError = "no space left: cannot write /x/seg_3.m4s: No space left on device";
    model.update({origin, archive});
    QCOMPARE(model.index(1, DestinationHealthModel::State).data().toString(), QString("failed"));
    QCOMPARE(model.index(1, DestinationHealthModel::Problem).data().toString(),
             QString("the archive folder ran out of disk space."));
    model.update({});
    QCOMPARE(model.rowCount(), 0);
}

// The origin's row shows its viewers as they report them (issue #12); the archive's says nothing.
void TstHealthModels::destinationsShowTheirAudience() {
    DestinationHealthModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    using podium::app::DestinationKind;
    using podium::app::DestinationStatus;
    DestinationStatus origin{"origin live", DestinationKind::Origin, "live"};
    DestinationStatus archive{"archive /x", DestinationKind::Archive, "/x"};
    podium::publisher::origin::QoeSummary audience;
    audience.viewers = 3;
    audience.behindLiveP50 = 1.14;
    audience.behindLiveP95 = 1.62;
    audience.glassToGlassP50 = 1.31;
    audience.stallRatio = 0.02;
    audience.viewersByRendition = {{"720p", 2}, {"360p", 1}};
    origin.audience = audience;
    model.update({origin, archive});
    QCOMPARE(model.index(0, DestinationHealthModel::Audience).data().toString(),
             QString("3 viewers · behind live 1.1 s (p95 1.6 s) · glass to glass 1.3 s · "
                     "2 % stalled · 720p 2, 360p 1"));
    QCOMPARE(model.index(1, DestinationHealthModel::Audience).data().toString(), QString("-"));
    QCOMPARE(podium::app::audienceLine(audience),
             std::string("viewers 3 · 1.1 s behind · glass 1.3 s · 2 % stalled"));
    QCOMPARE(podium::app::audienceLine(podium::publisher::origin::QoeSummary{}),
             std::string("viewers 0"));
}

QTEST_GUILESS_MAIN(TstHealthModels)
#include "tst_health_models.moc"

#include <QtTest>

#include "core/segment_schedule.h"

using podium::MediaTime;
using podium::SegmentSchedule;

class TstSegmentSchedule : public QObject {
    Q_OBJECT
private slots:
    void boundary_data();
    void boundary();
    void parts_data();
    void parts();
    void mixedTimescalesAgree();
};

namespace {
SegmentSchedule twoSecondsHalfSecondParts() {
    return SegmentSchedule(MediaTime{180000, 90000}, MediaTime{45000, 90000});
}
}  // namespace

void TstSegmentSchedule::boundary_data() {
    QTest::addColumn<qint64>("previousPts90k");
    QTest::addColumn<qint64>("currentPts90k");
    QTest::addColumn<bool>("isBoundary");
    QTest::addColumn<qint64>("segmentIndex");
    QTest::newRow("inside first segment") << qint64(0) << qint64(3000) << false << qint64(0);
    QTest::newRow("crosses 2 s boundary") << qint64(177000) << qint64(180000) << true << qint64(1);
    QTest::newRow("dropped frame still crosses") << qint64(174000) << qint64(183000) << true
                                                 << qint64(1);
    QTest::newRow("just before boundary") << qint64(174000) << qint64(179999) << false
                                          << qint64(0);
    QTest::newRow("skips a whole segment") << qint64(0) << qint64(400000) << true << qint64(2);
    QTest::newRow("negative time floors") << qint64(-6000) << qint64(-3000) << false
                                          << qint64(-1);
}

void TstSegmentSchedule::boundary() {
    QFETCH(qint64, previousPts90k);
    QFETCH(qint64, currentPts90k);
    QFETCH(bool, isBoundary);
    QFETCH(qint64, segmentIndex);
    const auto schedule = twoSecondsHalfSecondParts();
    const MediaTime prev{previousPts90k, 90000};
    const MediaTime cur{currentPts90k, 90000};
    QCOMPARE(schedule.isSegmentBoundary(prev, cur), isBoundary);
    QCOMPARE(schedule.segmentIndexOf(cur), segmentIndex);
}

void TstSegmentSchedule::parts_data() {
    QTest::addColumn<qint64>("pts90k");
    QTest::addColumn<qint64>("partIndex");
    QTest::newRow("segment start") << qint64(180000) << qint64(0);
    QTest::newRow("second part") << qint64(180000 + 45000) << qint64(1);
    QTest::newRow("last frame of segment") << qint64(357000) << qint64(3);
    QTest::newRow("first segment third part") << qint64(99000) << qint64(2);
}

void TstSegmentSchedule::parts() {
    QFETCH(qint64, pts90k);
    QFETCH(qint64, partIndex);
    QCOMPARE(twoSecondsHalfSecondParts().partIndexOf(MediaTime{pts90k, 90000}), partIndex);
}

void TstSegmentSchedule::mixedTimescalesAgree() {
    // Audio at 48 kHz and video at 90 kHz must agree on which segment an instant is in.
    const auto schedule = twoSecondsHalfSecondParts();
    for (int64_t audioTicks = 0; audioTicks < 48000 * 10; audioTicks += 1024) {
        const MediaTime audio{audioTicks, 48000};
        const int64_t videoTicks = audioTicks * 90000 / 48000;  // exact: 1024 samples = 1920 ticks
        QCOMPARE(schedule.segmentIndexOf(audio), schedule.segmentIndexOf(MediaTime{videoTicks, 90000}));
    }
    QCOMPARE(schedule.segmentStart(3), (MediaTime{540000, 90000}));
}

QTEST_GUILESS_MAIN(TstSegmentSchedule)
#include "tst_segment_schedule.moc"

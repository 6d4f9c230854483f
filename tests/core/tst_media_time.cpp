#include <QtTest>

#include "core/media_time.h"

using podium::MediaTime;
using podium::Rounding;

class TstMediaTime : public QObject {
    Q_OBJECT
private slots:
    void rescale_data();
    void rescale();
    void ordering();
    void arithmetic();
    void noOverflowOnLongStreams();
};

void TstMediaTime::rescale_data() {
    QTest::addColumn<qint64>("value");
    QTest::addColumn<int>("from");
    QTest::addColumn<int>("to");
    QTest::addColumn<int>("rounding");
    QTest::addColumn<qint64>("expected");
    const int down = int(Rounding::Down), up = int(Rounding::Up), near = int(Rounding::Nearest);
    QTest::newRow("one frame 90k to ms") << qint64(3000) << 90000 << 1000 << down << qint64(33);
    QTest::newRow("one frame 90k to ms up") << qint64(3000) << 90000 << 1000 << up << qint64(34);
    QTest::newRow("29.97 frame nearest") << qint64(3003) << 90000 << 1000 << near << qint64(33);
    QTest::newRow("aac frame to 90k exact") << qint64(1024) << 48000 << 90000 << down
                                            << qint64(1920);
    QTest::newRow("negative floors down") << qint64(-1) << 90000 << 1000 << down << qint64(-1);
    QTest::newRow("negative up is toward zero") << qint64(-1) << 90000 << 1000 << up << qint64(0);
    QTest::newRow("smooth 10 MHz from 90k") << qint64(180000) << 90000 << 10000000 << down
                                            << qint64(20000000);
    QTest::newRow("half rounds away") << qint64(1) << 2 << 1 << near << qint64(1);
}

void TstMediaTime::rescale() {
    QFETCH(qint64, value);
    QFETCH(int, from);
    QFETCH(int, to);
    QFETCH(int, rounding);
    QFETCH(qint64, expected);
    const MediaTime t{value, from};
    QCOMPARE(t.rescaled(to, Rounding(rounding)).value, expected);
}

void TstMediaTime::ordering() {
    QVERIFY((MediaTime{1024, 48000}) < (MediaTime{1921, 90000}));
    QVERIFY((MediaTime{1024, 48000}) == (MediaTime{1920, 90000}));
    QVERIFY((MediaTime{2, 1}) > (MediaTime{179999, 90000}));
}

void TstMediaTime::arithmetic() {
    const MediaTime a{90000, 90000};
    const MediaTime b{24000, 48000};
    QCOMPARE((a + b).value, qint64(135000));
    QCOMPARE((a - b).value, qint64(45000));
    QCOMPARE((a + b).timescale, 90000);
    QCOMPARE(MediaTime::fromSeconds(2.0, 90000).value, qint64(180000));
}

void TstMediaTime::noOverflowOnLongStreams() {
    // 30 days of 90 kHz ticks rescaled to 10 MHz must stay exact.
    const qint64 ticks = qint64(30) * 24 * 3600 * 90000;
    const MediaTime t{ticks, 90000};
    QCOMPARE(t.rescaled(10000000).value, qint64(30) * 24 * 3600 * 10000000);
}

QTEST_GUILESS_MAIN(TstMediaTime)
#include "tst_media_time.moc"

// "The microphone has been silent for 10 s" while live: said after 10 s of silence, not
// before, and never while someone speaks.
#include <QtTest>

#include "app/gui/silence_detector.h"

using podium::gui::SilenceDetector;

class TstSilenceDetector : public QObject {
    Q_OBJECT
private slots:
    void tellsSilence_data();
    void tellsSilence();
    void resetStartsOver();
};

void TstSilenceDetector::tellsSilence_data() {
    QTest::addColumn<float>("peak");      // every 100 ms
    QTest::addColumn<int>("seconds");     // for this long
    QTest::addColumn<float>("lastPeak");  // then one last look
    QTest::addColumn<bool>("silent");
    QTest::newRow("speech is not silence") << 0.3f << 30 << 0.3f << false;
    QTest::newRow("room noise of a live microphone") << 0.01f << 30 << 0.01f << false;
    QTest::newRow("digital silence for 10 s") << 0.0f << 10 << 0.0f << true;
    QTest::newRow("noise floor of an unplugged input for 12 s") << 0.0005f << 12 << 0.0005f << true;
    QTest::newRow("9 s of silence is not yet") << 0.0f << 9 << 0.0f << false;
    QTest::newRow("one word after a long silence") << 0.0f << 20 << 0.2f << false;
}

void TstSilenceDetector::tellsSilence() {
    QFETCH(float, peak);
    QFETCH(int, seconds);
    QFETCH(float, lastPeak);
    QFETCH(bool, silent);
    SilenceDetector detector;
    int64_t now = 5000;  // any monotonic start
    for (int i = 0; i < seconds * 10; ++i, now += 100) {
        detector.observe(peak, now);
    }
    detector.observe(lastPeak, now);
    QCOMPARE(detector.isSilent(), silent);
}

void TstSilenceDetector::resetStartsOver() {
    SilenceDetector detector(1000);
    detector.observe(0, 0);
    detector.observe(0, 1500);
    QVERIFY(detector.isSilent());
    QCOMPARE(detector.silentForMs(), int64_t(1500));
    detector.reset();  // e.g. unmuted
    QVERIFY(!detector.isSilent());
    detector.observe(0, 2000);
    QVERIFY(!detector.isSilent());
    detector.observe(0, 3000);
    QVERIFY(detector.isSilent());
}

QTEST_GUILESS_MAIN(TstSilenceDetector)
#include "tst_silence_detector.moc"

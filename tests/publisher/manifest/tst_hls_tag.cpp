#include <QtTest>

#include "publisher/manifest/hls_tag.h"

using namespace podium::publisher;

class TstHlsTag : public QObject {
    Q_OBJECT

private slots:
    void quotedDropsForbiddenCharacters_data();
    void quotedDropsForbiddenCharacters();
    void frameRateHasThreeDecimals_data();
    void frameRateHasThreeDecimals();
    void durationHasFiveDecimals_data();
    void durationHasFiveDecimals();
    void isoDateTimeIsUtcWithMillis_data();
    void isoDateTimeIsUtcWithMillis();
    void resolutionIsWidthByHeight();
    void attributeListKeepsOrderAndQuotes();
};

void TstHlsTag::quotedDropsForbiddenCharacters_data() {
    QTest::addColumn<QString>("input");
    QTest::addColumn<QString>("expected");
    QTest::newRow("plain text") << "avc1.64001f,mp4a.40.2"
                                << "\"avc1.64001f,mp4a.40.2\"";
    QTest::newRow("empty") << ""
                           << "\"\"";
    QTest::newRow("double quote removed") << "my \"main\" audio"
                                          << "\"my main audio\"";
    QTest::newRow("newlines removed") << "a\r\nb"
                                      << "\"ab\"";
}

void TstHlsTag::quotedDropsForbiddenCharacters() {
    QFETCH(QString, input);
    QFETCH(QString, expected);
    QCOMPARE(QString::fromStdString(hls::quoted(input.toStdString())), expected);
}

void TstHlsTag::frameRateHasThreeDecimals_data() {
    QTest::addColumn<int>("num");
    QTest::addColumn<int>("den");
    QTest::addColumn<QString>("expected");
    QTest::newRow("30 fps") << 30 << 1 << "30.000";
    QTest::newRow("NTSC 29.97") << 30000 << 1001 << "29.970";
    QTest::newRow("NTSC 59.94") << 60000 << 1001 << "59.940";
    QTest::newRow("25 fps") << 25 << 1 << "25.000";
    QTest::newRow("unknown rate") << 0 << 1 << "0.000";
    QTest::newRow("zero denominator") << 30 << 0 << "0.000";
}

void TstHlsTag::frameRateHasThreeDecimals() {
    QFETCH(int, num);
    QFETCH(int, den);
    QFETCH(QString, expected);
    QCOMPARE(QString::fromStdString(hls::frameRate(num, den)), expected);
}

void TstHlsTag::durationHasFiveDecimals_data() {
    QTest::addColumn<double>("seconds");
    QTest::addColumn<QString>("expected");
    QTest::addColumn<double>("rounded");
    QTest::newRow("two seconds") << 2.0 << "2.00000" << 2.0;
    QTest::newRow("one frame under two seconds") << 1.96667 << "1.96667" << 1.96667;
    QTest::newRow("float noise above two") << 2.000001 << "2.00000" << 2.0;
    QTest::newRow("audio 1024-sample frames") << 94.0 * 1024 / 48000 << "2.00533" << 2.00533;
    QTest::newRow("negative clamps to zero") << -1.0 << "0.00000" << 0.0;
}

void TstHlsTag::durationHasFiveDecimals() {
    QFETCH(double, seconds);
    QFETCH(QString, expected);
    QFETCH(double, rounded);
    QCOMPARE(QString::fromStdString(hls::durationText(seconds)), expected);
    QCOMPARE(hls::roundedDuration(seconds), rounded);
}

void TstHlsTag::isoDateTimeIsUtcWithMillis_data() {
    QTest::addColumn<qint64>("unixMillis");
    QTest::addColumn<QString>("expected");
    QTest::newRow("epoch") << qint64(0) << "1970-01-01T00:00:00.000Z";
    QTest::newRow("protocol example") << qint64(1795608000000) << "2026-11-25T12:00:00.000Z";
    QTest::newRow("milliseconds kept") << qint64(1795608000123) << "2026-11-25T12:00:00.123Z";
    QTest::newRow("leap day") << qint64(1709251199999) << "2024-02-29T23:59:59.999Z";
    QTest::newRow("before the epoch") << qint64(-1) << "1969-12-31T23:59:59.999Z";
}

void TstHlsTag::isoDateTimeIsUtcWithMillis() {
    QFETCH(qint64, unixMillis);
    QFETCH(QString, expected);
    QCOMPARE(QString::fromStdString(hls::isoDateTime(unixMillis)), expected);
}

void TstHlsTag::resolutionIsWidthByHeight() {
    QCOMPARE(QString::fromStdString(hls::resolution(1280, 720)), QStringLiteral("1280x720"));
}

void TstHlsTag::attributeListKeepsOrderAndQuotes() {
    hls::AttributeList list;
    list.integer("BANDWIDTH", 2628000).quotedString("CODECS", "avc1.64001f").raw("TYPE", "AUDIO");
    QCOMPARE(QString::fromStdString(list.str()),
             QStringLiteral("BANDWIDTH=2628000,CODECS=\"avc1.64001f\",TYPE=AUDIO"));
}

QTEST_GUILESS_MAIN(TstHlsTag)
#include "tst_hls_tag.moc"

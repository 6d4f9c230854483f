#include <qrencode.h>
#include <QtTest>

#include "app/gui/frame_image.h"
#include "app/gui/qr_image.h"

using podium::VideoFrame;

class TstPreviewImages : public QObject {
    Q_OBJECT
private slots:
    void i420Colours_data();
    void i420Colours();
    void emptyFrameGivesNullImage();
    void qrCodeHasQuietZoneAndModules();
};

void TstPreviewImages::i420Colours_data() {
    QTest::addColumn<int>("y");
    QTest::addColumn<int>("u");
    QTest::addColumn<int>("v");
    QTest::addColumn<QColor>("expected");
    QTest::newRow("black") << 16 << 128 << 128 << QColor(0, 0, 0);
    QTest::newRow("white") << 235 << 128 << 128 << QColor(255, 255, 255);
    QTest::newRow("red") << 81 << 90 << 240 << QColor(255, 0, 0);
    QTest::newRow("blue") << 41 << 240 << 110 << QColor(0, 0, 255);
}

void TstPreviewImages::i420Colours() {
    QFETCH(int, y);
    QFETCH(int, u);
    QFETCH(int, v);
    QFETCH(QColor, expected);
    VideoFrame frame = VideoFrame::makeI420(64, 36);
    std::fill_n(frame.plane(0), 64 * 36, uint8_t(y));
    std::fill_n(frame.plane(1), 32 * 18, uint8_t(u));
    std::fill_n(frame.plane(2), 32 * 18, uint8_t(v));
    const QImage image = podium::gui::toQImage(frame);
    QCOMPARE(image.size(), QSize(64, 36));
    const QColor got = image.pixelColor(10, 10);
    // OpenCV's studio-range conversion: within a few levels of the nominal colour.
    QVERIFY2(std::abs(got.red() - expected.red()) <= 16 &&
                 std::abs(got.green() - expected.green()) <= 16 &&
                 std::abs(got.blue() - expected.blue()) <= 16,
             qPrintable(got.name()));
}

void TstPreviewImages::emptyFrameGivesNullImage() {
    QVERIFY(podium::gui::toQImage(VideoFrame{}).isNull());
    VideoFrame odd = VideoFrame::makeI420(33, 17);  // odd sizes still preview (luma)
    QCOMPARE(podium::gui::toQImage(odd).size(), QSize(33, 17));
}

void TstPreviewImages::qrCodeHasQuietZoneAndModules() {
    const QImage qr = podium::gui::qrImage("http://192.168.1.20:8080/watch/live", 3);
    QVERIFY(!qr.isNull());
    QCOMPARE(qr.width(), qr.height());
    QCOMPARE(qr.pixelColor(0, 0), QColor(Qt::white));    // quiet zone
    QCOMPARE(qr.pixelColor(12, 12), QColor(Qt::black));  // the finder pattern's corner
    QCOMPARE(qr.width() % 3, 0);
}

QTEST_GUILESS_MAIN(TstPreviewImages)
#include "tst_preview_images.moc"

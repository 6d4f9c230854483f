#include <QtTest>

#include <cstring>

#include "encoder/scaler.h"

using namespace podium;
using namespace podium::encoder;

namespace {

VideoFramePtr flatFrame(int width, int height, uint8_t y, uint8_t u, uint8_t v) {
    auto frame = std::make_shared<VideoFrame>(VideoFrame::makeI420(width, height));
    std::memset(frame->plane(0), y, size_t(width) * height);
    std::memset(frame->plane(1), u, size_t(frame->chromaWidth()) * frame->chromaHeight());
    std::memset(frame->plane(2), v, size_t(frame->chromaWidth()) * frame->chromaHeight());
    frame->pts = MediaTime{123456, kVideoTimescale};
    frame->sequence = 42;
    return frame;
}

/// Largest distance of any sample of `plane` from `value`.
int maxDeviation(const VideoFrame& frame, int plane, uint8_t value) {
    const int width = plane == 0 ? frame.width : frame.chromaWidth();
    const int height = plane == 0 ? frame.height : frame.chromaHeight();
    int worst = 0;
    for (int i = 0; i < width * height; ++i) {
        worst = std::max(worst, std::abs(int(frame.plane(plane)[i]) - int(value)));
    }
    return worst;
}

}  // namespace

class TstScaler : public QObject {
    Q_OBJECT

private slots:
    void sameSizeIsPassedThrough();
    void downscaleKeepsFlatColour_data();
    void downscaleKeepsFlatColour();
    void wrongInputSizeIsRefused();
};

void TstScaler::sameSizeIsPassedThrough() {
    auto scaler = Scaler::create(640, 360, 640, 360);
    QVERIFY(scaler);
    const auto in = flatFrame(640, 360, 100, 50, 200);
    auto out = (*scaler)->scale(in);
    QVERIFY(out);
    QCOMPARE(out->get(), in.get());  // the very same frame, no copy
}

void TstScaler::downscaleKeepsFlatColour_data() {
    QTest::addColumn<int>("srcWidth");
    QTest::addColumn<int>("srcHeight");
    QTest::addColumn<int>("dstWidth");
    QTest::addColumn<int>("dstHeight");
    QTest::newRow("720p to 360p") << 1280 << 720 << 640 << 360;
    QTest::newRow("720p to 480p (854 wide)") << 1280 << 720 << 854 << 480;
    QTest::newRow("1080p to 180p") << 1920 << 1080 << 320 << 180;
}

void TstScaler::downscaleKeepsFlatColour() {
    QFETCH(int, srcWidth);
    QFETCH(int, srcHeight);
    QFETCH(int, dstWidth);
    QFETCH(int, dstHeight);
    auto scaler = Scaler::create(srcWidth, srcHeight, dstWidth, dstHeight);
    QVERIFY(scaler);
    const auto in = flatFrame(srcWidth, srcHeight, 180, 60, 220);
    auto out = (*scaler)->scale(in);
    QVERIFY2(out, out ? "" : out.error().toString().c_str());
    const VideoFrame& frame = **out;
    QCOMPARE(frame.width, dstWidth);
    QCOMPARE(frame.height, dstHeight);
    QCOMPARE(frame.data.size(),
             size_t(dstWidth) * dstHeight + 2 * size_t(frame.chromaWidth()) * frame.chromaHeight());
    QVERIFY(maxDeviation(frame, 0, 180) <= 1);
    QVERIFY(maxDeviation(frame, 1, 60) <= 1);
    QVERIFY(maxDeviation(frame, 2, 220) <= 1);
    QCOMPARE(frame.pts, in->pts);
    QCOMPARE(frame.sequence, in->sequence);
}

void TstScaler::wrongInputSizeIsRefused() {
    auto scaler = Scaler::create(1280, 720, 640, 360);
    QVERIFY(scaler);
    auto out = (*scaler)->scale(flatFrame(1920, 1080, 0, 0, 0));
    QVERIFY(!out);
    QCOMPARE(out.error().code(), ErrorCode::InvalidArgument);
    QVERIFY(QString::fromStdString(out.error().toString()).contains("1920x1080"));
}

QTEST_GUILESS_MAIN(TstScaler)
#include "tst_scaler.moc"

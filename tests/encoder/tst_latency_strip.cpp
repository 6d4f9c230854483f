// The latency probe strip (capture/latency_strip): drawn, then read back from the picture a
// viewer gets: scaled to the 360p rendition and through x264 at 600 kb/s, decoded by FFmpeg.
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include <cstdint>
#include <fstream>
#include <random>
#include <vector>

#include "capture/latency_strip.h"
#include "capture/test_pattern_source.h"
#include "core/avc_config.h"
#include "core/clock.h"
#include "encoder/scaler.h"
#include "encoder/x264_encoder.h"

using namespace podium;
using namespace podium::capture;

namespace {

/// A busy picture like a talk's: a moving gradient with grain and colour, so the strip must
/// stand out of something rather than a flat background.
VideoFrame busyFrame(int width, int height, int index, uint32_t seed) {
    VideoFrame frame = VideoFrame::makeI420(width, height);
    std::mt19937 random(seed + uint32_t(index));
    std::uniform_int_distribution<int> grain(-24, 24);
    uint8_t* y = frame.plane(0);
    for (int row = 0; row < height; ++row) {
        for (int x = 0; x < width; ++x) {
            const int base = ((x + row + index * 8) * 255 / (width + height)) % 256;
            y[row * frame.stride(0) + x] = uint8_t(std::clamp(base + grain(random), 16, 235));
        }
    }
    for (int plane = 1; plane <= 2; ++plane) {
        uint8_t* c = frame.plane(plane);
        for (int row = 0; row < frame.chromaHeight(); ++row) {
            for (int x = 0; x < frame.chromaWidth(); ++x) {
                c[row * frame.stride(plane) + x] = uint8_t(64 + ((x * plane + row + index) % 128));
            }
        }
    }
    frame.pts = MediaTime{int64_t(index) * 3000, 90000};
    frame.sequence = index;
    return frame;
}

/// Length-prefixed access units (as the encoder gives them) as an Annex B stream.
void appendAnnexB(std::vector<uint8_t>& out, const std::vector<uint8_t>& lengthPrefixed) {
    auto nals = avc::splitLengthPrefixed(lengthPrefixed);
    QVERIFY(nals);
    for (const auto& nal : *nals) {
        out.insert(out.end(), {0, 0, 0, 1});
        out.insert(out.end(), nal.begin(), nal.end());
    }
}

}  // namespace

class TstLatencyStrip : public QObject {
    Q_OBJECT

private slots:
    void readsBackWhatWasDrawn_data();
    void readsBackWhatWasDrawn();
    void survivesScalingTo360p();
    void survivesX264At600kbps();
    void noStripNoTime();
    void ageWrapsAroundTheClock();
    void testPatternCarriesItsWallClock();
};

void TstLatencyStrip::readsBackWhatWasDrawn_data() {
    QTest::addColumn<int>("width");
    QTest::addColumn<int>("height");
    QTest::addColumn<qint64>("time");
    QTest::newRow("720p, now") << 1280 << 720 << qint64(1795608000123);
    QTest::newRow("720p, zero") << 1280 << 720 << qint64(0);
    QTest::newRow("720p, all ones") << 1280 << 720 << qint64(0xFFFFFFFF);
    QTest::newRow("1080p") << 1920 << 1080 << qint64(0x12345678);
    QTest::newRow("480p") << 854 << 480 << qint64(0x0F0F0F0F);
    QTest::newRow("360p") << 640 << 360 << qint64(0x55AA55AA);
}

void TstLatencyStrip::readsBackWhatWasDrawn() {
    QFETCH(int, width);
    QFETCH(int, height);
    QFETCH(qint64, time);
    VideoFrame frame = busyFrame(width, height, 0, 7);
    drawLatencyStrip(frame, time);
    const auto read = readLatencyStrip(frame);
    QVERIFY(read);
    QCOMPARE(*read, uint32_t(uint64_t(time) & 0xFFFFFFFFu));
}

void TstLatencyStrip::survivesScalingTo360p() {
    auto scaler = encoder::Scaler::create(1280, 720, 640, 360);
    QVERIFY(scaler);
    for (int i = 0; i < 10; ++i) {
        VideoFrame frame = busyFrame(1280, 720, i, 11);
        const int64_t time = 1795608000000 + 33 * i;
        drawLatencyStrip(frame, time);
        auto scaled = (*scaler)->scale(std::make_shared<const VideoFrame>(std::move(frame)));
        QVERIFY(scaled);
        const auto read = readLatencyStrip(**scaled);
        QVERIFY2(read, qPrintable(QString("frame %1").arg(i)));
        QCOMPARE(*read, uint32_t(uint64_t(time) & 0xFFFFFFFFu));
    }
}

void TstLatencyStrip::survivesX264At600kbps() {
    // The worst rendition of the default ladder, as a viewer's decoder shows it: drawn on the
    // 720p canvas, scaled to 640x360, encoded by x264 at 600 kb/s, decoded by FFmpeg.
    constexpr int kFrames = 90;
    auto scaler = encoder::Scaler::create(1280, 720, 640, 360);
    QVERIFY(scaler);
    encoder::X264Config config;
    config.width = 640;
    config.height = 360;
    config.bitrateKbps = 600;
    config.maxBitrateKbps = 600;
    config.keyintMax = 60;
    config.renditionId = "360p";
    auto x264 = encoder::X264Encoder::create(config, 0);
    QVERIFY2(x264, x264 ? "" : x264.error().toString().c_str());
    std::vector<uint32_t> expected;
    std::vector<EncodedPacket> packets;
    for (int i = 0; i < kFrames; ++i) {
        VideoFrame frame = busyFrame(1280, 720, i, 3);
        const int64_t time = 1795608000000 + 33 * i;
        expected.push_back(uint32_t(uint64_t(time) & 0xFFFFFFFFu));
        drawLatencyStrip(frame, time);
        auto scaled = (*scaler)->scale(std::make_shared<const VideoFrame>(std::move(frame)));
        QVERIFY(scaled);
        auto out = (*x264)->encode(**scaled, i % 60 == 0);
        QVERIFY(out);
        packets.insert(packets.end(), out->begin(), out->end());
    }
    auto rest = (*x264)->flush();
    QVERIFY(rest);
    packets.insert(packets.end(), rest->begin(), rest->end());

    auto parameterSets = avc::annexBParameterSets((*x264)->trackInfo("360p").avcDecoderConfig);
    QVERIFY(parameterSets);
    std::vector<uint8_t> stream = *parameterSets;
    for (const auto& p : packets) {
        appendAnnexB(stream, p.data);
    }
    QTemporaryDir dir;
    const QString in = dir.filePath("360p.h264");
    const QString out = dir.filePath("360p.yuv");
    {
        std::ofstream file(in.toStdString(), std::ios::binary);
        file.write(reinterpret_cast<const char*>(stream.data()), std::streamsize(stream.size()));
    }
    QProcess ffmpeg;
    ffmpeg.start("ffmpeg", {"-v", "error", "-f", "h264", "-i", in, "-fps_mode", "passthrough", "-f",
                            "rawvideo", "-pix_fmt", "yuv420p", "-y", out});
    QVERIFY(ffmpeg.waitForFinished(60000));
    QVERIFY2(ffmpeg.exitCode() == 0, ffmpeg.readAllStandardError().constData());
    QFile decoded(out);
    QVERIFY(decoded.open(QIODevice::ReadOnly));
    const QByteArray pictures = decoded.readAll();
    const qsizetype pictureSize = 640 * 360 * 3 / 2;
    QCOMPARE(pictures.size(), pictureSize * kFrames);
    for (int i = 0; i < kFrames; ++i) {
        const auto* luma = reinterpret_cast<const uint8_t*>(pictures.constData() + i * pictureSize);
        const auto read = readLatencyStrip(luma, 640, 360, 640);
        QVERIFY2(read, qPrintable(QString("picture %1 has no readable strip").arg(i)));
        QCOMPARE(*read, expected[size_t(i)]);
    }
}

void TstLatencyStrip::noStripNoTime() {
    const VideoFrame plain = busyFrame(1280, 720, 0, 5);
    QVERIFY(!readLatencyStrip(plain));
    QVERIFY(!readLatencyStrip(VideoFrame::makeI420(1280, 720)));  // black
    // One data cell flipped: the CRC refuses it rather than reading a wrong time.
    VideoFrame damaged = busyFrame(1280, 720, 0, 5);
    drawLatencyStrip(damaged, 1795608000000);
    const int cell = 720 / kLatencyStripCellsPerHeight;
    const int left = 1280 - (kLatencyStripColumns + 2) * cell;
    const int x = left + cell * (1 + 10) + cell / 2;  // row 0, column 10: a time bit
    const int y = cell + cell / 2;
    uint8_t* luma = damaged.plane(0);
    const uint8_t flipped = luma[y * damaged.stride(0) + x] > 128 ? 16 : 235;
    for (int dy = -cell / 2 + 1; dy < cell / 2; ++dy) {
        for (int dx = -cell / 2 + 1; dx < cell / 2; ++dx) {
            luma[(y + dy) * damaged.stride(0) + x + dx] = flipped;
        }
    }
    QVERIFY(!readLatencyStrip(damaged));
    // Too small for a strip: nothing drawn, nothing read.
    VideoFrame tiny = busyFrame(96, 64, 0, 5);
    const VideoFrame before = tiny;
    drawLatencyStrip(tiny, 1);
    QVERIFY(tiny.data == before.data);
    QVERIFY(!readLatencyStrip(tiny));
}

void TstLatencyStrip::ageWrapsAroundTheClock() {
    const int64_t captured = 1795608000000;
    const auto strip = uint32_t(uint64_t(captured) & 0xFFFFFFFFu);
    QCOMPARE(latencyStripAge(strip, captured + 900), int64_t(900));
    QCOMPARE(latencyStripAge(strip, captured - 40), int64_t(-40));  // clocks apart
    // Across the 2^32 ms wrap (every 49.7 days).
    const int64_t beforeWrap = (int64_t(1) << 32) * 418 - 200;
    QCOMPARE(latencyStripAge(uint32_t(uint64_t(beforeWrap) & 0xFFFFFFFFu), beforeWrap + 700),
             int64_t(700));
}

void TstLatencyStrip::testPatternCarriesItsWallClock() {
    // The strip says the same time as the pattern's burned-in clock: its epoch plus the pts.
    const int64_t before = wallClockMillis();
    SteadyClock clock;
    TestPatternSource pattern(TestPatternConfig{}, clock, Pacing::AsFastAsPossible);
    const int64_t after = wallClockMillis();
    for (int64_t n : {int64_t(0), int64_t(45), int64_t(300)}) {
        const VideoFramePtr frame = pattern.renderFrame(n);
        const auto read = readLatencyStrip(*frame);
        QVERIFY(read);
        const int64_t ptsMs = frame->pts.rescaled(1000).value;
        QVERIFY(latencyStripAge(*read, before + ptsMs) <= 0);
        QVERIFY(latencyStripAge(*read, after + ptsMs) >= 0);
    }
}

QTEST_GUILESS_MAIN(TstLatencyStrip)
#include "tst_latency_strip.moc"

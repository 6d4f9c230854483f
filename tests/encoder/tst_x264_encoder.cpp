#include <QtTest>

#include <set>

#include "core/avc_config.h"
#include "encoder/x264_encoder.h"

using namespace podium;
using namespace podium::encoder;
using namespace podium::avc;

namespace {

constexpr int64_t kFrame90k = 3000;  // one frame at 30 fps

X264Config smallConfig(int width, int height, int bitrateKbps, int maxBitrateKbps) {
    X264Config c;
    c.width = width;
    c.height = height;
    c.fpsNum = 30;
    c.fpsDen = 1;
    c.bitrateKbps = bitrateKbps;
    c.maxBitrateKbps = maxBitrateKbps;
    c.preset = "veryfast";
    c.profile = "high";
    c.keyintMax = 60;
    c.renditionId = "test";
    return c;
}

/// A moving diagonal gradient: enough detail and motion for real P/B-frame decisions.
VideoFrame movingFrame(int width, int height, int index) {
    VideoFrame frame = VideoFrame::makeI420(width, height);
    for (int y = 0; y < height; ++y) {
        for (int x = 0; x < width; ++x) {
            frame.plane(0)[y * width + x] = uint8_t((x + y + 4 * index) & 0xff);
        }
    }
    frame.pts = MediaTime{index * kFrame90k, kVideoTimescale};
    frame.sequence = index;
    return frame;
}

QString errorText(const Status& status) {
    return QString::fromStdString(status.toString());
}

void append(std::vector<EncodedPacket>& all, std::vector<EncodedPacket>&& more) {
    for (auto& packet : more) {
        all.push_back(std::move(packet));
    }
}

}  // namespace

class TstX264Encoder : public QObject {
    Q_OBJECT

private slots:
    void idrsOnlyWhereForced();
    void trackInfoDescribesTheStream_data();
    void trackInfoDescribesTheStream();
    void cbrHonoursTheBitrate();
    void wrongFramesAreRefused();
    void badConfigIsRefusedWithContext();
};

void TstX264Encoder::idrsOnlyWhereForced() {
    auto encoder = X264Encoder::create(smallConfig(320, 180, 300, 600), 3);
    QVERIFY2(encoder, encoder ? "" : qPrintable(errorText(encoder.error())));
    std::vector<EncodedPacket> packets;
    std::set<int64_t> inputPts;
    for (int i = 0; i < 30; ++i) {
        auto out = (*encoder)->encode(movingFrame(320, 180, i), i == 0 || i == 15);
        QVERIFY2(out, out ? "" : qPrintable(errorText(out.error())));
        append(packets, std::move(*out));
        inputPts.insert(i * kFrame90k);
    }
    const size_t beforeFlush = packets.size();
    auto flushed = (*encoder)->flush();
    QVERIFY(flushed);
    QVERIFY2(!flushed->empty(), "x264 holds frames in its lookahead; flush must return them");
    append(packets, std::move(*flushed));
    QCOMPARE(packets.size(), size_t(30));
    QVERIFY(beforeFlush < 30);

    std::set<int64_t> outputPts;
    std::set<int64_t> keyframePts;
    int64_t previousDts = INT64_MIN;
    for (const EncodedPacket& packet : packets) {
        QCOMPARE(packet.trackIndex, 3);
        QCOMPARE(packet.kind, TrackKind::Video);
        QCOMPARE(packet.duration, kFrame90k);
        QVERIFY(packet.dts > previousDts);
        QVERIFY(packet.dts <= packet.pts);
        previousDts = packet.dts;
        outputPts.insert(packet.pts);
        if (packet.isKeyframe) {
            keyframePts.insert(packet.pts);
        }
        // Length-prefixed NAL units that exactly fill the packet; IDR slices only in keyframes.
        auto nals = splitLengthPrefixed(packet.data);
        QVERIFY2(nals, nals ? "" : qPrintable(errorText(nals.error())));
        bool hasIdrSlice = false;
        for (ByteSpan nal : *nals) {
            hasIdrSlice = hasIdrSlice || nalType(nal) == int(NalType::Idr);
            QVERIFY(nalType(nal) != int(NalType::Sps));  // parameter sets live in avcC only
        }
        QCOMPARE(hasIdrSlice, packet.isKeyframe);
    }
    QCOMPARE(outputPts, inputPts);
    QCOMPARE(keyframePts, (std::set<int64_t>{0, 15 * kFrame90k}));
}

void TstX264Encoder::trackInfoDescribesTheStream_data() {
    QTest::addColumn<QString>("profile");
    QTest::addColumn<int>("profileIdc");
    QTest::newRow("baseline") << "baseline" << 66;
    QTest::newRow("main") << "main" << 77;
    QTest::newRow("high") << "high" << 100;
}

void TstX264Encoder::trackInfoDescribesTheStream() {
    QFETCH(QString, profile);
    QFETCH(int, profileIdc);
    X264Config config = smallConfig(320, 180, 300, 450);
    config.profile = profile.toStdString();
    auto encoder = X264Encoder::create(config, 1);
    QVERIFY(encoder);
    const TrackInfo info = (*encoder)->trackInfo("180p");
    QCOMPARE(info.id, std::string("180p"));
    QCOMPARE(info.trackIndex, 1);
    QCOMPARE(info.kind, TrackKind::Video);
    QCOMPARE(info.timescale, 90000);
    QCOMPARE(info.width, 320);
    QCOMPARE(info.height, 180);
    QCOMPARE(info.fpsNum, 30);
    QCOMPARE(info.fpsDen, 1);
    QCOMPARE(info.bitrateBps, 300000);
    QCOMPARE(info.maxBitrateBps, 450000);
    QVERIFY(QString::fromStdString(info.codecString).startsWith("avc1."));
    auto avcC = parseAvcDecoderConfig(info.avcDecoderConfig);
    QVERIFY(avcC);
    QCOMPARE(avcC->version, 1);
    QCOMPARE(avcC->profileIdc, profileIdc);
    QCOMPARE(avcC->nalLengthSize, 4);
    QCOMPARE(avcC->sps.size(), size_t(1));
    QCOMPARE(avcC->pps.size(), size_t(1));
    auto codec = codecString(avcC->sps.front());
    QVERIFY(codec);
    QCOMPARE(*codec, info.codecString);
}

void TstX264Encoder::cbrHonoursTheBitrate() {
    // A tiny, almost static picture needs far fewer bits than 200 kb/s; CBR must pad with filler.
    constexpr int kBitrateKbps = 200;
    constexpr int kFrames = 90;  // 3 s at 30 fps
    auto encoder = X264Encoder::create(smallConfig(64, 64, kBitrateKbps, kBitrateKbps), 0);
    QVERIFY(encoder);
    std::vector<EncodedPacket> packets;
    for (int i = 0; i < kFrames; ++i) {
        VideoFrame frame = movingFrame(64, 64, i / 30);  // the picture changes once a second
        frame.pts = MediaTime{i * kFrame90k, kVideoTimescale};
        auto out = (*encoder)->encode(frame, i % 60 == 0);
        QVERIFY(out);
        append(packets, std::move(*out));
    }
    auto flushed = (*encoder)->flush();
    QVERIFY(flushed);
    append(packets, std::move(*flushed));
    QCOMPARE(packets.size(), size_t(kFrames));
    size_t bytes = 0;
    for (const EncodedPacket& packet : packets) {
        bytes += packet.data.size();
    }
    const double kbps = bytes * 8.0 / 3.0 / 1000.0;
    QVERIFY2(std::abs(kbps - kBitrateKbps) <= 0.2 * kBitrateKbps,
             qPrintable(
                 QString("measured %1 kb/s for a %2 kb/s CBR target").arg(kbps).arg(kBitrateKbps)));
}

void TstX264Encoder::wrongFramesAreRefused() {
    auto encoder = X264Encoder::create(smallConfig(320, 180, 300, 600), 0);
    QVERIFY(encoder);
    auto wrongSize = (*encoder)->encode(movingFrame(640, 360, 0), true);
    QVERIFY(!wrongSize);
    QVERIFY(errorText(wrongSize.error()).contains("640x360"));
    QVERIFY((*encoder)->encode(movingFrame(320, 180, 5), true));
    auto backwards = (*encoder)->encode(movingFrame(320, 180, 4), false);
    QVERIFY(!backwards);
    QCOMPARE(backwards.error().code(), ErrorCode::InvalidArgument);
}

void TstX264Encoder::badConfigIsRefusedWithContext() {
    X264Config config = smallConfig(320, 180, 300, 600);
    config.preset = "warp-speed";
    config.renditionId = "180p";
    auto encoder = X264Encoder::create(config, 0);
    QVERIFY(!encoder);
    const QString text = errorText(encoder.error());
    QVERIFY2(text.contains("180p") && text.contains("320x180") && text.contains("warp-speed"),
             qPrintable(text));
}

QTEST_GUILESS_MAIN(TstX264Encoder)
#include "tst_x264_encoder.moc"

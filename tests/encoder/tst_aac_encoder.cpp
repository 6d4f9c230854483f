#include <QtTest>

#include <cmath>

#include "encoder/aac_encoder.h"

using namespace podium;
using namespace podium::encoder;

namespace {

/// `frames` frames of a 1 kHz sine, starting at frame `first`, interleaved stereo.
AudioFrame sine(int first, int frames, int sampleRate = 48000, int channels = 2) {
    AudioFrame audio;
    audio.sampleRate = sampleRate;
    audio.channels = channels;
    audio.pts = MediaTime{first, sampleRate};
    for (int i = 0; i < frames; ++i) {
        const float value = 0.5f * float(std::sin(2.0 * M_PI * 1000.0 * (first + i) / sampleRate));
        for (int ch = 0; ch < channels; ++ch) {
            audio.samples.push_back(value);
        }
    }
    return audio;
}

QString errorText(const Status& status) {
    return QString::fromStdString(status.toString());
}

}  // namespace

class TstAacEncoder : public QObject {
    Q_OBJECT

private slots:
    void packetsAreTimedBySampleCount();
    void audioSpecificConfig_data();
    void audioSpecificConfig();
    void otherInputFormatIsRefused();
};

void TstAacEncoder::packetsAreTimedBySampleCount() {
    auto encoder = AacEncoder::create({48000, 2, 128}, 4);
    QVERIFY2(encoder, encoder ? "" : qPrintable(errorText(encoder.error())));
    QCOMPARE((*encoder)->primingSamples(), 1024);
    std::vector<EncodedPacket> packets;
    int fed = 0;
    const int chunks[] = {441, 1000};  // odd sizes: frames straddle 1024-sample boundaries
    for (int i = 0; fed < 48000; ++i) {
        const int frames = std::min(chunks[i % 2], 48000 - fed);
        auto out = (*encoder)->encode(sine(fed, frames));
        QVERIFY2(out, out ? "" : qPrintable(errorText(out.error())));
        packets.insert(packets.end(), out->begin(), out->end());
        fed += frames;
    }
    const size_t beforeFlush = packets.size();
    QVERIFY(beforeFlush <= size_t(48000 / 1024));
    auto flushed = (*encoder)->flush();
    QVERIFY(flushed);
    QVERIFY(!flushed->empty());
    packets.insert(packets.end(), flushed->begin(), flushed->end());

    // The priming replaces the first 1024 input samples (skipped so that decoded sample n is
    // input sample n): the output covers exactly the input's length, in whole 1024-sample frames.
    const size_t expected = size_t(std::ceil(48000.0 / 1024));
    QCOMPARE(packets.size(), expected);
    for (size_t k = 0; k < packets.size(); ++k) {
        const EncodedPacket& packet = packets[k];
        QCOMPARE(packet.pts, int64_t(1024 * k));  // no gaps, from 0
        QCOMPARE(packet.dts, packet.pts);
        QCOMPARE(packet.duration, int64_t(1024));
        QVERIFY(packet.isKeyframe);
        QCOMPARE(packet.kind, TrackKind::Audio);
        QCOMPARE(packet.trackIndex, 4);
        QVERIFY(!packet.data.empty());
        const bool hasAdtsSyncWord =
            packet.data.size() > 1 && packet.data[0] == 0xff && (packet.data[1] & 0xf0) == 0xf0;
        QVERIFY(!hasAdtsSyncWord);  // raw AAC frames, no ADTS header
    }
    // 128 kb/s for about a second of a sine: the encoder honours the bitrate roughly.
    size_t bytes = 0;
    for (const EncodedPacket& packet : packets) {
        bytes += packet.data.size();
    }
    const double kbps = bytes * 8.0 / (packets.size() * 1024.0 / 48000.0) / 1000.0;
    QVERIFY2(kbps > 64 && kbps < 192, qPrintable(QString("measured %1 kb/s").arg(kbps)));
}

void TstAacEncoder::audioSpecificConfig_data() {
    QTest::addColumn<int>("sampleRate");
    QTest::addColumn<int>("channels");
    QTest::addColumn<QByteArray>("expected");
    // AudioSpecificConfig: 5 bits object type 2 (LC), 4 bits frequency index, 4 bits channels.
    QTest::newRow("48 kHz stereo") << 48000 << 2 << QByteArray("\x11\x90", 2);
    QTest::newRow("48 kHz mono") << 48000 << 1 << QByteArray("\x11\x88", 2);
    QTest::newRow("44.1 kHz stereo") << 44100 << 2 << QByteArray("\x12\x10", 2);
}

void TstAacEncoder::audioSpecificConfig() {
    QFETCH(int, sampleRate);
    QFETCH(int, channels);
    QFETCH(QByteArray, expected);
    auto encoder = AacEncoder::create({sampleRate, channels, 96}, 0);
    QVERIFY2(encoder, encoder ? "" : qPrintable(errorText(encoder.error())));
    const TrackInfo info = (*encoder)->trackInfo();
    QCOMPARE(info.id, std::string("audio"));
    QCOMPARE(info.kind, TrackKind::Audio);
    QCOMPARE(info.codecString, std::string("mp4a.40.2"));
    QCOMPARE(info.timescale, sampleRate);
    QCOMPARE(info.sampleRate, sampleRate);
    QCOMPARE(info.channels, channels);
    QCOMPARE(info.bitrateBps, 96000);
    const QByteArray asc(reinterpret_cast<const char*>(info.audioSpecificConfig.data()),
                         qsizetype(info.audioSpecificConfig.size()));
    QCOMPARE(asc.toHex(), expected.toHex());
}

void TstAacEncoder::otherInputFormatIsRefused() {
    auto encoder = AacEncoder::create({48000, 2, 128}, 0);
    QVERIFY(encoder);
    auto out = (*encoder)->encode(sine(0, 441, 44100, 2));
    QVERIFY(!out);
    QCOMPARE(out.error().code(), ErrorCode::InvalidArgument);
    QVERIFY(errorText(out.error()).contains("44100"));
}

QTEST_GUILESS_MAIN(TstAacEncoder)
#include "tst_aac_encoder.moc"

#pragma once
// Shared helpers of the publisher/mp4 tests: golden-file comparison with a box-tree diff, and
// synthetic packet generators (30 fps video at 90 kHz, 48 kHz AAC-like audio).

#include <QByteArray>
#include <QFile>
#include <QString>
#include <QTest>

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include "core/encoded_packet.h"
#include "publisher/mp4/box_reader.h"

namespace podium::publisher::mp4::test {

/// Compares `actual` with tests/data/golden/mp4/<name>.bin. PODIUM_UPDATE_GOLDEN=1 rewrites the
/// golden file. On mismatch writes <name>.actual into the build directory and prints both box
/// trees. Returns true when equal (use: QVERIFY(matchesGolden(...))).
inline bool matchesGolden(const QString& name, const std::vector<uint8_t>& actual) {
    const QString goldenPath =
        QStringLiteral(PODIUM_SOURCE_DIR "/tests/data/golden/mp4/") + name + QStringLiteral(".bin");
    const QByteArray actualBytes(reinterpret_cast<const char*>(actual.data()),
                                 qsizetype(actual.size()));
    if (qEnvironmentVariable("PODIUM_UPDATE_GOLDEN") == QLatin1String("1")) {
        QFile out(goldenPath);
        if (!out.open(QIODevice::WriteOnly) || out.write(actualBytes) != actualBytes.size()) {
            qWarning("cannot write %s", qPrintable(goldenPath));
            return false;
        }
        qInfo("updated golden %s", qPrintable(goldenPath));
        return true;
    }
    QFile in(goldenPath);
    if (!in.open(QIODevice::ReadOnly)) {
        qWarning("missing golden %s (run with PODIUM_UPDATE_GOLDEN=1)", qPrintable(goldenPath));
        return false;
    }
    const QByteArray expected = in.readAll();
    if (expected == actualBytes) {
        return true;
    }
    const QString actualPath =
        QStringLiteral(PODIUM_BINARY_DIR "/") + name + QStringLiteral(".actual");
    QFile out(actualPath);
    if (out.open(QIODevice::WriteOnly)) {
        out.write(actualBytes);
    }
    const std::vector<uint8_t> expectedVec(expected.begin(), expected.end());
    qWarning("%s differs from golden (actual written to %s)\n--- expected\n%s--- actual\n%s",
             qPrintable(name), qPrintable(actualPath), dumpTree(expectedVec).c_str(),
             dumpTree(actual).c_str());
    return false;
}

/// Payload of 1-8 bytes that identifies the packet (its index, mod 256).
inline std::vector<uint8_t> payloadFor(int index) {
    return std::vector<uint8_t>(size_t(1 + index % 8), uint8_t(index));
}

/// `count` video frames at 30 fps (3000 ticks at 90 kHz) in decode order, an IDR every `gop`
/// frames (display order). With `bFrames`, x264-like closed GOPs with 2 B-frames per anchor:
/// decode order I0 P3 B1 B2 P6 B4 B5 ... (last frame of a GOP forced to P), dts = (k - 1) *
/// 3000 for decode index k, so B-frames get negative composition offsets after the shift.
inline std::vector<EncodedPacket> makeVideoPackets(int trackIndex, int count, int gop, bool bFrames,
                                                   int64_t firstPts = 0) {
    constexpr int64_t kFrame = 3000;
    std::vector<int> order;  // display indices in decode order
    for (int gopStart = 0; gopStart < count; gopStart += gop) {
        const int gopEnd = std::min(gopStart + gop, count);
        order.push_back(gopStart);
        int previousAnchor = gopStart;
        while (previousAnchor < gopEnd - 1) {
            int anchor = bFrames ? previousAnchor + 3 : previousAnchor + 1;
            anchor = std::min(anchor, gopEnd - 1);
            order.push_back(anchor);
            for (int b = previousAnchor + 1; b < anchor; ++b) {
                order.push_back(b);
            }
            previousAnchor = anchor;
        }
    }
    std::vector<EncodedPacket> packets;
    const int64_t delay = bFrames ? 1 : 0;
    for (size_t k = 0; k < order.size(); ++k) {
        EncodedPacket p;
        p.trackIndex = trackIndex;
        p.kind = TrackKind::Video;
        p.pts = firstPts + order[k] * kFrame;
        p.dts = firstPts + (int64_t(k) - delay) * kFrame;
        p.duration = kFrame;
        p.isKeyframe = order[k] % gop == 0;
        p.data = payloadFor(int(k));
        packets.push_back(std::move(p));
    }
    return packets;
}

/// `count` AAC frames of 1024 samples at 48 kHz, pts = dts.
inline std::vector<EncodedPacket> makeAudioPackets(int trackIndex, int count) {
    std::vector<EncodedPacket> packets;
    for (int k = 0; k < count; ++k) {
        EncodedPacket p;
        p.trackIndex = trackIndex;
        p.kind = TrackKind::Audio;
        p.pts = p.dts = int64_t(k) * 1024;
        p.duration = 1024;
        p.isKeyframe = true;
        p.data = payloadFor(k);
        packets.push_back(std::move(p));
    }
    return packets;
}

inline TrackInfo videoTrack(int trackIndex, const std::string& id, int width, int height) {
    TrackInfo t;
    t.trackIndex = trackIndex;
    t.id = id;
    t.kind = TrackKind::Video;
    t.timescale = 90000;
    t.codecString = "avc1.64000d";
    t.bitrateBps = 600000;
    t.maxBitrateBps = 900000;
    t.width = width;
    t.height = height;
    t.fpsNum = 30;
    // A real AVCDecoderConfigurationRecord from x264 (High, level 1.3, 320x240), with ffmpeg:
    // ffmpeg -f lavfi -i testsrc=s=320x240 -frames 1 -pix_fmt yuv420p -c:v libx264 x.mp4
    t.avcDecoderConfig = {0x01, 0x64, 0x00, 0x0d, 0xff, 0xe1, 0x00, 0x19, 0x67, 0x64, 0x00, 0x0d,
                          0xac, 0xd9, 0x41, 0x41, 0xfb, 0x01, 0x10, 0x00, 0x00, 0x03, 0x00, 0x10,
                          0x00, 0x00, 0x03, 0x03, 0x20, 0xf1, 0x42, 0x99, 0x60, 0x01, 0x00, 0x06,
                          0x68, 0xeb, 0xe3, 0xcb, 0x22, 0xc0, 0xfd, 0xf8, 0xf8, 0x00};
    return t;
}

inline TrackInfo audioTrack(int trackIndex) {
    TrackInfo t;
    t.trackIndex = trackIndex;
    t.id = "audio";
    t.kind = TrackKind::Audio;
    t.timescale = 48000;
    t.codecString = "mp4a.40.2";
    t.bitrateBps = 128000;
    t.maxBitrateBps = 128000;
    t.sampleRate = 48000;
    t.channels = 2;
    t.audioSpecificConfig = {0x11, 0x90};  // AAC-LC, 48 kHz, stereo
    return t;
}

}  // namespace podium::publisher::mp4::test

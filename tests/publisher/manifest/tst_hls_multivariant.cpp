#include <QtTest>

#include <string>

#include "golden_text.h"
#include "publisher/manifest/hls_multivariant.h"

using namespace podium;
using namespace podium::publisher;

namespace {

HlsVideoVariant video(const std::string& id, int width, int height, int64_t peak, int64_t average) {
    HlsVideoVariant v;
    v.track.id = id;
    v.track.kind = TrackKind::Video;
    v.track.codecString = "avc1.64001f";
    v.track.width = width;
    v.track.height = height;
    v.track.fpsNum = 30;
    v.track.fpsDen = 1;
    v.peakBitrateBps = peak;
    v.averageBitrateBps = average;
    v.uri = id + "/index.m3u8";
    return v;
}

HlsAudioRendition audio() {
    HlsAudioRendition a;
    a.track.id = "audio";
    a.track.kind = TrackKind::Audio;
    a.track.codecString = "mp4a.40.2";
    a.track.channels = 2;
    a.peakBitrateBps = 130000;
    a.averageBitrateBps = 128000;
    a.uri = "audio/index.m3u8";
    return a;
}

// The default "User group 720p" ladder, given lowest first to prove the sorting.
std::vector<HlsVideoVariant> userGroupLadder() {
    return {video("360p", 640, 360, 660000, 600000), video("720p", 1280, 720, 2750000, 2500000),
            video("480p", 854, 480, 1100000, 1000000)};
}

}  // namespace

class TstHlsMultivariant : public QObject {
    Q_OBJECT

private slots:
    void matchesGolden_data();
    void matchesGolden();
    void bandwidthIncludesAudioPeak();
    void withoutAudioHasNoAudioGroup();
};

void TstHlsMultivariant::matchesGolden_data() {
    QTest::addColumn<QString>("golden");
    QTest::addColumn<bool>("withAudio");
    QTest::addColumn<bool>("withAverage");
    QTest::newRow("3 variants sorted, with audio")
        << "multivariant_ladder_audio.m3u8" << true << true;
    QTest::newRow("3 variants sorted, video only")
        << "multivariant_ladder_video_only.m3u8" << false << true;
    QTest::newRow("average unknown yet") << "multivariant_no_average.m3u8" << true << false;
}

void TstHlsMultivariant::matchesGolden() {
    QFETCH(QString, golden);
    QFETCH(bool, withAudio);
    QFETCH(bool, withAverage);
    MultivariantInput input;
    input.variants = userGroupLadder();
    if (!withAverage) {
        for (auto& v : input.variants) {
            v.averageBitrateBps = 0;
        }
    }
    if (withAudio) {
        input.audio = audio();
    }
    PODIUM_COMPARE_GOLDEN(golden, renderMultivariant(input));
}

void TstHlsMultivariant::bandwidthIncludesAudioPeak() {
    MultivariantInput input;
    input.variants = {video("720p", 1280, 720, 2750000, 2500000)};
    input.audio = audio();
    const QString text = QString::fromStdString(renderMultivariant(input));
    QVERIFY2(text.contains("BANDWIDTH=2880000,AVERAGE-BANDWIDTH=2628000,"), qPrintable(text));
    QVERIFY(text.contains("CODECS=\"avc1.64001f,mp4a.40.2\""));
    QVERIFY(text.contains("URI=\"audio/index.m3u8\""));
    QVERIFY(text.endsWith("AUDIO=\"aac\"\n720p/index.m3u8\n"));
}

void TstHlsMultivariant::withoutAudioHasNoAudioGroup() {
    MultivariantInput input;
    input.variants = userGroupLadder();
    const QString text = QString::fromStdString(renderMultivariant(input));
    QVERIFY(!text.contains("#EXT-X-MEDIA"));
    QVERIFY(!text.contains("AUDIO="));
    QVERIFY(!text.contains("mp4a"));
    // Highest first.
    QVERIFY(text.indexOf("720p/index.m3u8") < text.indexOf("480p/index.m3u8"));
    QVERIFY(text.indexOf("480p/index.m3u8") < text.indexOf("360p/index.m3u8"));
}

QTEST_GUILESS_MAIN(TstHlsMultivariant)
#include "tst_hls_multivariant.moc"

#include <QtTest>

#include <functional>
#include <string>

#include "golden_text.h"
#include "publisher/manifest/hls_media_playlist.h"
#include "publisher/manifest/hls_tag.h"

using namespace podium::publisher;

namespace {

constexpr int64_t kAnchorMs = 1795608000000;  // 2026-11-25T12:00:00.000Z = media time 0

HlsSegmentEntry segment(int64_t number, double seconds, double startSeconds,
                        bool discontinuity = false) {
    HlsSegmentEntry e;
    e.uri = "seg_" + std::to_string(number) + ".m4s";
    e.durationSeconds = seconds;
    e.programDateTimeMs = kAnchorMs + static_cast<int64_t>(startSeconds * 1000.0 + 0.5);
    e.discontinuity = discontinuity;
    return e;
}

void appendRun(HlsMediaPlaylist& p, int64_t first, int count, double seconds) {
    for (int i = 0; i < count; ++i) {
        const int64_t n = first + i;
        p.append(segment(n, seconds, double(n) * seconds));
    }
}

using Scenario = std::function<HlsMediaPlaylist()>;

}  // namespace

Q_DECLARE_METATYPE(Scenario)

class TstHlsMediaPlaylist : public QObject {
    Q_OBJECT

private slots:
    void matchesGolden_data();
    void matchesGolden();
    void windowEvictionIncrementsMediaSequence();
    void targetDurationIsRoundedPrintedDurationAndNeverShrinks();
    void endedPlaylistIgnoresLateSegments();
    void partsAreHeldButNotRendered();
};

void TstHlsMediaPlaylist::matchesGolden_data() {
    QTest::addColumn<QString>("golden");
    QTest::addColumn<Scenario>("scenario");
    QTest::newRow("event playlist while the archive grows") << "media_event.m3u8" << Scenario([] {
        HlsMediaPlaylist p({"init.mp4", 0, 2});
        appendRun(p, 0, 3, 2.0);
        return p;
    });
    QTest::newRow("ended archive is a VOD") << "media_vod_ended.m3u8" << Scenario([] {
        HlsMediaPlaylist p({"init.mp4", 0, 2});
        appendRun(p, 0, 3, 2.0);
        p.append(segment(3, 0.73333, 6.0));
        p.end();
        return p;
    });
    QTest::newRow("sliding window of 3 after 5 segments")
        << "media_sliding_window.m3u8" << Scenario([] {
               HlsMediaPlaylist p({"init.mp4", 3, 2});
               appendRun(p, 10, 5, 2.0);
               return p;
           });
    QTest::newRow("discontinuity after an encoder restart")
        << "media_discontinuity.m3u8" << Scenario([] {
               HlsMediaPlaylist p({"init.mp4", 0, 2});
               appendRun(p, 0, 2, 2.0);
               p.append(segment(7, 2.0, 14.0, true));
               p.append(segment(8, 2.0, 16.0));
               return p;
           });
    QTest::newRow("window evicts a discontinuity")
        << "media_window_evicts_discontinuity.m3u8" << Scenario([] {
               HlsMediaPlaylist p({"init.mp4", 2, 2});
               p.append(segment(0, 2.0, 0.0));
               p.append(segment(5, 2.0, 10.0, true));
               p.append(segment(6, 2.0, 12.0));
               p.append(segment(7, 2.0, 14.0));
               return p;
           });
    QTest::newRow("target duration is the longest EXTINF rounded (RFC 8216 4.3.3.1)")
        << "media_target_duration.m3u8" << Scenario([] {
               HlsMediaPlaylist p({"init.mp4", 0, 1});
               p.append(segment(0, 1.96667, 0.0));
               p.append(segment(1, 2.000001, 1.96667));
               p.append(segment(2, 2.4, 3.96667));
               p.append(segment(3, 2.0, 6.36667));
               p.end();
               return p;
           });
}

void TstHlsMediaPlaylist::matchesGolden() {
    QFETCH(QString, golden);
    QFETCH(Scenario, scenario);
    PODIUM_COMPARE_GOLDEN(golden, renderMediaPlaylist(scenario()));
}

void TstHlsMediaPlaylist::windowEvictionIncrementsMediaSequence() {
    HlsMediaPlaylist p({"init.mp4", 3, 2});
    appendRun(p, 0, 3, 2.0);
    QCOMPARE(p.mediaSequence(), 0);
    p.append(segment(3, 2.0, 6.0));
    QCOMPARE(p.mediaSequence(), 1);
    appendRun(p, 4, 4, 2.0);
    QCOMPARE(p.mediaSequence(), 5);
    QCOMPARE(p.entries().size(), size_t(3));
    QCOMPARE(QString::fromStdString(p.entries().front().uri), QStringLiteral("seg_5.m4s"));
    const QString text = QString::fromStdString(renderMediaPlaylist(p));
    QVERIFY(text.contains("#EXT-X-MEDIA-SEQUENCE:5\n"));
    QVERIFY(!text.contains("PLAYLIST-TYPE"));  // a live window is neither EVENT nor VOD
}

void TstHlsMediaPlaylist::targetDurationIsRoundedPrintedDurationAndNeverShrinks() {
    HlsMediaPlaylist p({"init.mp4", 2, 2});
    p.append(segment(0, 2.000001, 0.0));  // prints 2.00000: must not bump the target to 3
    QCOMPARE(p.targetDurationSeconds(), 2);
    p.append(segment(1, 2.5, 2.0));
    QCOMPARE(p.targetDurationSeconds(), 3);
    appendRun(p, 2, 5, 2.0);  // the 2.5 s segment left the window long ago
    QCOMPARE(p.targetDurationSeconds(), 3);
    QVERIFY(QString::fromStdString(renderMediaPlaylist(p)).contains("#EXT-X-TARGETDURATION:3\n"));
    // The rule is the live playlists' (RFC 8216 4.3.3.1: EXTINF rounded to the nearest
    // integer): a 2.4 s segment keeps a 2 s target (ceil made it 3, the live playlist 2).
    HlsMediaPlaylist q({"init.mp4", 2, 2});
    q.append(segment(0, 2.4, 0.0));
    QCOMPARE(q.targetDurationSeconds(), 2);
    QCOMPARE(q.targetDurationSeconds(), hls::targetDurationFor(2.4));
}

void TstHlsMediaPlaylist::endedPlaylistIgnoresLateSegments() {
    HlsMediaPlaylist p;
    appendRun(p, 0, 2, 2.0);
    p.end();
    p.append(segment(2, 2.0, 4.0));
    QCOMPARE(p.entries().size(), size_t(2));
    const QString text = QString::fromStdString(renderMediaPlaylist(p));
    QVERIFY(text.endsWith("#EXT-X-ENDLIST\n"));
    QCOMPARE(text.count("#EXT-X-ENDLIST"), 1);
}

void TstHlsMediaPlaylist::partsAreHeldButNotRendered() {
    HlsMediaPlaylist p;
    HlsSegmentEntry e = segment(0, 2.0, 0.0);
    e.parts = {{"seg_0.0.m4s", 1.0, true}, {"seg_0.1.m4s", 1.0, false}};
    p.append(e);
    QCOMPARE(p.entries().front().parts.size(), size_t(2));
    QVERIFY(!QString::fromStdString(renderMediaPlaylist(p)).contains("EXT-X-PART"));
}

QTEST_GUILESS_MAIN(TstHlsMediaPlaylist)
#include "tst_hls_media_playlist.moc"

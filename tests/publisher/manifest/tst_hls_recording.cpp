#include <QtTest>

#include <functional>
#include <memory>
#include <string>

#include "golden_text.h"
#include "publisher/manifest/hls_live.h"
#include "publisher/manifest/hls_tag.h"
#include "publisher/manifest/segment_window.h"

// The archive's playlists: a recording window (every segment, none of the bytes, numbered by
// the feed) rendered by the live renderer as an EVENT, then VOD, playlist.

using namespace podium;
using namespace podium::publisher;
using namespace podium::publisher::manifest;

namespace {

constexpr int64_t kAnchorMs = 1795608000000;  // 2026-11-25T12:00:00.000Z = media time 0
constexpr int32_t kTimescale = 90000;

TrackInfo videoTrack() {
    TrackInfo t;
    t.trackIndex = 0;
    t.id = "720p";
    t.kind = TrackKind::Video;
    t.timescale = kTimescale;
    return t;
}

/// A recording window of one track, with its init, as the archive makes it.
struct Recording {
    SegmentWindow window{
        WindowConfig::recording("talk", MediaTime{2 * kTimescale, kTimescale}, kAnchorMs)};

    Recording() {
        window.setTracks({videoTrack()});
        auto init = std::make_shared<InitSegment>();
        init->track = videoTrack();
        init->bytes = {1, 2, 3};
        window.setInit(init);
    }

    /// Segment `number` starting at `startSeconds`, `seconds` long, of `size` bytes.
    bool add(int64_t number, double startSeconds, double seconds, size_t size = 1000) {
        auto s = std::make_shared<Segment>();
        s->trackIndex = 0;
        s->number = number;
        s->start = MediaTime{std::llround(startSeconds * kTimescale), kTimescale};
        s->duration = MediaTime{std::llround(seconds * kTimescale), kTimescale};
        s->bytes.assign(size, uint8_t(number));
        s->parts.push_back(
            PartInfo{0, size / 2, MediaTime{s->duration.value / 2, kTimescale}, true});
        s->parts.push_back(PartInfo{size / 2, size - size / 2,
                                    s->duration - MediaTime{s->duration.value / 2, kTimescale},
                                    false});
        return window.addSegment(s);
    }

    void addRun(int64_t first, int count, double seconds) {
        for (int i = 0; i < count; ++i) {
            add(first + i, double(first + i) * seconds, seconds);
        }
    }

    [[nodiscard]] std::string render() const {
        const ChannelViewPtr view = window.snapshot(1);
        LlHlsOptions options;
        options.lowLatency = false;
        options.blockingReload = false;
        options.recording = true;
        return renderLiveMediaPlaylist(*view, view->tracks.front(), options);
    }
};

using Scenario = std::function<std::string()>;

}  // namespace

Q_DECLARE_METATYPE(Scenario)

class TstHlsRecording : public QObject {
    Q_OBJECT

private slots:
    void matchesGolden_data();
    void matchesGolden();
    void keepsEverySegmentAndNoneOfTheBytes();
    void targetDurationNeverShrinks();
    void endedRecordingIgnoresLateSegments();
};

void TstHlsRecording::matchesGolden_data() {
    QTest::addColumn<QString>("golden");
    QTest::addColumn<Scenario>("scenario");
    QTest::newRow("event playlist while the archive grows") << "media_event.m3u8" << Scenario([] {
        Recording r;
        r.addRun(0, 3, 2.0);
        return r.render();
    });
    QTest::newRow("ended archive is a VOD") << "media_vod_ended.m3u8" << Scenario([] {
        Recording r;
        r.addRun(0, 3, 2.0);
        r.add(3, 6.0, 0.73333);
        r.window.end();
        return r.render();
    });
    QTest::newRow("segments that never came: a gap is a discontinuity")
        << "media_discontinuity.m3u8" << Scenario([] {
               Recording r;
               r.addRun(0, 2, 2.0);
               r.add(7, 14.0, 2.0);
               r.add(8, 16.0, 2.0);
               return r.render();
           });
    QTest::newRow("target duration is the longest EXTINF rounded (RFC 8216 4.3.3.1)")
        << "media_target_duration.m3u8" << Scenario([] {
               Recording r;
               r.add(0, 0.0, 1.96667);
               r.add(1, 1.96667, 2.000001);
               r.add(2, 3.96667, 2.4);
               r.add(3, 6.36667, 2.0);
               r.window.end();
               return r.render();
           });
}

void TstHlsRecording::matchesGolden() {
    QFETCH(QString, golden);
    QFETCH(Scenario, scenario);
    PODIUM_COMPARE_GOLDEN(golden, scenario());
}

void TstHlsRecording::keepsEverySegmentAndNoneOfTheBytes() {
    Recording r;
    r.addRun(0, 1000, 2.0);  // 2000 s: far beyond any live window
    const ChannelViewPtr view = r.window.snapshot(1);
    const TrackView& track = view->tracks.front();
    QCOMPARE(track.segments.size(), size_t(1000));
    QCOMPARE(track.segments.front().sequence, int64_t(0));
    QCOMPARE(track.windowBytes, uint64_t(0));  // the bytes are on disk, not in memory
    QCOMPARE(track.bytesIn, uint64_t(1000 * 1000));
    for (const auto& s : track.segments) {
        QVERIFY(s.isComplete());
        QCOMPARE(s.size, uint64_t(1000));
        QVERIFY(s.parts.empty());
    }
    QCOMPARE(std::llround(track.averageBitrateBps), 4000LL);  // 1000 bytes per 2 s
    QCOMPARE(std::llround(track.peakBitrateBps), 4000LL);
    const QString text = QString::fromStdString(r.render());
    QCOMPARE(text.count("#EXTINF:"), 1000);
    QVERIFY(text.contains("#EXT-X-PLAYLIST-TYPE:EVENT\n"));
    QVERIFY(!text.contains("EXT-X-PART"));
    QVERIFY(!text.contains("SERVER-CONTROL"));
}

void TstHlsRecording::targetDurationNeverShrinks() {
    Recording r;
    r.add(0, 0.0, 2.0);
    QVERIFY(QString::fromStdString(r.render()).contains("#EXT-X-TARGETDURATION:2\n"));
    r.add(1, 2.0, 2.6);
    QVERIFY(QString::fromStdString(r.render()).contains("#EXT-X-TARGETDURATION:3\n"));
    r.add(2, 4.6, 2.0);
    QVERIFY(QString::fromStdString(r.render()).contains("#EXT-X-TARGETDURATION:3\n"));
    QCOMPARE(hls::targetDurationFor(2.4), 2);
}

void TstHlsRecording::endedRecordingIgnoresLateSegments() {
    Recording r;
    r.addRun(0, 2, 2.0);
    r.window.end();
    QVERIFY(!r.add(2, 4.0, 2.0));
    const QString text = QString::fromStdString(r.render());
    QCOMPARE(text.count("#EXTINF:"), 2);
    QVERIFY(text.endsWith("#EXT-X-ENDLIST\n"));
    QCOMPARE(text.count("#EXT-X-ENDLIST"), 1);
    QVERIFY(text.contains("#EXT-X-PLAYLIST-TYPE:VOD\n"));
}

QTEST_GUILESS_MAIN(TstHlsRecording)
#include "tst_hls_recording.moc"

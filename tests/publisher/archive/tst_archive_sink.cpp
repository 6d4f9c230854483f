#include <QtTest>

#include <QDirIterator>
#include <QTemporaryDir>

#include "publisher/archive/archive_sink.h"
#include "publisher/origin/channel_store.h"
#include "publisher/origin/origin_sink.h"
#include "publisher/sinks/sink_fanout.h"

using namespace podium;
using namespace podium::publisher;

namespace {

constexpr int64_t kAnchorMs = 1795608000000;  // 2026-11-25T12:00:00.000Z

TrackInfo videoTrack(int index, const std::string& id, int width, int height, int maxBps) {
    TrackInfo t;
    t.trackIndex = index;
    t.id = id;
    t.kind = TrackKind::Video;
    t.codecString = "avc1.64001f";
    t.width = width;
    t.height = height;
    t.fpsNum = 30;
    t.bitrateBps = maxBps * 10 / 11;
    t.maxBitrateBps = maxBps;
    return t;
}

std::vector<TrackInfo> ladder() {
    TrackInfo audio;
    audio.trackIndex = 2;
    audio.id = "audio";
    audio.kind = TrackKind::Audio;
    audio.timescale = 48000;
    audio.codecString = "mp4a.40.2";
    audio.channels = 2;
    audio.bitrateBps = 128000;
    audio.maxBitrateBps = 130000;
    return {videoTrack(0, "720p", 1280, 720, 2750000), videoTrack(1, "360p", 640, 360, 660000),
            audio};
}

InitSegmentPtr makeInit(const TrackInfo& track) {
    auto init = std::make_shared<InitSegment>();
    init->track = track;
    init->bytes = {'f', 't', 'y', 'p', uint8_t(track.trackIndex)};
    return init;
}

/// A 2 s segment of `size` bytes whose content identifies track and number.
SegmentPtr makeSegment(const TrackInfo& track, int64_t number, size_t size = 1000) {
    auto s = std::make_shared<Segment>();
    s->trackIndex = track.trackIndex;
    s->number = number;
    s->start = MediaTime{number * 2 * track.timescale, track.timescale};
    s->duration = MediaTime{2 * int64_t(track.timescale), track.timescale};
    s->bytes.resize(size);
    for (size_t i = 0; i < size; ++i) {
        s->bytes[i] = uint8_t(i * 7 + uint64_t(number) * 13 + uint64_t(track.trackIndex));
    }
    return s;
}

QByteArray readFile(const QString& path) {
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

QStringList lines(const QString& path) {
    return QString::fromUtf8(readFile(path)).split('\n', Qt::SkipEmptyParts);
}

QByteArray bytesOf(const std::vector<uint8_t>& v) {
    return QByteArray(reinterpret_cast<const char*>(v.data()), qsizetype(v.size()));
}

QStringList leftovers(const QString& dir) {
    QStringList out;
    QDirIterator it(dir, QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString name = QFileInfo(it.next()).fileName();
        if (name.startsWith('.')) {
            out << name;
        }
    }
    return out;
}

ArchiveSinkConfig configFor(const QString& dir) {
    return {dir.toStdString(), kAnchorMs, 2};
}

}  // namespace

class TstArchiveSink : public QObject {
    Q_OBJECT

private slots:
    void writesExactlyWhatWasDelivered();
    void multivariantWaitsForEveryTrackAndFollowsThePeak();
    void closeEndsEveryPlaylist();
    void refusesBadFolders_data();
    void refusesBadFolders();
    void refusesOutOfOrderInput_data();
    void refusesOutOfOrderInput();
    void recordsThroughTheFanout();
    void theStreamEpochIsEveryDestinationsAnchor();
};

void TstArchiveSink::writesExactlyWhatWasDelivered() {
    QTemporaryDir tmp;
    const auto tracks = ladder();
    ArchiveSink sink(configFor(tmp.path()));
    QVERIFY(sink.open(tracks));
    std::vector<SegmentPtr> delivered;
    for (const auto& t : tracks) {
        QVERIFY(sink.deliver(makeInit(t)));
    }
    for (int64_t n = 0; n < 3; ++n) {
        for (const auto& t : tracks) {
            delivered.push_back(makeSegment(t, n, 500 + size_t(n)));
            QVERIFY(sink.deliver(delivered.back()));
        }
    }
    for (const auto& t : tracks) {
        const QString folder = tmp.path() + "/" + QString::fromStdString(t.id);
        QCOMPARE(readFile(folder + "/init.mp4"), bytesOf(makeInit(t)->bytes));
        const QStringList playlist = lines(folder + "/index.m3u8");
        QVERIFY(playlist.contains("#EXT-X-PLAYLIST-TYPE:EVENT"));
        QVERIFY(playlist.contains("#EXT-X-MAP:URI=\"init.mp4\""));
        QVERIFY(playlist.contains("#EXT-X-TARGETDURATION:2"));
        QVERIFY(!playlist.contains("#EXT-X-ENDLIST"));
        // Same wall clock for the same media time in every rendition (checkpoint 34).
        QVERIFY(playlist.contains("#EXT-X-PROGRAM-DATE-TIME:2026-11-25T12:00:00.000Z"));
        QCOMPARE(playlist.count("#EXTINF:2.00000,"), 3);
        QCOMPARE(playlist.last(), QStringLiteral("seg_2.m4s"));
    }
    for (const auto& s : delivered) {
        const QString path = tmp.path() + "/" +
                             QString::fromStdString(tracks[size_t(s->trackIndex)].id) +
                             QString("/seg_%1.m4s").arg(s->number);
        QCOMPARE(readFile(path), bytesOf(s->bytes));
    }
    // While recording, only the reserve that keeps the archive finishable (no temp files).
    QCOMPARE(leftovers(tmp.path()), QStringList{".podium-reserve"});
    QVERIFY(sink.stats().itemsWritten > 0);
}

void TstArchiveSink::multivariantWaitsForEveryTrackAndFollowsThePeak() {
    QTemporaryDir tmp;
    const auto tracks = ladder();
    ArchiveSink sink(configFor(tmp.path()));
    QVERIFY(sink.open(tracks));
    for (const auto& t : tracks) {
        QVERIFY(sink.deliver(makeInit(t)));
    }
    const QString multivariant = tmp.path() + "/index.m3u8";
    QVERIFY(sink.deliver(makeSegment(tracks[0], 0)));
    QVERIFY(sink.deliver(makeSegment(tracks[1], 0)));
    QVERIFY(!QFile::exists(multivariant));  // audio has no segment yet
    QVERIFY(sink.deliver(makeSegment(tracks[2], 0)));
    QStringList text = lines(multivariant);
    // Declared peaks win while measured segments are small: 2750000 + 130000 audio.
    QVERIFY2(text.join('\n').contains("BANDWIDTH=2880000,"), qPrintable(text.join('\n')));
    QCOMPARE(text.filter("#EXT-X-STREAM-INF").size(), 2);
    QVERIFY(text.contains("720p/index.m3u8"));
    QVERIFY(text.contains("360p/index.m3u8"));
    QVERIFY(text.join('\n').contains("URI=\"audio/index.m3u8\""));
    QVERIFY(text.indexOf("720p/index.m3u8") < text.indexOf("360p/index.m3u8"));

    // An 800 000-byte 2 s segment measures 3.2 Mb/s, above the declared 2.75 Mb/s.
    QVERIFY(sink.deliver(makeSegment(tracks[0], 1, 800000)));
    text = lines(multivariant);
    QVERIFY2(text.join('\n').contains("BANDWIDTH=3330000,"), qPrintable(text.join('\n')));
}

void TstArchiveSink::closeEndsEveryPlaylist() {
    QTemporaryDir tmp;
    const auto tracks = ladder();
    ArchiveSink sink(configFor(tmp.path()));
    QVERIFY(sink.open(tracks));
    for (const auto& t : tracks) {
        QVERIFY(sink.deliver(makeInit(t)));
        QVERIFY(sink.deliver(makeSegment(t, 0)));
        QVERIFY(sink.deliver(makeSegment(t, 1)));
    }
    QVERIFY(sink.deliver(EndOfStream{}));
    QVERIFY(sink.close());
    for (const auto& t : tracks) {
        const QStringList playlist =
            lines(tmp.path() + "/" + QString::fromStdString(t.id) + "/index.m3u8");
        QVERIFY(playlist.contains("#EXT-X-PLAYLIST-TYPE:VOD"));
        QCOMPARE(playlist.last(), QStringLiteral("#EXT-X-ENDLIST"));
    }
    const QString multivariant = QString::fromUtf8(readFile(tmp.path() + "/index.m3u8"));
    QVERIFY(multivariant.startsWith("#EXTM3U\n#EXT-X-VERSION:7\n#EXT-X-INDEPENDENT-SEGMENTS\n"));
    // 1000 bytes per 2 s = 4000 b/s measured average per track.
    QVERIFY2(multivariant.contains("AVERAGE-BANDWIDTH=8000,"), qPrintable(multivariant));
    QCOMPARE(leftovers(tmp.path()), QStringList());
    QVERIFY(sink.close());  // idempotent
}

void TstArchiveSink::refusesBadFolders_data() {
    QTest::addColumn<QString>("kind");
    QTest::addColumn<QString>("expectedStart");
    QTest::newRow("under a regular file") << "file"
                                          << "cannot create archive folder ";
    QTest::newRow("already holds an archive") << "existing"
                                              << "archive folder ";
}

void TstArchiveSink::refusesBadFolders() {
    QFETCH(QString, kind);
    QFETCH(QString, expectedStart);
    QTemporaryDir tmp;
    QString target;
    QByteArray previous = "#EXTM3U\n# a previous recording\n";
    if (kind == "file") {
        QFile file(tmp.path() + "/afile");
        QVERIFY(file.open(QIODevice::WriteOnly));
        target = tmp.path() + "/afile/sub";
    } else {
        target = tmp.path() + "/old";
        const QString playlistDir = kind == "crashed" ? target + "/360p" : target;
        QVERIFY(QDir().mkpath(playlistDir));
        QFile file(playlistDir + "/index.m3u8");
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(previous);
    }
    ArchiveSink sink(configFor(target));
    const auto opened = sink.open(ladder());
    QVERIFY(!opened);
    const QString message = QString::fromStdString(opened.error().toString());
    QVERIFY2(message.startsWith(expectedStart), qPrintable(message));
    QVERIFY2(message.contains(target), qPrintable(message));
    QVERIFY(!message.contains('\n'));
    if (kind == "existing") {
        QCOMPARE(readFile(target + "/index.m3u8"), previous);  // never overwritten
        QVERIFY(message.contains("already holds an archive (index.m3u8)"));
    }
    if (kind == "crashed") {
        QCOMPARE(readFile(target + "/360p/index.m3u8"), previous);
        QVERIFY(message.contains("already holds an archive (360p/index.m3u8)"));
    }
}

void TstArchiveSink::refusesOutOfOrderInput_data() {
    QTest::addColumn<QString>("scenario");
    QTest::addColumn<QString>("expected");
    QTest::newRow("segment for an unknown track") << "unknown"
                                                  << "segment for unknown track index 7";
    QTest::newRow("segment before its init")
        << "noinit"
        << "segment 0 of track 360p arrived before its init segment";
    QTest::newRow("segment number going back")
        << "repeat"
        << "segment 0 of track 720p does not follow segment 0";
}

void TstArchiveSink::refusesOutOfOrderInput() {
    QFETCH(QString, scenario);
    QFETCH(QString, expected);
    QTemporaryDir tmp;
    auto tracks = ladder();
    ArchiveSink sink(configFor(tmp.path()));
    QVERIFY(sink.open(tracks));
    QVERIFY(sink.deliver(makeInit(tracks[0])));
    Result<void> result;
    if (scenario == "unknown") {
        TrackInfo stray = tracks[0];
        stray.trackIndex = 7;
        result = sink.deliver(makeSegment(stray, 0));
    } else if (scenario == "noinit") {
        result = sink.deliver(makeSegment(tracks[1], 0));
    } else {
        QVERIFY(sink.deliver(makeSegment(tracks[0], 0)));
        result = sink.deliver(makeSegment(tracks[0], 0));
    }
    QVERIFY(!result);
    // The reason first; then the archive stops itself, its playlists finished.
    const QString message = QString::fromStdString(result.error().toString());
    QVERIFY2(message.startsWith(expected + "; the archive stopped ("), qPrintable(message));
    QVERIFY2(message.endsWith("its playlists were finished with EXT-X-ENDLIST"),
             qPrintable(message));
}

void TstArchiveSink::recordsThroughTheFanout() {
    QTemporaryDir tmp;
    const auto tracks = ladder();
    SinkFanout fanout(tracks);
    QVERIFY(fanout.addSink(std::make_unique<ArchiveSink>(configFor(tmp.path() + "/rec")),
                           SinkQueuePolicy::lossless(4)));
    for (const auto& t : tracks) {
        fanout.onInitSegment(makeInit(t));
    }
    for (int64_t n = 0; n < 5; ++n) {
        for (const auto& t : tracks) {
            fanout.onSegment(makeSegment(t, n));
        }
    }
    fanout.onEndOfStream();
    const auto final = fanout.finish(std::chrono::seconds(30));
    QCOMPARE(final.front().state, SinkState::Finished);
    for (const auto& t : tracks) {
        const QStringList playlist =
            lines(tmp.path() + "/rec/" + QString::fromStdString(t.id) + "/index.m3u8");
        QCOMPARE(playlist.filter("#EXTINF").size(), 5);
        QCOMPARE(playlist.last(), QStringLiteral("#EXT-X-ENDLIST"));
    }
    QVERIFY(QFile::exists(tmp.path() + "/rec/index.m3u8"));
}

void TstArchiveSink::theStreamEpochIsEveryDestinationsAnchor() {
    // One epoch in the stream's description: the archive's PROGRAM-DATE-TIME and the local
    // origin's (and its DASH availabilityStartTime) all count from it, whatever each sink's
    // own config says.
    constexpr int64_t kEpochMs = kAnchorMs + 3600000;  // 13:00:00, not the config's 12:00:00
    QTemporaryDir tmp;
    const auto tracks = ladder();
    origin::ChannelConfig channel;
    channel.name = "talk";
    channel.availabilityStartMs = 0;  // would anchor at the first media without the epoch
    origin::ChannelStore store(channel);
    SinkFanout fanout(StreamDescription(tracks, std::nullopt, kEpochMs));
    QVERIFY(fanout.addSink(std::make_unique<ArchiveSink>(configFor(tmp.path() + "/rec")),
                           SinkQueuePolicy::lossless(8)));
    QVERIFY(fanout.addSink(std::make_unique<origin::OriginSink>(store, channel),
                           SinkQueuePolicy::lossless(8)));
    for (const auto& t : tracks) {
        fanout.onInitSegment(makeInit(t));
    }
    for (int64_t n = 0; n < 2; ++n) {
        for (const auto& t : tracks) {
            fanout.onSegment(makeSegment(t, n));
        }
    }
    fanout.onEndOfStream();
    for (const auto& sink : fanout.finish(std::chrono::seconds(30))) {
        QCOMPARE(sink.state, SinkState::Finished);
    }
    const auto view = store.find("talk")->view();
    QCOMPARE(view->availabilityStartMs, kEpochMs);
    for (const auto& t : view->tracks) {
        QCOMPARE(t.segments.size(), size_t(2));
        QCOMPARE(t.segments[1].programDateTimeMs, kEpochMs + 2000);  // segment 1 starts at 2 s
    }
    for (const auto& t : tracks) {
        const QStringList playlist =
            lines(tmp.path() + "/rec/" + QString::fromStdString(t.id) + "/index.m3u8");
        // The archive states PDT on its first segment (and after a discontinuity).
        QVERIFY(playlist.contains("#EXT-X-PROGRAM-DATE-TIME:2026-11-25T13:00:00.000Z"));
    }
}

QTEST_GUILESS_MAIN(TstArchiveSink)
#include "tst_archive_sink.moc"

// End to end: podium-cli streams the default ladder into its local origin and into an archive
// on a 3 MB tmpfs, which fills after a few seconds. Asserts what a broadcaster needs: the live
// stream goes on (the origin keeps publishing new segments), the reason is printed, and the
// archive is a finished VOD: `ffmpeg -i archive/index.m3u8 -f null -` ends by itself and
// decodes every archived segment.
#include <QtTest>

#include <QDeadlineTimer>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <csignal>

#include "probe.h"

namespace {

const QStringList kTracks = {"720p", "480p", "360p", "audio"};

QString readAll(const QString& path) {
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? QString::fromUtf8(f.readAll()) : QString();
}

/// The segment URIs a media playlist lists, in order.
QStringList listedSegments(const QString& playlist) {
    QStringList segments;
    for (const auto& line : readAll(playlist).split('\n')) {
        if (!line.isEmpty() && !line.startsWith('#')) {
            segments << line;
        }
    }
    return segments;
}

/// The newest segment number a live media playlist lists (-1 if none).
int newestSegment(const QString& url) {
    const QString text = QString::fromUtf8(probe::run("curl", {"-s", "--max-time", "5", url}).out);
    int newest = -1;
    static const QRegularExpression segment("^seg_(\\d+)\\.m4s$",
                                            QRegularExpression::MultilineOption);
    for (auto it = segment.globalMatch(text); it.hasNext();) {
        newest = std::max(newest, it.next().captured(1).toInt());
    }
    return newest;
}

/// First line of `ffprobe -show_entries stream=ENTRY` on the first stream of `input` (an HLS
/// playlist prints it once per program as well).
int probeCount(const QString& input, const QString& option, const QString& entry) {
    const auto r = probe::run("ffprobe",
                              {"-v", "error", option, "-select_streams", "0", "-show_entries",
                               "stream=" + entry, "-of", "csv=p=0", input},
                              120000);
    return QString::fromUtf8(r.out).section('\n', 0, 0).trimmed().toInt();
}

}  // namespace

class TstArchiveDiskFullE2e : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void cleanupTestCase();
    void liveGoesOnAfterTheDiskFills();
    void reasonIsPrinted();
    void archiveIsAFinishedVod();
    void everyArchivedSegmentDecodes_data();
    void everyArchivedSegmentDecodes();

private:
    QString output() {
        output_ += QString::fromUtf8(cli_.readAll());
        return output_;
    }

    QTemporaryDir tmp_;
    QString mount_;
    QString archive_;
    bool mounted_ = false;
    QProcess cli_;
    QString output_;
    QString live_;  // http://127.0.0.1:PORT/live/full/
    int newestAtFailure_ = -1;
    int newestAfter_ = -1;
};

void TstArchiveDiskFullE2e::initTestCase() {
    for (const char* tool : {"ffprobe", "ffmpeg", "curl", "mount", "umount"}) {
        if (QStandardPaths::findExecutable(tool).isEmpty()) {
            QSKIP(qPrintable(QString("%1 not installed").arg(tool)));
        }
    }
    QVERIFY(tmp_.isValid());
    mount_ = tmp_.filePath("small-disk");
    QVERIFY(QDir().mkpath(mount_));
    const auto mounted =
        probe::run("mount", {"-t", "tmpfs", "-o", "size=3m,mode=0755", "podium-e2e", mount_});
    if (mounted.exitCode != 0) {
        QSKIP(qPrintable("cannot mount a 3 MB tmpfs here (root can): " +
                         QString::fromUtf8(mounted.err).trimmed()));
    }
    mounted_ = true;
    archive_ = mount_ + "/archive";

    cli_.setProcessChannelMode(QProcess::MergedChannels);
    cli_.start(probe::podiumCli(),
               {"stream", "--source", "testpattern", "--origin", "127.0.0.1:0", "--channel", "full",
                "--archive", archive_, "--duration", "30"});
    QVERIFY(cli_.waitForStarted(10000));
    static const QRegularExpression viewer("viewer: (http://[0-9.]+:[0-9]+)/");
    QDeadlineTimer started(30000);
    while (live_.isEmpty() && !started.hasExpired() && cli_.state() != QProcess::NotRunning) {
        cli_.waitForReadyRead(200);
        if (const auto m = viewer.match(output()); m.hasMatch()) {
            live_ = m.captured(1) + "/live/full/";
        }
    }
    QVERIFY2(!live_.isEmpty(), qPrintable(output()));

    // The default ladder writes about 0.5 MB/s: the disk is full within seconds (longer when
    // a loaded machine makes the encoder drop frames).
    QDeadlineTimer full(120000);
    while (!output().contains("the archive stopped") && !full.hasExpired() &&
           cli_.state() != QProcess::NotRunning) {
        cli_.waitForReadyRead(200);
    }
    QVERIFY2(output().contains("the archive stopped"), qPrintable(output()));
    newestAtFailure_ = newestSegment(live_ + "360p/index.m3u8");
    QVERIFY2(newestAtFailure_ >= 0, qPrintable(output()));
    // Live after the failure: two more segments (4 s) published by the origin.
    QDeadlineTimer more(20000);
    while (newestAfter_ < newestAtFailure_ + 2 && !more.hasExpired()) {
        cli_.waitForReadyRead(500);  // also the poll interval
        newestAfter_ = newestSegment(live_ + "360p/index.m3u8");
    }
    // Then Ctrl-C: the session ends as usual; the archive reports its failure in the exit code.
    ::kill(pid_t(cli_.processId()), SIGINT);
    QVERIFY(cli_.waitForFinished(60000));
    output();
}

void TstArchiveDiskFullE2e::cleanupTestCase() {
    if (cli_.state() != QProcess::NotRunning) {
        cli_.kill();
        cli_.waitForFinished(10000);
    }
    if (mounted_ && probe::run("umount", {mount_}).exitCode != 0) {
        probe::run("umount", {"-l", mount_});
    }
}

void TstArchiveDiskFullE2e::liveGoesOnAfterTheDiskFills() {
    QVERIFY2(newestAfter_ >= newestAtFailure_ + 2,
             qPrintable(QString("origin's newest segment %1 at the failure, %2 after")
                            .arg(newestAtFailure_)
                            .arg(newestAfter_)));
    // The session was still streaming when it was interrupted, and then ended cleanly; exit
    // code 1 reports the destination that failed (as for a failed push).
    QVERIFY2(output_.contains("stopped after "), qPrintable(output_.right(2000)));
    QCOMPARE(cli_.exitStatus(), QProcess::NormalExit);
    QCOMPARE(cli_.exitCode(), 1);
}

void TstArchiveDiskFullE2e::reasonIsPrinted() {
    for (const auto& line : output_.split('\n')) {
        if (line.contains("the archive stopped")) {
            qInfo("%s", qPrintable(line));
            break;
        }
    }
    QVERIFY2(output_.contains("No space left on device"), qPrintable(output_));
    QVERIFY2(output_.contains("its playlists were finished with EXT-X-ENDLIST"),
             qPrintable(output_));
    // The warning came first, once: 3 MB is seconds of this ladder, not 10 minutes.
    QCOMPARE(output_.count("the archive's disk is nearly full"), 1);
    QVERIFY(output_.indexOf("nearly full") < output_.indexOf("the archive stopped"));
}

void TstArchiveDiskFullE2e::archiveIsAFinishedVod() {
    const QString multivariant = readAll(archive_ + "/index.m3u8");
    QVERIFY2(multivariant.contains("#EXT-X-STREAM-INF"), qPrintable(multivariant));
    for (const auto& id : kTracks) {
        const QString text = readAll(archive_ + "/" + id + "/index.m3u8");
        QVERIFY2(text.trimmed().endsWith("#EXT-X-ENDLIST"), qPrintable(id + ":\n" + text));
        QVERIFY2(!listedSegments(archive_ + "/" + id + "/index.m3u8").isEmpty(), qPrintable(id));
    }
    // Nothing left behind: no temp files, the reserve given back.
    QDirIterator it(archive_, QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString name = QFileInfo(it.next()).fileName();
        QVERIFY2(!name.startsWith('.'), qPrintable(name));
    }
    // The exact command of the issue, every variant mapped: it must end by itself, cleanly.
    const auto r = probe::run(
        "ffmpeg", {"-v", "error", "-i", archive_ + "/index.m3u8", "-map", "0", "-f", "null", "-"},
        120000);
    QVERIFY2(r.exitCode == 0, r.exitCode < 0 ? "ffmpeg did not end" : r.err.constData());
    QVERIFY2(r.err.trimmed().isEmpty(), r.err.constData());
}

void TstArchiveDiskFullE2e::everyArchivedSegmentDecodes_data() {
    QTest::addColumn<QString>("id");
    for (const auto& id : kTracks) {
        QTest::newRow(qPrintable(id)) << id;
    }
}

// Every frame stored in the listed segments comes out of the decoder reading the playlist:
// packets counted in init + segments concatenated, frames decoded through the HLS demuxer.
// (Not frames = duration x 30: a loaded machine drops frames before encoding.)
void TstArchiveDiskFullE2e::everyArchivedSegmentDecodes() {
    QFETCH(QString, id);
    const QString folder = archive_ + "/" + id;
    const QStringList segments = listedSegments(folder + "/index.m3u8");
    QVERIFY2(segments.size() >= 1, qPrintable(id));
    QStringList files{folder + "/init.mp4"};
    for (const auto& segment : segments) {
        files << folder + "/" + segment;
    }
    const QString joined = tmp_.filePath(id + "-all.mp4");
    QVERIFY(probe::concatenate(files, joined));
    const int stored = probeCount(joined, "-count_packets", "nb_read_packets");
    const int decoded = probeCount(folder + "/index.m3u8", "-count_frames", "nb_read_frames");
    qInfo("%s: %lld segments, %d frames stored, %d decoded", qPrintable(id),
          qlonglong(segments.size()), stored, decoded);
    QVERIFY(stored > 0);
    QCOMPARE(decoded, stored);
}

QTEST_GUILESS_MAIN(TstArchiveDiskFullE2e)
#include "tst_archive_disk_full_e2e.moc"

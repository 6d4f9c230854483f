// End to end: podium-cli streams the test pattern for 8 s with the default preset into an
// archive; the real ffprobe and ffmpeg judge what came out.
#include <QtTest>

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonObject>
#include <QMap>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <cmath>

#include "probe.h"

class TstArchiveE2e : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void renditionMatchesLadder_data();
    void renditionMatchesLadder();
    void everySegmentStartsWithIdr_data();
    void everySegmentStartsWithIdr();
    void idrTimesIdenticalAcrossRenditions();
    void audioPresentAndInSyncWithVideo();
    void multivariantAdvertisesTheLadder();
    void everyVariantDecodesWithoutError();
    void playlistsAreFinishedVod();
    void beepAndFlashStayInSync();

private:
    QString trackDir(const QString& id) const { return archive_ + "/" + id; }
    QString concatenatedTrack(const QString& id);
    QMap<QString, double> segmentDurations(const QString& id) const;  // uri -> EXTINF

    QTemporaryDir tmp_;
    QString archive_;
    QMap<QString, QString> concatenated_;
};

namespace {
const QStringList kRenditions = {"720p", "480p", "360p"};

void addRenditionRows() {
    QTest::addColumn<QString>("id");
    QTest::addColumn<int>("width");
    QTest::addColumn<int>("height");
    QTest::addColumn<int>("kbps");
    QTest::newRow("720p") << "720p" << 1280 << 720 << 2500;
    QTest::newRow("480p") << "480p" << 854 << 480 << 1000;
    QTest::newRow("360p") << "360p" << 640 << 360 << 600;
}

QString readAll(const QString& path) {
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? QString::fromUtf8(f.readAll()) : QString();
}
}  // namespace

void TstArchiveE2e::initTestCase() {
    if (QStandardPaths::findExecutable("ffprobe").isEmpty()) {
        QSKIP("ffprobe not installed");
    }
    QVERIFY(tmp_.isValid());
    archive_ = tmp_.filePath("archive");
    const auto r = probe::run(probe::podiumCli(),
                              {"stream", "--source", "testpattern", "--duration", "8",
                               "--archive", archive_},
                              120000);
    QVERIFY2(r.exitCode == 0, r.err.constData());
    QVERIFY(QFile::exists(archive_ + "/index.m3u8"));
}

QString TstArchiveE2e::concatenatedTrack(const QString& id) {
    if (!concatenated_.contains(id)) {
        const QString out = tmp_.filePath(id + "-all.mp4");
        QStringList files{trackDir(id) + "/init.mp4"};
        files += probe::segmentFiles(trackDir(id));
        if (!probe::concatenate(files, out)) {
            return {};
        }
        concatenated_[id] = out;
    }
    return concatenated_[id];
}

QMap<QString, double> TstArchiveE2e::segmentDurations(const QString& id) const {
    QMap<QString, double> durations;
    const QStringList lines = readAll(trackDir(id) + "/index.m3u8").split('\n');
    for (int i = 0; i + 1 < lines.size(); ++i) {
        if (lines[i].startsWith("#EXTINF:")) {
            durations[lines[i + 1].trimmed()] = lines[i].mid(8).section(',', 0, 0).toDouble();
        }
    }
    return durations;
}

void TstArchiveE2e::renditionMatchesLadder_data() { addRenditionRows(); }

void TstArchiveE2e::renditionMatchesLadder() {
    QFETCH(QString, id);
    QFETCH(int, width);
    QFETCH(int, height);
    QFETCH(int, kbps);
    const auto probe = probe::ffprobeJson(concatenatedTrack(id));
    const auto stream = probe.object().value("streams").toArray().at(0).toObject();
    QCOMPARE(stream.value("codec_name").toString(), QString("h264"));
    QCOMPARE(stream.value("width").toInt(), width);
    QCOMPARE(stream.value("height").toInt(), height);

    qint64 bytes = 0;
    for (const auto& seg : probe::segmentFiles(trackDir(id))) {
        bytes += QFileInfo(seg).size();
    }
    const double seconds = probe.object().value("format").toObject().value("duration").toString().toDouble();
    QVERIFY(seconds > 6.0);
    const double measuredKbps = bytes * 8.0 / seconds / 1000.0;
    QVERIFY2(std::abs(measuredKbps - kbps) <= 0.2 * kbps,
             qPrintable(QString("%1: %2 kb/s measured, %3 kb/s target").arg(id).arg(measuredKbps).arg(kbps)));
}

void TstArchiveE2e::everySegmentStartsWithIdr_data() { addRenditionRows(); }

void TstArchiveE2e::everySegmentStartsWithIdr() {
    QFETCH(QString, id);
    const QStringList segments = probe::segmentFiles(trackDir(id));
    QVERIFY2(segments.size() >= 4, qPrintable(QString("only %1 segments").arg(segments.size())));
    for (const auto& seg : segments) {
        const QString one = tmp_.filePath(id + "-one.mp4");
        QFile::remove(one);
        QVERIFY(probe::concatenate({trackDir(id) + "/init.mp4", seg}, one));
        const auto packets = probe::packets(probe::ffprobeJson(one));
        QVERIFY2(!packets.isEmpty(), qPrintable(seg));
        QVERIFY2(packets.first().isKey, qPrintable(seg + " does not start with an IDR"));
    }
}

void TstArchiveE2e::idrTimesIdenticalAcrossRenditions() {
    QVector<QVector<double>> keyTimes;
    for (const auto& id : kRenditions) {
        QVector<double> times;
        for (const auto& p : probe::packets(probe::ffprobeJson(concatenatedTrack(id)))) {
            if (p.isKey) {
                times.push_back(p.ptsSeconds);
            }
        }
        QVERIFY2(times.size() >= 4, qPrintable(id));
        keyTimes.push_back(times);
    }
    QCOMPARE(keyTimes[1], keyTimes[0]);
    QCOMPARE(keyTimes[2], keyTimes[0]);
}

void TstArchiveE2e::audioPresentAndInSyncWithVideo() {
    const auto audio = probe::ffprobeJson(concatenatedTrack("audio"));
    const auto stream = audio.object().value("streams").toArray().at(0).toObject();
    QCOMPARE(stream.value("codec_name").toString(), QString("aac"));
    QCOMPARE(stream.value("sample_rate").toString(), QString("48000"));
    QCOMPARE(stream.value("channels").toInt(), 2);
    const double audioSeconds =
        audio.object().value("format").toObject().value("duration").toString().toDouble();
    const double videoSeconds = probe::ffprobeJson(concatenatedTrack("720p"))
                                    .object().value("format").toObject().value("duration")
                                    .toString().toDouble();
    QVERIFY2(std::abs(audioSeconds - videoSeconds) <= 0.050,
             qPrintable(QString("audio %1 s, video %2 s").arg(audioSeconds).arg(videoSeconds)));
}

void TstArchiveE2e::multivariantAdvertisesTheLadder() {
    const QString text = readAll(archive_ + "/index.m3u8");
    QVERIFY(text.startsWith("#EXTM3U"));
    QVERIFY(text.contains("#EXT-X-INDEPENDENT-SEGMENTS"));
    QVERIFY(text.contains("#EXT-X-MEDIA:TYPE=AUDIO"));
    // Audio peak: the largest segment bitrate of the audio track.
    auto peakOf = [&](const QString& id) {
        double peak = 0;
        const auto durations = segmentDurations(id);
        for (auto it = durations.begin(); it != durations.end(); ++it) {
            const double bits = QFileInfo(trackDir(id) + "/" + it.key()).size() * 8.0;
            if (it.value() > 0.5) {  // a short final segment is not a rate sample
                peak = std::max(peak, bits / it.value());
            }
        }
        return peak;
    };
    const double audioPeak = peakOf("audio");
    static const QRegularExpression inf(
        "#EXT-X-STREAM-INF:([^\\n]*)\\n([^\\n]+)");
    int variants = 0;
    for (auto m = inf.globalMatch(text); m.hasNext();) {
        const auto match = m.next();
        const QString attrs = match.captured(1);
        const QString id = match.captured(2).section('/', 0, 0);
        ++variants;
        QVERIFY2(attrs.contains(QRegularExpression("CODECS=\"avc1\\.[0-9a-f]{6},mp4a\\.40\\.2\"")),
                 qPrintable(attrs));
        QVERIFY2(attrs.contains("RESOLUTION="), qPrintable(attrs));
        QVERIFY2(attrs.contains("FRAME-RATE=30.000"), qPrintable(attrs));
        QVERIFY2(attrs.contains("AUDIO=\""), qPrintable(attrs));
        const double bandwidth =
            QRegularExpression("(?:^|,)BANDWIDTH=(\\d+)").match(attrs).captured(1).toDouble();
        const double measured = peakOf(id) + audioPeak;
        QVERIFY2(bandwidth >= measured,
                 qPrintable(QString("%1: BANDWIDTH %2 < measured peak %3").arg(id).arg(bandwidth).arg(measured)));
    }
    QCOMPARE(variants, 3);
}

void TstArchiveE2e::everyVariantDecodesWithoutError() {
    const auto r = probe::run("ffmpeg", {"-v", "error", "-i", archive_ + "/index.m3u8", "-map", "0",
                                         "-f", "null", "-"},
                              120000);
    QVERIFY2(r.exitCode == 0, r.err.constData());
    QVERIFY2(r.err.trimmed().isEmpty(), r.err.constData());
}

void TstArchiveE2e::playlistsAreFinishedVod() {
    for (const auto& id : kRenditions + QStringList{"audio"}) {
        const QString text = readAll(trackDir(id) + "/index.m3u8");
        QVERIFY2(text.trimmed().endsWith("#EXT-X-ENDLIST"), qPrintable(id));
        QVERIFY2(text.contains("#EXT-X-MAP:URI=\"init.mp4\""), qPrintable(id));
    }
}

// The test pattern flashes white and beeps for 100 ms on every whole second. Measured on the
// archive: each flash onset (video presentation time) has a beep onset (decoded audio) within
// 40 ms.
//
// Presentation times are the container's: tfdt + composition offset, which is what browsers
// (MSE) and the spec use. FFmpeg 5.1 reads a track with negative composition offsets (trun v1,
// B-frames) and no edit list by shifting every pts forward by the largest negative offset, so
// its pts start at that shift instead of at the first segment's tfdt (0 here): subtract it.
void TstArchiveE2e::beepAndFlashStayInSync() {
    const auto firstPackets = probe::run(
        "ffprobe", {"-v", "error", "-select_streams", "v:0", "-show_entries", "packet=pts_time",
                    "-read_intervals", "%+#1", "-of", "csv=p=0", concatenatedTrack("720p")});
    const double ffmpegShift = QString::fromUtf8(firstPackets.out).trimmed().toDouble();
    QVERIFY2(ffmpegShift >= 0 && ffmpegShift < 0.2, firstPackets.out.constData());
    const auto video = probe::run(
        "ffprobe", {"-v", "error", "-f", "lavfi", "-i",
                    "movie=" + concatenatedTrack("720p") + ",signalstats", "-show_entries",
                    "frame=pts_time:frame_tags=lavfi.signalstats.YAVG", "-of", "csv=p=0"},
        120000);
    QVector<double> flashes;
    bool wasBright = false;
    for (const auto& line : QString::fromUtf8(video.out).split('\n', Qt::SkipEmptyParts)) {
        const double t = line.section(',', 0, 0).toDouble() - ffmpegShift;
        const bool bright = line.section(',', 1, 1).toDouble() > 180.0;
        if (bright && !wasBright) {
            flashes << t;
        }
        wasBright = bright;
    }
    const auto audio = probe::run("ffmpeg", {"-v", "error", "-i", concatenatedTrack("audio"),
                                             "-ac", "1", "-ar", "48000", "-f", "f32le", "-"},
                                  60000);
    const auto* samples = reinterpret_cast<const float*>(audio.out.constData());
    const qsizetype count = audio.out.size() / qsizetype(sizeof(float));
    QVector<double> beeps;
    bool wasLoud = false;
    constexpr int kWindow = 48;  // 1 ms
    for (qsizetype start = 0; start + kWindow <= count; start += kWindow) {
        double energy = 0;
        for (int i = 0; i < kWindow; ++i) {
            energy += double(samples[start + i]) * samples[start + i];
        }
        const bool loud = std::sqrt(energy / kWindow) > 0.15;  // beep 0.5 peak, tone 0.05
        if (loud && !wasLoud) {
            beeps << double(start) / 48000.0;
        }
        wasLoud = loud;
    }
    QVERIFY2(flashes.size() >= 6, qPrintable(QString("%1 flashes").arg(flashes.size())));
    QVERIFY2(beeps.size() >= 6, qPrintable(QString("%1 beeps").arg(beeps.size())));
    double worst = 0;
    for (double flash : flashes) {
        double nearest = 1e9;
        for (double beep : beeps) {
            nearest = std::min(nearest, std::abs(beep - flash));
        }
        worst = std::max(worst, nearest);
    }
    qInfo("A/V sync: %lld flash/beep pairs, worst offset %.1f ms", qlonglong(flashes.size()),
          worst * 1000.0);
    QVERIFY2(worst <= 0.040, qPrintable(QString("worst A/V offset %1 ms").arg(worst * 1000.0)));
}

QTEST_GUILESS_MAIN(TstArchiveE2e)
#include "tst_archive_e2e.moc"

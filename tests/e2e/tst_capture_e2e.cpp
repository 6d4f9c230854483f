// End to end: a speaker's setup. Under an Xvfb and a PulseAudio the test starts, podium-cli
// streams the screen with the microphone (the null sink's monitor, fed a 1 kHz tone) into an
// archive; ffprobe sees video at the preset size and AAC audio with sound in it.
#include <QtTest>

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>

#include "probe.h"
#include "test_servers.h"

class TstCaptureE2e : public QObject {
    Q_OBJECT
private slots:
    void screenAndMicrophoneIntoArchive();
    void sourcesListsTheScreenAndTheMicrophone();

private:
    bool startServers();
    XvfbServer xvfb_;
    PulseServer pulse_;
    bool started_ = false;
};

bool TstCaptureE2e::startServers() {
    if (!started_) {
        started_ = xvfb_.start(1280, 720) && pulse_.start();
    }
    return started_;
}

void TstCaptureE2e::screenAndMicrophoneIntoArchive() {
    if (!startServers()) {
        QSKIP("Xvfb or pulseaudio not available");
    }
    QTemporaryDir tmp;
    // A tone for the microphone to hear: played into the null sink while we capture its monitor.
    const QString wav = tmp.filePath("tone.wav");
    QCOMPARE(probe::run("ffmpeg", {"-v", "error", "-f", "lavfi", "-i",
                                   "sine=frequency=1000:sample_rate=48000:duration=12", wav})
                 .exitCode,
             0);
    QProcess player;
    player.setProcessEnvironment(pulse_.env());
    player.start("paplay", {"--device=podium_null", wav});
    QVERIFY(player.waitForStarted(5000));

    QProcess cli;
    QProcessEnvironment env = pulse_.env();
    env.insert("DISPLAY", xvfb_.display());
    cli.setProcessEnvironment(env);
    const QString archive = tmp.filePath("archive");
    cli.start(probe::podiumCli(), {"stream", "--source", "screen:" + xvfb_.display(), "--audio",
                                   "pulse:podium_null.monitor", "--duration", "6", "--archive",
                                   archive});
    QVERIFY(cli.waitForFinished(60000));
    QVERIFY2(cli.exitCode() == 0, cli.readAllStandardError().constData());
    player.kill();
    player.waitForFinished();

    QStringList videoFiles{archive + "/720p/init.mp4"};
    videoFiles += probe::segmentFiles(archive + "/720p");
    QVERIFY(probe::concatenate(videoFiles, tmp.filePath("video.mp4")));
    const auto video = probe::ffprobeJson(tmp.filePath("video.mp4"));
    const auto vs = video.object().value("streams").toArray().at(0).toObject();
    QCOMPARE(vs.value("codec_name").toString(), QString("h264"));
    QCOMPARE(vs.value("width").toInt(), 1280);
    QCOMPARE(vs.value("height").toInt(), 720);

    QStringList audioFiles{archive + "/audio/init.mp4"};
    audioFiles += probe::segmentFiles(archive + "/audio");
    QVERIFY(probe::concatenate(audioFiles, tmp.filePath("audio.mp4")));
    const auto audio = probe::ffprobeJson(tmp.filePath("audio.mp4"));
    const auto as = audio.object().value("streams").toArray().at(0).toObject();
    QCOMPARE(as.value("codec_name").toString(), QString("aac"));
    const double seconds = audio.object().value("format").toObject().value("duration")
                               .toString().toDouble();
    QVERIFY2(seconds > 4.0, qPrintable(QString::number(seconds)));
    // The captured sound is the tone, not silence.
    const auto volume = probe::run("ffmpeg", {"-i", tmp.filePath("audio.mp4"), "-af",
                                              "volumedetect", "-f", "null", "-"});
    const QString report = QString::fromUtf8(volume.err);
    const double maxVolume =
        report.section("max_volume:", 1, 1).section("dB", 0, 0).trimmed().toDouble();
    QVERIFY2(report.contains("max_volume:") && maxVolume > -30.0, qPrintable(report.right(300)));
}

void TstCaptureE2e::sourcesListsTheScreenAndTheMicrophone() {
    if (!startServers()) {
        QSKIP("Xvfb or pulseaudio not available");
    }
    QProcess cli;
    QProcessEnvironment env = pulse_.env();
    env.insert("DISPLAY", xvfb_.display());
    cli.setProcessEnvironment(env);
    cli.start(probe::podiumCli(), {"sources"});
    QVERIFY(cli.waitForFinished(30000));
    QCOMPARE(cli.exitCode(), 0);
    const QString out = QString::fromUtf8(cli.readAllStandardOutput());
    QVERIFY2(out.contains("screen:" + xvfb_.display()), qPrintable(out));
    QVERIFY2(out.contains("pulse:podium_null.monitor"), qPrintable(out));
}

QTEST_GUILESS_MAIN(TstCaptureE2e)
#include "tst_capture_e2e.moc"

// End to end on a Wayland desktop: in the headless Wayland session (sway, PipeWire, the real
// xdg-desktop-portal with its wlroots backend, no X11 display at all) podium-cli streams
// `--source screen`, which takes the ScreenCast portal. The archive shows the session's colour;
// a second run hands the portal the restore token the first one kept and the portal restores
// the choice; when the portal goes away mid-broadcast the "screen sharing ended" slate follows
// and the archive still finishes.
#include <QtTest>

#include <QJsonArray>
#include <QJsonObject>
#include <QTemporaryDir>

#include <signal.h>

#include <array>

#include "probe.h"
#include "wayland_session.h"

namespace {

/// Mean R, G, B of one frame at `seconds` into `video` (scaled down by ffmpeg).
std::array<double, 3> meanColourAt(const QString& video, const QString& seconds) {
    const auto frame =
        probe::run("ffmpeg", {"-v", "error", "-ss", seconds, "-i", video, "-frames:v", "1", "-vf",
                              "scale=64:36", "-f", "rawvideo", "-pix_fmt", "rgb24", "-"});
    std::array<double, 3> sum{};
    const int pixels = int(frame.out.size()) / 3;
    for (int i = 0; i < pixels * 3; ++i) {
        sum[size_t(i % 3)] += uint8_t(frame.out[i]);
    }
    for (double& c : sum) {
        c /= std::max(1, pixels);
    }
    return sum;
}

QString colourText(const std::array<double, 3>& c) {
    return QString("%1,%2,%3").arg(c[0], 0, 'f', 1).arg(c[1], 0, 'f', 1).arg(c[2], 0, 'f', 1);
}

}  // namespace

class TstPortalE2e : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void sourcesTellsWhichPathScreenTakes();
    void screenIntoArchiveThroughThePortal();
    void secondRunRestoresTheChoice();
    void portalGoneMidBroadcastShowsTheSlate();
    void noSessionBusIsOneLine();

private:
    QProcessEnvironment cliEnv() const;
    /// The 720p rendition of `archive` as one MP4 in the temporary folder.
    QString video(const QString& archive);
    probe::Run stream(const QString& archive, int seconds);

    WaylandSession session_;
    QTemporaryDir tmp_;
    QString firstToken_;
};

void TstPortalE2e::initTestCase() {
    const auto outcome = session_.start();
    if (outcome == WaylandSession::Outcome::Unavailable) {
        QSKIP(qPrintable("no headless Wayland session on this machine: " + session_.problem()));
    }
    QVERIFY2(outcome == WaylandSession::Outcome::Started, qPrintable(session_.problem()));
}

QProcessEnvironment TstPortalE2e::cliEnv() const {
    QProcessEnvironment env = session_.env();  // no DISPLAY: X11 is not there to fall back on
    env.insert("XDG_STATE_HOME", tmp_.filePath("state"));
    return env;
}

QString TstPortalE2e::video(const QString& archive) {
    QStringList files{archive + "/720p/init.mp4"};
    files += probe::segmentFiles(archive + "/720p");
    const QString out = archive + "-720p.mp4";
    return probe::concatenate(files, out) ? out : QString();
}

probe::Run TstPortalE2e::stream(const QString& archive, int seconds) {
    QProcess cli;
    cli.setProcessEnvironment(cliEnv());
    cli.start(probe::podiumCli(), {"stream", "--source", "screen", "--audio", "none", "--duration",
                                   QString::number(seconds), "--archive", archive});
    probe::Run run;
    if (cli.waitForFinished(90000)) {
        run.exitCode = cli.exitCode();
    } else {
        cli.kill();
        cli.waitForFinished();
    }
    run.out = cli.readAllStandardOutput();
    run.err = cli.readAllStandardError();
    return run;
}

void TstPortalE2e::sourcesTellsWhichPathScreenTakes() {
    QProcess cli;
    cli.setProcessEnvironment(cliEnv());
    cli.start(probe::podiumCli(), {"sources"});
    QVERIFY(cli.waitForFinished(30000));
    QCOMPARE(cli.exitCode(), 0);
    const QString out = QString::fromUtf8(cli.readAllStandardOutput());
    QVERIFY2(out.contains("Wayland session (WAYLAND_DISPLAY=" + session_.value("WAYLAND_DISPLAY") +
                          "): the desktop portal"),
             qPrintable(out));
    QVERIFY2(out.contains("ScreenCast version 4: shares monitors"), qPrintable(out));
}

void TstPortalE2e::screenIntoArchiveThroughThePortal() {
    const QString archive = tmp_.filePath("first");
    const auto run = stream(archive, 6);
    QVERIFY2(run.exitCode == 0, run.err.constData());
    QVERIFY2(run.err.contains("through the desktop portal"), run.err.constData());
    QVERIFY2(!run.err.contains("screen sharing ended"), run.err.constData());

    const QString mp4 = video(archive);
    QVERIFY(!mp4.isEmpty());
    const auto json = probe::ffprobeJson(mp4);
    const auto vs = json.object().value("streams").toArray().at(0).toObject();
    QCOMPARE(vs.value("width").toInt(), 1280);
    QCOMPARE(vs.value("height").toInt(), 720);
    const double seconds =
        json.object().value("format").toObject().value("duration").toString().toDouble();
    QVERIFY2(seconds > 4.5, qPrintable(QString::number(seconds)));
    // The session's screen is 48,80,208 (the painter keeps it changing).
    for (const QString at : {"1", "3", "5"}) {
        const auto c = meanColourAt(mp4, at);
        QVERIFY2(
            std::abs(c[0] - 48) <= 20 && std::abs(c[1] - 80) <= 20 && std::abs(c[2] - 208) <= 20,
            qPrintable("at " + at + " s: " + colourText(c)));
    }
    // The restore token is kept for the next run.
    QFile token(tmp_.filePath("state/podium/portal-token"));
    QVERIFY2(token.open(QIODevice::ReadOnly), qPrintable(token.fileName()));
    firstToken_ = QString::fromUtf8(token.readAll()).trimmed();
    QVERIFY(!firstToken_.isEmpty());
}

void TstPortalE2e::secondRunRestoresTheChoice() {
    if (firstToken_.isEmpty()) {
        QSKIP("needs the first run's token");
    }
    const QString restored = "restore data available";
    QCOMPARE(session_.log("xdg-desktop-portal-wlr").count(restored), 0);
    const QString archive = tmp_.filePath("second");
    const auto run = stream(archive, 4);
    QVERIFY2(run.exitCode == 0, run.err.constData());
    QVERIFY2(run.err.contains("what was chosen last time"), run.err.constData());
    // The portal took the token and handed its backend the stored choice.
    QCOMPARE(session_.log("xdg-desktop-portal-wlr").count(restored), 1);
    // The token the portal handed back this time is kept for the next run (tokens are
    // single-use by the spec; xdg-desktop-portal 1.16 hands the same one back).
    QFile token(tmp_.filePath("state/podium/portal-token"));
    QVERIFY(token.open(QIODevice::ReadOnly));
    QVERIFY(!QString::fromUtf8(token.readAll()).trimmed().isEmpty());
    const auto c = meanColourAt(video(archive), "2");
    QVERIFY2(std::abs(c[2] - 208) <= 20, qPrintable(colourText(c)));
}

void TstPortalE2e::portalGoneMidBroadcastShowsTheSlate() {
    const QString archive = tmp_.filePath("lost");
    QProcess cli;
    cli.setProcessEnvironment(cliEnv());
    cli.start(probe::podiumCli(), {"stream", "--source", "screen", "--audio", "none", "--duration",
                                   "8", "--archive", archive});
    QVERIFY(cli.waitForStarted());
    QByteArray err;
    QTRY_VERIFY_WITH_TIMEOUT((err += cli.readAllStandardError()).contains("live:"), 30000);
    QTest::qWait(2500);  // some seconds of screen first
    // The portal goes away: its backend (which owns the PipeWire stream) and the portal itself.
    for (const char* name : {"xdg-desktop-portal-wlr", "xdg-desktop-portal"}) {
        const qint64 pid = session_.pid(name);
        QVERIFY2(pid > 0, name);
        QCOMPARE(::kill(pid_t(pid), SIGKILL), 0);
    }
    QVERIFY(cli.waitForFinished(60000));
    err += cli.readAllStandardError();
    QVERIFY2(cli.exitCode() == 0, err.constData());
    QVERIFY2(err.contains("screen sharing ended"), err.constData());

    // The archive finished (a VOD) and its end is the slate, not the screen.
    QFile playlist(archive + "/720p/index.m3u8");
    QVERIFY(playlist.open(QIODevice::ReadOnly));
    QVERIFY(QString::fromUtf8(playlist.readAll()).trimmed().endsWith("#EXT-X-ENDLIST"));
    const QString mp4 = video(archive);
    const auto json = probe::ffprobeJson(mp4);
    const double seconds =
        json.object().value("format").toObject().value("duration").toString().toDouble();
    QVERIFY2(seconds > 6.5, qPrintable(QString::number(seconds)));
    const auto before = meanColourAt(mp4, "1");
    QVERIFY2(std::abs(before[2] - 208) <= 20, qPrintable(colourText(before)));
    const auto after = meanColourAt(mp4, QString::number(seconds - 0.5, 'f', 2));
    QVERIFY2(after[2] < 120, qPrintable("slate expected, got " + colourText(after)));
}

void TstPortalE2e::noSessionBusIsOneLine() {
    QProcess cli;
    QProcessEnvironment env = cliEnv();
    env.insert("DBUS_SESSION_BUS_ADDRESS", "unix:path=" + tmp_.filePath("no-bus"));
    cli.setProcessEnvironment(env);
    cli.start(probe::podiumCli(),
              {"stream", "--source", "portal", "--audio", "none", "--duration", "2"});
    QVERIFY(cli.waitForFinished(30000));
    QVERIFY(cli.exitCode() != 0);
    const QString err = QString::fromUtf8(cli.readAllStandardError());
    QVERIFY2(err.contains("cannot reach the D-Bus session bus"), qPrintable(err));
}

QTEST_GUILESS_MAIN(TstPortalE2e)
#include "tst_portal_e2e.moc"

// End to end: podium-cli pushes its ladder to several publishing points at once — Smooth ingest
// and DASH-IF CMAF ingest into podium-origin, one dead address, one with a wrong password. The
// two good ones play as HLS (ffprobe); the bad ones fail with their reason; nobody waits long.
#include <QtTest>

#include <QDir>
#include <QElapsedTimer>
#include <QTemporaryDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include "origin_process.h"
#include "probe.h"

class TstPushE2e : public QObject {
    Q_OBJECT
private slots:
    void ladderReachesEveryLivePublishingPoint();
};

void TstPushE2e::ladderReachesEveryLivePublishingPoint() {
    if (QStandardPaths::findExecutable("ffprobe").isEmpty()) {
        QSKIP("ffprobe not installed");
    }
    OriginProcess origin;
    QString error;
    QVERIFY2(origin.start(QStringLiteral(PODIUM_BINARY_DIR "/app/podium-origin"),
                          {"--listen", "127.0.0.1:0", "--publish-token", "tok"}, "listening on",
                          &error),
             qPrintable(error));
    const QString base = origin.base();
    const QString withWrongPassword = QString(base).replace("http://", "http://enc:nope@");
    QTemporaryDir spool;  // the spool on disk: the dead destination spools there
    QElapsedTimer clock;
    clock.start();
    const auto r = probe::run(
        probe::podiumCli(),
        {"stream", "--duration", "8", "--publish-token", "tok", "--publish-spool-dir",
         spool.path(),
         "--publish", base + "/live/viasmooth.isml",
         "--publish", "cmaf=" + base + "/live/viacmaf.isml",
         "--publish", "http://127.0.0.1:1/live/dead.isml",
         "--publish", withWrongPassword + "/live/refused.isml"},
        120000);
    const QString out = QString::fromUtf8(r.out) + QString::fromUtf8(r.err);
    // A dead destination does not hold up the end of the broadcast for its timeouts.
    QVERIFY2(clock.elapsed() < 20000, qPrintable(QString::number(clock.elapsed())));
    // Undelivered destinations are reported (exit 1), with their reasons in words.
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(out.contains("dead.isml") && out.contains("cannot connect"), qPrintable(out.right(2000)));
    QVERIFY2(out.contains("refused.isml") && out.contains("refused"), qPrintable(out.right(2000)));
    // Every destination's spool folder is gone with it.
    QVERIFY2(QDir(spool.path()).isEmpty(), qPrintable(QDir(spool.path()).entryList().join(",")));
    const QStringList ladder{"aac", "h2641280", "h264640", "h264854"};
    QCOMPARE(probe::codecsAndWidths(base + "/live/viasmooth/index.m3u8"), ladder);
    QCOMPARE(probe::codecsAndWidths(base + "/live/viacmaf/index.m3u8"), ladder);
}

QTEST_GUILESS_MAIN(TstPushE2e)
#include "tst_push_e2e.moc"

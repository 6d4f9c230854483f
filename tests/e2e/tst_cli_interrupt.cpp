// Ctrl-C while live: podium-cli stops cleanly and the archive is a finished VOD.
#include <QtTest>

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <csignal>

#include "probe.h"

class TstCliInterrupt : public QObject {
    Q_OBJECT
private slots:
    void ctrlCFinishesTheArchive();
};

void TstCliInterrupt::ctrlCFinishesTheArchive() {
    QTemporaryDir tmp;
    QVERIFY(tmp.isValid());
    const QString archive = tmp.filePath("archive");
    QProcess cli;
    cli.start(probe::podiumCli(), {"stream", "--archive", archive});
    QVERIFY(cli.waitForStarted(10000));
    // Live once the multivariant exists (every track has a first segment).
    QTRY_VERIFY_WITH_TIMEOUT(QFile::exists(archive + "/index.m3u8"), 30000);
    ::kill(static_cast<pid_t>(cli.processId()), SIGINT);
    QVERIFY(cli.waitForFinished(30000));
    QCOMPARE(cli.exitStatus(), QProcess::NormalExit);
    QCOMPARE(cli.exitCode(), 0);
    const QString out = QString::fromUtf8(cli.readAllStandardOutput());
    QVERIFY2(out.contains("stopped after"), qPrintable(out));
    for (const QString id : {"720p", "480p", "360p", "audio"}) {
        QFile playlist(archive + "/" + id + "/index.m3u8");
        QVERIFY(playlist.open(QIODevice::ReadOnly));
        const QString text = QString::fromUtf8(playlist.readAll());
        QVERIFY2(text.trimmed().endsWith("#EXT-X-ENDLIST"), qPrintable(id + ":\n" + text));
        QVERIFY2(text.contains("#EXT-X-PLAYLIST-TYPE:VOD"), qPrintable(id));
    }
    // No temporary files left behind by the interrupted writer.
    QDirIterator it(archive, QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString path = it.next();
        QVERIFY2(!path.endsWith(".tmp"), qPrintable(path));
    }
}

QTEST_GUILESS_MAIN(TstCliInterrupt)
#include "tst_cli_interrupt.moc"

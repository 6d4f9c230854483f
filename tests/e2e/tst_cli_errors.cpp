// Bad input: each mistake exits non-zero with one clear line, no crash, and leaves nothing
// that looks like a valid archive.
#include <QtTest>

#include <QDir>
#include <QFile>
#include <QTemporaryDir>

#include "probe.h"

class TstCliErrors : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void badInputFailsClearly_data();
    void badInputFailsClearly();

private:
    QTemporaryDir tmp_;
};

void TstCliErrors::initTestCase() {
    QVERIFY(tmp_.isValid());
    QFile garbled(tmp_.filePath("garbled.json"));
    QVERIFY(garbled.open(QIODevice::WriteOnly));
    garbled.write("{ \"name\": \"Broken\", \"renditions\": [ { \"id\": \"720p\", ");
    garbled.close();
    QFile wrongField(tmp_.filePath("wrong-field.json"));
    QVERIFY(wrongField.open(QIODevice::WriteOnly));
    wrongField.write(R"({"name": "Wrong", "description": "", "canvas": {"width": 1280, "height": 720}})");
    wrongField.close();
    QFile notMedia(tmp_.filePath("notes.txt"));
    QVERIFY(notMedia.open(QIODevice::WriteOnly));
    notMedia.write("these are not video frames\n");
    notMedia.close();
    QFile blocker(tmp_.filePath("afile"));
    QVERIFY(blocker.open(QIODevice::WriteOnly));  // a file where a folder would have to be
    blocker.close();
}

void TstCliErrors::badInputFailsClearly_data() {
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("expected");  // a substring of the one error line
    const QString t = tmp_.path();
    const QString archive = t + "/archive-never";
    QTest::newRow("unknown preset name")
        << QStringList{"--preset", "No Such Preset", "--archive", archive} << "No Such Preset";
    QTest::newRow("missing preset file")
        << QStringList{"--preset", t + "/missing.json", "--archive", archive} << "missing.json";
    QTest::newRow("garbled preset json")
        << QStringList{"--preset", t + "/garbled.json", "--archive", archive} << "garbled.json";
    QTest::newRow("preset with a bad field")
        << QStringList{"--preset", t + "/wrong-field.json", "--archive", archive} << "wrong-field.json";
    QTest::newRow("unopenable file source")
        << QStringList{"--source", "file:" + t + "/nothing-here.mp4", "--archive", archive}
        << "nothing-here.mp4";
    QTest::newRow("file source that is not media")
        << QStringList{"--source", "file:" + t + "/notes.txt", "--archive", archive} << "notes.txt";
    QTest::newRow("unwritable archive folder")
        << QStringList{"--archive", t + "/afile/archive"} << "afile/archive";
    QTest::newRow("unknown source kind")
        << QStringList{"--source", "carrier-pigeon", "--archive", archive} << "carrier-pigeon";
}

void TstCliErrors::badInputFailsClearly() {
    QFETCH(QStringList, args);
    QFETCH(QString, expected);
    const auto r = probe::run(probe::podiumCli(),
                              QStringList{"stream", "--duration", "3"} + args, 60000);
    QVERIFY2(r.exitCode == 1, qPrintable(QString("exit %1, stderr: %2").arg(r.exitCode).arg(QString(r.err))));
    const QStringList lines = QString::fromUtf8(r.err).trimmed().split('\n');
    QVERIFY2(lines.size() == 1, r.err.constData());
    QVERIFY2(lines.first().startsWith("error: "), r.err.constData());
    QVERIFY2(lines.first().contains(expected), r.err.constData());
    QVERIFY(!QFile::exists(tmp_.path() + "/archive-never/index.m3u8"));
}

QTEST_GUILESS_MAIN(TstCliErrors)
#include "tst_cli_errors.moc"

// podium-origin as an operator runs it (issue #9): secrets refused when empty and never
// printed, per-channel publish tokens with a real encoder (FFmpeg CMAF), every limit a flag in
// --help, and out of file descriptors (prlimit) without a spin or a flood of log lines.
#include <QtTest>

#include <QFile>
#include <QTemporaryDir>
#include <QUrl>
#include <vector>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include "origin_process.h"
#include "probe.h"
#include "publisher/origin/origin_limits.h"

namespace {

QString originBinary() {
    return QStringLiteral(PODIUM_BINARY_DIR "/app/podium-origin");
}

/// CPU seconds (user + system) a process has used, from /proc/PID/stat.
double cpuSeconds(qint64 pid) {
    QFile stat(QString("/proc/%1/stat").arg(pid));
    if (!stat.open(QIODevice::ReadOnly)) {
        return -1;
    }
    const QString text = QString::fromLatin1(stat.readAll());
    const QStringList fields = text.mid(text.lastIndexOf(')') + 2).split(' ');
    // After "pid (comm) ": state is field 0, utime field 11, stime field 12.
    return (fields.value(11).toDouble() + fields.value(12).toDouble()) / 100.0;
}

}  // namespace

class TstOriginHardeningE2e : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void emptySecretsAreRefused_data();
    void emptySecretsAreRefused();
    void helpListsEveryLimit_data();
    void helpListsEveryLimit();
    void badLimitNamesTheFlag();
    void tokensNeverPrintedAndPerChannel();
    void outOfDescriptorsNoSpin();

private:
    QTemporaryDir tmp_;
    QString body_;  ///< a CMAF ingest body made by FFmpeg
};

void TstOriginHardeningE2e::initTestCase() {
    if (QStandardPaths::findExecutable("curl").isEmpty() ||
        QStandardPaths::findExecutable("ffmpeg").isEmpty()) {
        QSKIP("curl or ffmpeg not installed");
    }
    QVERIFY(tmp_.isValid());
    body_ = tmp_.filePath("cmaf.mp4");
    const auto made = probe::run(
        "ffmpeg", {"-v", "error", "-f", "lavfi", "-i", "testsrc2=size=320x180:rate=25", "-t", "2",
                   "-c:v", "libx264", "-g", "25", "-pix_fmt", "yuv420p", "-f", "mp4", "-movflags",
                   "cmaf+frag_keyframe+empty_moov+default_base_moof", body_});
    QVERIFY2(made.exitCode == 0, made.err.constData());
}

void TstOriginHardeningE2e::emptySecretsAreRefused_data() {
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("expected");
    QTest::newRow("empty publish token")
        << QStringList{"--publish-token", ""} << "--publish-token must not be empty";
    QTest::newRow("empty view passcode")
        << QStringList{"--view-passcode", ""} << "--view-passcode must not be empty";
    QTest::newRow("empty metrics token")
        << QStringList{"--metrics-token", ""} << "--metrics-token must not be empty";
    QTest::newRow("missing token file") << QStringList{"--publish-token-file", "/nonexistent/t"}
                                        << "cannot read publish token file /nonexistent/t";
}

void TstOriginHardeningE2e::emptySecretsAreRefused() {
    QFETCH(QStringList, args);
    QFETCH(QString, expected);
    const auto r = probe::run(originBinary(), QStringList{"--listen", "127.0.0.1:0"} + args, 20000);
    QVERIFY(r.exitCode != 0 && r.exitCode != -1);
    QVERIFY2(QString::fromUtf8(r.err).contains(expected), r.err.constData());
    QVERIFY2(!QString::fromUtf8(r.out).contains("listening"), r.out.constData());
}

void TstOriginHardeningE2e::helpListsEveryLimit_data() {
    QTest::addColumn<QString>("program");
    QTest::addColumn<QStringList>("args");
    QTest::newRow("podium-origin") << originBinary() << QStringList{"--help"};
    QTest::newRow("podium-cli stream") << probe::podiumCli() << QStringList{"stream", "--help"};
}

void TstOriginHardeningE2e::helpListsEveryLimit() {
    QFETCH(QString, program);
    QFETCH(QStringList, args);
    const auto r = probe::run(program, args, 20000);
    QCOMPARE(r.exitCode, 0);
    const QString help = QString::fromUtf8(r.out);
    for (const auto& row : podium::publisher::origin::kOriginLimitRows) {
        const QString flag = "--" + QString::fromUtf8(row.flag.data(), int(row.flag.size()));
        QVERIFY2(help.contains(flag + " <"), qPrintable(flag));
    }
}

void TstOriginHardeningE2e::badLimitNamesTheFlag() {
    const auto r =
        probe::run(originBinary(), {"--listen", "127.0.0.1:0", "--max-connections", "lots"}, 20000);
    QVERIFY(r.exitCode != 0);
    QVERIFY2(QString::fromUtf8(r.err).contains("--max-connections takes a positive number"),
             r.err.constData());
}

// Tokens from the flag and the file publish (each where it may), a viewer with the passcode
// watches, Prometheus scrapes with its token; none of the four secrets is ever printed.
void TstOriginHardeningE2e::tokensNeverPrintedAndPerChannel() {
    const QString flagToken = "flagTok-4f9a1c";
    const QString fileToken = "fileTok-b27e55";
    const QString passcode = "viewCode-91d3";
    const QString metricsToken = "metricsTok-6c0e";
    QFile file(tmp_.filePath("tokens"));
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(("# encoders\ncam " + fileToken + "\n").toUtf8());
    file.close();
    file.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    OriginProcess origin;
    QString error;
    QVERIFY2(origin.start(
                 originBinary(),
                 {"--listen", "127.0.0.1:0", "--publish-token", flagToken, "--publish-token-file",
                  file.fileName(), "--view-passcode", passcode, "--metrics-token", metricsToken},
                 "listening on", &error),
             qPrintable(error));
    const QString base = origin.base();
    auto post = [&](const QString& channel, const QString& token) {
        return httpStatus(
            base + "/live/" + channel + ".isml/Streams(v)",
            {"-X", "POST", "-H", "Authorization: Bearer " + token, "--data-binary", "@" + body_});
    };
    QCOMPARE(post("cam", fileToken), 200);
    QCOMPARE(post("other", fileToken), 403);
    QCOMPARE(post("other", flagToken), 200);
    QCOMPARE(post("cam", "nope"), 403);
    QCOMPARE(httpStatus(base + "/live/cam/index.m3u8"), 403);
    QCOMPARE(httpStatus(base + "/live/cam/index.m3u8?code=" + passcode), 200);
    QCOMPARE(httpStatus(base + "/api/channels"), 403);
    QCOMPARE(httpStatus(base + "/metrics"), 401);
    QCOMPARE(httpStatus(base + "/metrics", {"-H", "Authorization: Bearer " + metricsToken}), 200);
    QCOMPARE(origin.interrupt(), 0);
    const QString printed = origin.output() + origin.errorOutput();
    QVERIFY2(printed.contains("publish: POST"), qPrintable(printed));
    for (const QString& secret : {flagToken, fileToken, passcode, metricsToken}) {
        QVERIFY2(!printed.contains(secret), qPrintable(secret + " printed:\n" + printed));
    }
}

// Under a 64-descriptor limit, 150 connections held open: the origin caps its connections
// below the limit, answers the rest 503 and stays idle instead of spinning on accept; once
// they go, it serves again.
void TstOriginHardeningE2e::outOfDescriptorsNoSpin() {
    if (QStandardPaths::findExecutable("prlimit").isEmpty()) {
        QSKIP("prlimit not installed");
    }
    OriginProcess origin;
    QString error;
    QVERIFY2(origin.start("prlimit",
                          {"--nofile=64:64", originBinary(), "--listen", "127.0.0.1:0",
                           "--publish-token", "t"},
                          "listening on", &error),
             qPrintable(error));
    QVERIFY(waitForHttp200(origin.base() + "/healthz", 10000));
    const QUrl url(origin.base());
    sockaddr_in to{};
    to.sin_family = AF_INET;
    to.sin_port = htons(quint16(url.port()));
    to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    std::vector<int> held;
    for (int i = 0; i < 150; ++i) {
        held.push_back(::socket(AF_INET, SOCK_STREAM, 0));
        QVERIFY(held.back() >= 0);
        QCOMPARE(::connect(held.back(), reinterpret_cast<sockaddr*>(&to), sizeof to), 0);
    }
    const double cpuBefore = cpuSeconds(origin.pid());
    QTest::qWait(3000);  // the measurement window
    const double cpu = cpuSeconds(origin.pid()) - cpuBefore;
    for (int fd : held) {
        ::close(fd);
    }
    QVERIFY(waitForHttp200(origin.base() + "/healthz", 10000));
    QCOMPARE(origin.interrupt(), 0);
    const QStringList lines = origin.errorOutput().split('\n', Qt::SkipEmptyParts);
    qInfo() << "cpu over 3 s:" << cpu << "s; log lines:" << lines.size();
    QVERIFY2(cpu < 1.0, qPrintable(QString::number(cpu)));
    QVERIFY2(lines.size() < 30, qPrintable(lines.join('\n')));
    QVERIFY2(origin.errorOutput().contains("open-file limit 64"), qPrintable(lines.join('\n')));
}

QTEST_GUILESS_MAIN(TstOriginHardeningE2e)
#include "tst_origin_hardening_e2e.moc"

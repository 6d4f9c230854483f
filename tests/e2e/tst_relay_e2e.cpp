// End to end: the original workflow's server topology. podium-cli pushes its ladder into
// origin A; origin B pulls the channel from A (distribution server) and pushes it on to origin
// C (fan-out). ffprobe reads the ladder from B and from C.
#include <QtTest>

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include "origin_process.h"
#include "probe.h"

class TstRelayE2e : public QObject {
    Q_OBJECT
private slots:
    void pulledAndPushedOnAcrossThreeOrigins();
};

namespace {
QString origin() { return QStringLiteral(PODIUM_BINARY_DIR "/app/podium-origin"); }
}  // namespace

void TstRelayE2e::pulledAndPushedOnAcrossThreeOrigins() {
    if (QStandardPaths::findExecutable("ffprobe").isEmpty()) {
        QSKIP("ffprobe not installed");
    }
    OriginProcess a, b, c;
    QString error;
    QVERIFY2(a.start(origin(), {"--listen", "127.0.0.1:0", "--publish-token", "ta"}, "listening on",
                     &error),
             qPrintable(error));
    QVERIFY2(c.start(origin(), {"--listen", "127.0.0.1:0", "--publish-token", "tc"}, "listening on",
                     &error),
             qPrintable(error));
    QVERIFY2(b.start(origin(),
                     {"--listen", "127.0.0.1:0", "--publish-token", "tb", "--pull-from",
                      a.base() + "/live/dist/index.m3u8", "--push-to", "smooth=" + c.base() + "/live",
                      "--push-token", "tc"},
                     "listening on", &error),
             qPrintable(error));
    const auto encoder = probe::run(
        probe::podiumCli(),
        {"stream", "--preset", "Low bandwidth", "--duration", "12", "--publish",
         a.base() + "/live/dist.isml", "--publish-token", "ta"},
        120000);
    QVERIFY2(encoder.exitCode == 0, encoder.err.right(2000).constData());
    const QStringList ladder{"aac", "h264256", "h264428", "h264640"};
    QCOMPARE(probe::codecsAndWidths(a.base() + "/live/dist/index.m3u8"), ladder);
    QTRY_COMPARE_WITH_TIMEOUT(probe::codecsAndWidths(b.base() + "/live/dist/index.m3u8"), ladder, 20000);
    QTRY_COMPARE_WITH_TIMEOUT(probe::codecsAndWidths(c.base() + "/live/dist/index.m3u8"), ladder, 20000);
}

QTEST_GUILESS_MAIN(TstRelayE2e)
#include "tst_relay_e2e.moc"

// End to end, issue #9: the podium-origin process against hostile input. `--pull-from` an
// upstream serving a fragment whose trun claims 2^31 samples used to kill the whole origin
// (SIGABRT, std::bad_alloc on the pull thread); an ingest POST with a trun data_offset of
// -2^31 was stored with the origin's own heap bytes in it. Now the pull logs the error and
// retries while the origin keeps serving, and the POST gets its 400.
#include <QtTest>

#include <QTemporaryDir>

#include "../publisher/origin/ingest/hostile_bodies.h"
#include "../publisher/relay/hostile_upstream.h"
#include "origin_process.h"
#include "probe.h"

using podium::publisher::relay::test::HostileUpstream;
using podium::publisher::relay::test::UpstreamReply;
namespace ingest = podium::publisher::origin::test;

class TstHostileE2e : public QObject {
    Q_OBJECT
private slots:
    void hostileUpstreamDoesNotKillTheOrigin();
    void negativeDataOffsetIsRefused();
};

namespace {

QString origin() {
    return QStringLiteral(PODIUM_BINARY_DIR "/app/podium-origin");
}

std::string text(const std::vector<uint8_t>& bytes) {
    return std::string(bytes.begin(), bytes.end());
}

}  // namespace

void TstHostileE2e::hostileUpstreamDoesNotKillTheOrigin() {
    HostileUpstream up;
    up.set("/live/ch/index.m3u8",
           {200, {}, "#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=300000\nvideo/index.m3u8\n", false});
    up.set("/live/ch/video/index.m3u8",
           {200,
            {},
            "#EXTM3U\n#EXT-X-TARGETDURATION:1\n#EXT-X-MAP:URI=\"init.mp4\"\n#EXTINF:1.0,\n"
            "seg_0.m4s\n",
            false});
    up.set("/live/ch/video/init.mp4", {200, {}, text(ingest::hostileHeader()), false});
    up.set("/live/ch/video/seg_0.m4s",
           {200, {}, text(ingest::countOnlyFragment(0x80000000u)), false});

    OriginProcess relay;
    QString error;
    QVERIFY2(relay.start(origin(),
                         {"--listen", "127.0.0.1:0", "--publish-token", "t", "--pull-from",
                          QString::fromStdString(up.url("/live/ch/index.m3u8"))},
                         "listening on", &error),
             qPrintable(error));
    // Several rounds of the hostile segment (the live retry backs off to 2 s), and the
    // reason in the status line podium-origin prints (every 10 s, when it changed).
    QTRY_VERIFY_WITH_TIMEOUT(up.hits("/live/ch/video/seg_0.m4s") >= 3, 30000);
    QTRY_VERIFY_WITH_TIMEOUT(relay.output().contains("sample_count 2147483648"), 30000);
    QVERIFY2(relay.output().contains("pull ch retrying"), qPrintable(relay.output()));
    QCOMPARE(httpStatus(relay.base() + "/healthz"), 200);
    // The channel is declared (its header was fine) but holds no segment of the lie.
    QVERIFY(httpStatus(relay.base() + "/live/ch/video/seg_0.m4s") != 200);
    QCOMPARE(relay.interrupt(), 0);
}

void TstHostileE2e::negativeDataOffsetIsRefused() {
    OriginProcess server;
    QString error;
    QVERIFY2(server.start(origin(), {"--listen", "127.0.0.1:0", "--publish-token", "t"},
                          "listening on", &error),
             qPrintable(error));
    QTemporaryDir dir;
    const auto write = [&](const QString& name, const std::vector<uint8_t>& bytes) {
        QFile f(dir.filePath(name));
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(reinterpret_cast<const char*>(bytes.data()), qint64(bytes.size()));
    };
    write("good.mp4", ingest::bodyOf({ingest::goodFragment(1, 0)}));
    ingest::FragmentSpec lie = ingest::goodFragment(2, 90000);
    lie.truns[0].dataOffset = INT32_MIN;
    write("lie.mp4", ingest::bodyOf({lie}));
    const QString url = server.base() + "/live/ch.isml/Streams(cam)";
    const QStringList auth{"-H", "Authorization: Bearer t"};
    QCOMPARE(httpStatus(url, auth + QStringList{"--data-binary", "@" + dir.filePath("good.mp4")}),
             200);
    QCOMPARE(httpStatus(url, auth + QStringList{"--data-binary", "@" + dir.filePath("lie.mp4")}),
             400);
    QCOMPARE(httpStatus(server.base() + "/live/ch/cam/seg_0.m4s"), 200);
    // Nothing of the lie was stored: the playlist still ends at the good segment (seg_1 is
    // "not available yet", 503, like any future segment).
    const QString playlist = httpGetWithHeaders(server.base() + "/live/ch/cam/index.m3u8");
    QVERIFY2(playlist.contains("seg_0.m4s") && !playlist.contains("seg_1.m4s"),
             qPrintable(playlist));
    QVERIFY(httpStatus(server.base() + "/live/ch/cam/seg_1.m4s") != 200);
    QCOMPARE(server.interrupt(), 0);
}

QTEST_GUILESS_MAIN(TstHostileE2e)
#include "tst_hostile_e2e.moc"

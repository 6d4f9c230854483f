#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include "publisher/push/hls_dash_put.h"
#include "publisher/push/push_factory.h"
#include "push_test_support.h"

using namespace podium;
using namespace podium::publisher;
using namespace podium::publisher::push;
using namespace podium::publisher::push::test;

class TstHlsDashPut : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void cleanupTestCase();
    void putIntoNginxPlaysWithFfprobe();
    void droppedSegmentLeavesNoBrokenEntry();

private:
    bool startNginx();
    QTemporaryDir dir_;
    QProcess nginx_;
    uint16_t port_ = 0;
};

bool TstHlsDashPut::startNginx() {
    port_ = freePort();
    QDir(dir_.path()).mkpath(QStringLiteral("www"));
    QDir(dir_.path()).mkpath(QStringLiteral("tmp"));
    const QString d = dir_.path();
    const QString conf =
        QStringLiteral(
            "daemon off; master_process off; worker_processes 1;\n"
            "error_log %1/error.log; pid %1/nginx.pid;\n"
            "events { worker_connections 64; }\n"
            "http {\n"
            "  access_log off; client_body_temp_path %1/tmp; proxy_temp_path %1/tmp;\n"
            "  fastcgi_temp_path %1/tmp; uwsgi_temp_path %1/tmp; scgi_temp_path %1/tmp;\n"
            "  types { application/vnd.apple.mpegurl m3u8; video/mp4 mp4 m4s;\n"
            "          application/dash+xml mpd; }\n"
            "  server {\n"
            "    listen 127.0.0.1:%2; root %1/www;\n"
            "    location / { dav_methods PUT DELETE MKCOL; create_full_put_path on;\n"
            "                 client_max_body_size 0; }\n"
            "  }\n"
            "}\n")
            .arg(d)
            .arg(port_);
    QFile f(d + QStringLiteral("/nginx.conf"));
    if (!f.open(QIODevice::WriteOnly) || f.write(conf.toUtf8()) < 0) {
        return false;
    }
    f.close();
    nginx_.start(QStringLiteral("nginx"), {"-p", d, "-c", d + QStringLiteral("/nginx.conf")});
    return waitForPort(port_);
}

void TstHlsDashPut::initTestCase() {
    if (!haveTool("nginx") || !haveTool("ffprobe")) {
        QSKIP("nginx or ffprobe not installed");
    }
    QVERIFY(startNginx());
}

void TstHlsDashPut::cleanupTestCase() {
    nginx_.terminate();
    nginx_.waitForFinished(5000);
}

void TstHlsDashPut::putIntoNginxPlaysWithFfprobe() {
    const TestStream stream =
        makeStream(8, {{"360p", 320, 180, 400}, {"180p", 160, 90, 150}}, true);
    auto target = PushTarget::parse(
        QStringLiteral("hls=http://127.0.0.1:%1/live/talk").arg(port_).toStdString());
    QVERIFY(target);
    PushOptions options;
    options.segmentDuration = std::chrono::milliseconds(1000);
    options.windowSegments = 2;  // the channel keeps 4 segments at least: 4..7
    auto sink = makePushSink(*target, options);
    QVERIFY(sink);
    QVERIFY((*sink)->open(stream.tracks));
    play(**sink, stream, false);
    auto closed = (*sink)->close();
    QVERIFY2(closed, closed ? "" : closed.error().toString().c_str());
    QCOMPARE((*sink)->status().state, PushState::Finished);
    QCOMPARE((*sink)->status().lastHttpStatus / 100, 2L);

    const QString www = dir_.path() + QStringLiteral("/www/live/talk/");
    QVERIFY(QFile::exists(www + "index.m3u8"));
    QVERIFY(QFile::exists(www + "index.mpd"));
    QVERIFY(QFile::exists(www + "360p/init.mp4"));
    QVERIFY(QFile::exists(www + "360p/seg_7.m4s"));
    QVERIFY(!QFile::exists(www + "360p/seg_0.m4s"));  // left the window (+2): DELETEd
    QVERIFY(!QFile::exists(www + "audio/seg_1.m4s"));
    QVERIFY(QFile::exists(www + "180p/seg_2.m4s"));
    QFile playlist(www + "360p/index.m3u8");
    QVERIFY(playlist.open(QIODevice::ReadOnly));
    const QByteArray text = playlist.readAll();
    QVERIFY(text.contains("#EXT-X-ENDLIST"));
    QVERIFY(text.contains("seg_7.m4s"));
    QVERIFY(!text.contains("CAN-BLOCK-RELOAD"));  // a web server cannot block

    QProcess probe;
    probe.start(QStringLiteral("ffprobe"),
                {"-v", "error", "-show_entries", "stream=codec_name,width", "-of", "csv=p=0",
                 QStringLiteral("http://127.0.0.1:%1/live/talk/index.m3u8").arg(port_)});
    QVERIFY(probe.waitForFinished(30000));
    const QString out = QString::fromUtf8(probe.readAllStandardOutput());
    QVERIFY2(probe.exitCode() == 0, qPrintable(probe.readAllStandardError()));
    QVERIFY2(out.contains("h264,320") && out.contains("h264,160") && out.contains("aac"),
             qPrintable(out));
}

void TstHlsDashPut::droppedSegmentLeavesNoBrokenEntry() {
    // A segment lost before this destination (its queue overflowed): Segment::number skips a
    // value. Every entry of the playlists must still name a file that was uploaded.
    TestStream stream = makeStream(6, {{"360p", 320, 180, 400}}, true);
    std::erase_if(stream.items, [](const SinkItem& item) {
        const auto* s = std::get_if<SegmentPtr>(&item);
        return s && (*s)->number == 2;
    });
    auto target = PushTarget::parse(
        QStringLiteral("hls=http://127.0.0.1:%1/live/gap").arg(port_).toStdString());
    QVERIFY(target);
    PushOptions options;
    options.segmentDuration = std::chrono::milliseconds(1000);
    options.windowSegments = 20;  // keep everything: no DELETEs in the way
    auto sink = makePushSink(*target, options);
    QVERIFY(sink);
    QVERIFY((*sink)->open(stream.tracks));
    play(**sink, stream, false);
    QVERIFY((*sink)->close());

    const QString www = dir_.path() + QStringLiteral("/www/live/gap/");
    for (const char* track : {"360p", "audio"}) {
        QFile playlist(www + track + "/index.m3u8");
        QVERIFY(playlist.open(QIODevice::ReadOnly));
        int entries = 0;
        for (const QByteArray& line : playlist.readAll().split('\n')) {
            if (line.startsWith("seg_")) {
                ++entries;
                QVERIFY2(QFile::exists(www + track + "/" + QString::fromUtf8(line)),
                         qPrintable(QString(track) + "/" + QString::fromUtf8(line)));
            }
        }
        QCOMPARE(entries, 5);  // six segments, one lost
    }
    QProcess probe;
    probe.start(
        QStringLiteral("ffmpeg"),
        {"-v", "error", "-i", QStringLiteral("http://127.0.0.1:%1/live/gap/index.m3u8").arg(port_),
         "-f", "null", "-"});
    QVERIFY(probe.waitForFinished(60000));
    QVERIFY2(probe.exitCode() == 0, qPrintable(probe.readAllStandardError()));
}

QTEST_GUILESS_MAIN(TstHlsDashPut)
#include "tst_hls_dash_put.moc"

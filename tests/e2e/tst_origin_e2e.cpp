// End to end: the local origin with real clients. podium-cli streams the test pattern into its
// embedded origin; ffprobe reads the HLS ladder and the DASH MPD over HTTP; curl checks headers
// and the security rules; FFmpeg's ismv muxer publishes into podium-origin and ffprobe reads it
// back as HLS.
#include <QtTest>

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <algorithm>

#include "origin_process.h"
#include "probe.h"

class TstOriginE2e : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void hlsLadderReadableByFfprobe();
    void dashReadableByFfprobe();
    void llHlsPlaylistAdvertisesParts();
    void responseHeaders_data();
    void responseHeaders();
    void smoothManifestServed();
    void securityRules_data();
    void securityRules();
    void garbageIngestLeavesTheOriginServing();
    void viewerPasscodeGuardsMedia();
    void ffmpegSmoothPushPlaysAsHls();

private:
    QString live(const QString& path) const { return cli_.base() + "/live/e2e/" + path; }
    QString token_ = "e2e-secret";
    OriginProcess cli_;
};

namespace {
QJsonArray streamsOf(const QString& url) {
    const auto r = probe::run("ffprobe", {"-v", "error", "-show_streams", "-of", "json", url}, 60000);
    return QJsonDocument::fromJson(r.out).object().value("streams").toArray();
}

QString firstSegmentUrl(const QString& playlistUrl) {
    const auto r = probe::run("curl", {"-s", "--max-time", "10", playlistUrl});
    for (const auto& line : QString::fromUtf8(r.out).split('\n')) {
        if (line.startsWith("seg_")) {
            return playlistUrl.section('/', 0, -2) + "/" + line.trimmed();
        }
    }
    return {};
}
}  // namespace

void TstOriginE2e::initTestCase() {
    if (QStandardPaths::findExecutable("ffprobe").isEmpty() ||
        QStandardPaths::findExecutable("curl").isEmpty()) {
        QSKIP("ffprobe or curl not installed");
    }
    QString error;
    QVERIFY2(cli_.start(probe::podiumCli(),
                        {"stream", "--origin", "127.0.0.1:0", "--channel", "e2e", "--duration",
                         "90", "--publish-token", token_},
                        "viewer:", &error),
             qPrintable(error));
    QVERIFY(waitForHttp200(live("index.m3u8"), 20000));
    // Two complete segments in every rendition before the readers start.
    QTRY_VERIFY_WITH_TIMEOUT(
        probe::run("curl", {"-s", live("360p/index.m3u8")}).out.count("#EXTINF") >= 2, 20000);
}

void TstOriginE2e::hlsLadderReadableByFfprobe() {
    const auto streams = streamsOf(live("index.m3u8"));
    QList<int> widths;
    bool hasAac = false;
    for (const auto& v : streams) {
        const auto s = v.toObject();
        if (s.value("codec_name").toString() == "h264") {
            widths << s.value("width").toInt();
        }
        hasAac |= s.value("codec_name").toString() == "aac";
    }
    std::sort(widths.begin(), widths.end());
    widths.erase(std::unique(widths.begin(), widths.end()), widths.end());
    QCOMPARE(widths, (QList<int>{640, 854, 1280}));
    QVERIFY(hasAac);
}

void TstOriginE2e::dashReadableByFfprobe() {
    const auto streams = streamsOf(live("index.mpd"));
    int video = 0, audio = 0;
    for (const auto& v : streams) {
        const auto name = v.toObject().value("codec_name").toString();
        video += name == "h264";
        audio += name == "aac";
    }
    QCOMPARE(video, 3);
    QCOMPARE(audio, 1);
}

void TstOriginE2e::llHlsPlaylistAdvertisesParts() {
    const QString text = QString::fromUtf8(probe::run("curl", {"-s", live("720p/index.m3u8")}).out);
    QVERIFY2(text.contains("#EXT-X-PART-INF:PART-TARGET="), qPrintable(text));
    QVERIFY2(text.contains("CAN-BLOCK-RELOAD=YES"), qPrintable(text));
    QVERIFY2(text.contains("#EXT-X-PRELOAD-HINT:TYPE=PART"), qPrintable(text));
    QVERIFY2(text.contains("#EXT-X-PART:DURATION="), qPrintable(text));
    QVERIFY2(text.contains("#EXT-X-RENDITION-REPORT"), qPrintable(text));
    QVERIFY2(text.contains("#EXT-X-PROGRAM-DATE-TIME"), qPrintable(text));
}

void TstOriginE2e::responseHeaders_data() {
    QTest::addColumn<QString>("path");
    QTest::addColumn<QString>("contentType");
    QTest::addColumn<QString>("cacheControl");  // substring
    QTest::newRow("multivariant") << "index.m3u8" << "application/vnd.apple.mpegurl" << "max-age=";
    QTest::newRow("media playlist") << "720p/index.m3u8" << "application/vnd.apple.mpegurl"
                                    << "max-age=";
    QTest::newRow("mpd") << "index.mpd" << "application/dash+xml" << "max-age=";
    QTest::newRow("init") << "720p/init.mp4" << "video/mp4" << "immutable";
    QTest::newRow("segment") << "SEGMENT" << "video/mp4" << "immutable";
}

void TstOriginE2e::responseHeaders() {
    QFETCH(QString, path);
    QFETCH(QString, contentType);
    QFETCH(QString, cacheControl);
    const QString url = path == "SEGMENT" ? firstSegmentUrl(live("720p/index.m3u8")) : live(path);
    QVERIFY(!url.isEmpty());
    const QString response = httpGetWithHeaders(url);
    const QString headers = response.section("\r\n\r\n", 0, 0).toLower();
    QVERIFY2(headers.startsWith("http/1.1 200"), qPrintable(headers));
    QVERIFY2(headers.contains("content-type: " + contentType), qPrintable(headers));
    QVERIFY2(headers.contains("access-control-allow-origin: *"), qPrintable(headers));
    QVERIFY2(headers.contains(QRegularExpression("cache-control: [^\\r\\n]*" + cacheControl)),
             qPrintable(headers));
}

void TstOriginE2e::smoothManifestServed() {
    const auto r = probe::run("curl", {"-s", cli_.base() + "/live/e2e.isml/Manifest"});
    const QString text = QString::fromUtf8(r.out);
    QVERIFY2(text.contains("<SmoothStreamingMedia"), qPrintable(text));
    QVERIFY2(text.contains("IsLive=\"TRUE\""), qPrintable(text));
    QVERIFY2(text.contains("LookAheadFragmentCount="), qPrintable(text));
}

void TstOriginE2e::securityRules_data() {
    QTest::addColumn<QString>("path");
    QTest::addColumn<QStringList>("curlArgs");
    QTest::addColumn<int>("status");
    QTest::newRow("ingest without token")
        << "/live/other.isml/Streams(v)" << QStringList{"-X", "POST", "--data-binary", "x"} << 401;
    QTest::newRow("ingest with a wrong token")
        << "/live/other.isml/Streams(v)"
        << QStringList{"-X", "POST", "-H", "Authorization: Bearer wrong", "--data-binary", "x"}
        << 403;
    QTest::newRow("probe with the token") << "/live/other.isml/Streams(v)"
                                          << QStringList{"-X", "POST", "-u", "enc:" + token_,
                                                         "--data-binary", ""}
                                          << 200;
    QTest::newRow("dot-dot escapes") << "/live/e2e/../../../etc/passwd"
                                     << QStringList{"--path-as-is"} << 404;
    QTest::newRow("encoded dot-dot") << "/live/e2e/%2e%2e/%2e%2e/etc/passwd"
                                     << QStringList{"--path-as-is"} << 404;
    QTest::newRow("unknown channel") << "/live/nope/index.m3u8" << QStringList{} << 404;
    QTest::newRow("healthz") << "/healthz" << QStringList{} << 200;
    QTest::newRow("metrics") << "/metrics" << QStringList{} << 200;
}

void TstOriginE2e::securityRules() {
    QFETCH(QString, path);
    QFETCH(QStringList, curlArgs);
    QFETCH(int, status);
    QCOMPARE(httpStatus(cli_.base() + path, curlArgs), status);
}

void TstOriginE2e::garbageIngestLeavesTheOriginServing() {
    QTemporaryDir tmp;
    QFile junk(tmp.filePath("junk.bin"));
    QVERIFY(junk.open(QIODevice::WriteOnly));
    QByteArray bytes(64 * 1024, '\0');
    for (int i = 0; i < bytes.size(); ++i) {
        bytes[i] = char((i * 7919 + 13) & 0xff);
    }
    junk.write(bytes);
    junk.close();
    const int status = httpStatus(cli_.base() + "/live/junk.isml/Streams(v)",
                                  {"-X", "POST", "-H", "Authorization: Bearer " + token_,
                                   "--data-binary", "@" + junk.fileName()});
    QVERIFY2(status >= 400 && status < 500, qPrintable(QString::number(status)));
    QCOMPARE(httpStatus(live("index.m3u8")), 200);
    QCOMPARE(httpStatus(live("720p/index.m3u8")), 200);
}

void TstOriginE2e::viewerPasscodeGuardsMedia() {
    OriginProcess guarded;
    QString error;
    QVERIFY2(guarded.start(probe::podiumCli(),
                           {"stream", "--origin", "127.0.0.1:0", "--channel", "pc", "--preset",
                            "Low bandwidth", "--duration", "30", "--view-passcode", "1234"},
                           "viewer:", &error),
             qPrintable(error));
    const QString playlist = guarded.base() + "/live/pc/index.m3u8";
    QVERIFY(waitForHttp200(playlist + "?code=1234", 20000));
    QCOMPARE(httpStatus(playlist), 403);
    QCOMPARE(httpStatus(playlist + "?code=4321"), 403);
    QCOMPARE(httpStatus(playlist, {"-b", "podium_view=1234"}), 200);
    QCOMPARE(httpStatus(guarded.base() + "/watch/pc?code=1234"), 200);
}

void TstOriginE2e::ffmpegSmoothPushPlaysAsHls() {
    OriginProcess origin;
    QString error;
    QVERIFY2(origin.start(QStringLiteral(PODIUM_BINARY_DIR "/app/podium-origin"),
                          {"--listen", "127.0.0.1:0", "--publish-token", "tok"}, "listening on",
                          &error),
             qPrintable(error));
    const QString target = origin.base().replace("http://", "http://enc:tok@") +
                           "/live/ff.isml/Streams(enc)";
    const auto pushed = probe::run(
        "ffmpeg",
        {"-v", "error", "-re", "-f", "lavfi", "-i", "testsrc2=size=640x360:rate=25", "-f", "lavfi",
         "-i", "sine=sample_rate=48000", "-t", "8", "-c:v", "libx264", "-g", "50", "-keyint_min",
         "50", "-sc_threshold", "0", "-b:v", "800k", "-c:a", "aac", "-b:a", "96k", "-movflags",
         "isml+frag_keyframe", "-f", "ismv", target},
        60000);
    QVERIFY2(pushed.exitCode == 0, pushed.err.constData());
    const auto streams = streamsOf(origin.base() + "/live/ff/index.m3u8");
    QStringList codecs;
    for (const auto& v : streams) {
        codecs << v.toObject().value("codec_name").toString();
    }
    QVERIFY2(codecs.contains("h264"), qPrintable(codecs.join(',')));
    QVERIFY2(codecs.contains("aac"), qPrintable(codecs.join(',')));
}

QTEST_GUILESS_MAIN(TstOriginE2e)
#include "tst_origin_e2e.moc"

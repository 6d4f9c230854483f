#include <QTemporaryDir>
#include <QTest>

#include <map>

#include "publisher/manifest/hls_live.h"
#include "publisher/mp4/box_reader.h"
#include "publisher/mp4/piff.h"
#include "publisher/origin/server/origin_server.h"
#include "publisher/push/smooth_boxes.h"
#include "publisher/push/smooth_push.h"
#include "push_test_support.h"

using namespace podium;
using namespace podium::publisher;
using namespace podium::publisher::push;
using namespace podium::publisher::push::test;

namespace {

std::vector<uint8_t> readAll(const QString& path) {
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) {
        return {};
    }
    const QByteArray b = f.readAll();
    return {b.begin(), b.end()};
}

uint64_t u64(std::span<const uint8_t> p, size_t at) {
    uint64_t v = 0;
    for (size_t i = 0; i < 8; ++i) {
        v = v << 8 | p[at + i];
    }
    return v;
}

}  // namespace

class TstSmoothPush : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void ffmpegListenerGetsEveryFrame();
    void bodyBoxesFollowTheCheckpoints();
    void pushIntoOriginWithToken();
    void authFailuresStopWithTheReason_data();
    void authFailuresStopWithTheReason();
    void reconnectsAfterTheOriginRestarts();
    void fiveRestartsLoseNothing();

private:
    PushTarget target(const std::string& url, const std::string& token = {}) {
        auto t = PushTarget::parse(url, token);
        if (!t) {
            qFatal("%s", t.error().toString().c_str());
        }
        return *t;
    }
    TestStream stream_;
};

void TstSmoothPush::initTestCase() {
    stream_ = makeStream(6, {{"360p", 320, 180, 400}, {"180p", 160, 90, 150}}, true);
    QCOMPARE(stream_.tracks.size(), size_t(3));
}

void TstSmoothPush::ffmpegListenerGetsEveryFrame() {
    if (!haveTool("ffmpeg") || !haveTool("ffprobe")) {
        QSKIP("ffmpeg/ffprobe not installed");
    }
    QTemporaryDir dir;
    const uint16_t port = freePort();
    const QString got = dir.filePath(QStringLiteral("got.mp4"));
    QProcess ffmpeg;
    ffmpeg.start(QStringLiteral("ffmpeg"),
                 {"-v", "error", "-y", "-listen", "1", "-i",
                  QStringLiteral("http://127.0.0.1:%1/pp.isml/Streams(360p)").arg(port), "-c",
                  "copy", "-f", "mp4", got});
    QTest::qWait(700);  // ffmpeg -listen accepts one connection: do not probe the port
    QCOMPARE(ffmpeg.state(), QProcess::Running);
    PushOptions options;
    options.smoothProbe = false;  // ffmpeg -listen dies on an empty probe POST
    SmoothPush sink(target(QStringLiteral("http://127.0.0.1:%1/pp.isml").arg(port).toStdString()),
                    options);
    const TestStream video = onlyTracks(stream_, {0});
    QVERIFY(sink.open(video.tracks));
    play(sink, video, false);
    auto closed = sink.close();
    QVERIFY2(closed, closed ? "" : closed.error().toString().c_str());
    QVERIFY(ffmpeg.waitForFinished(20000));
    QCOMPARE(ffmpeg.exitCode(), 0);
    QCOMPARE(sink.status().state, PushState::Finished);

    QProcess probe;
    probe.start(QStringLiteral("ffprobe"), {"-v", "error", "-select_streams", "v", "-show_entries",
                                            "packet=pts_time,flags", "-of", "csv=p=0", got});
    QVERIFY(probe.waitForFinished(20000));
    const QStringList lines =
        QString::fromUtf8(probe.readAllStandardOutput()).split('\n', Qt::SkipEmptyParts);
    QCOMPARE(lines.size(), stream_.videoFrames);
    int keys = 0;
    for (const QString& line : lines) {
        const QStringList f = line.split(',');
        QCOMPARE(f.size(), 2);
        if (f[1].startsWith('K')) {
            ++keys;
            const double t = f[0].toDouble();
            QVERIFY2(std::abs(t - std::round(t)) < 0.001, qPrintable(line));  // on the second
        }
    }
    QCOMPARE(keys, 6);
}

void TstSmoothPush::bodyBoxesFollowTheCheckpoints() {
    QTemporaryDir dir;
    const uint16_t port = freePort();
    QProcess receiver;
    receiver.start(QStringLiteral("python3"),
                   {"-c", recorderScript(), dir.path(), QString::number(port), "200"});
    QVERIFY(waitForPort(port));
    SmoothPush sink(
        target(QStringLiteral("http://127.0.0.1:%1/live/ch.isml").arg(port).toStdString()),
        PushOptions{});
    QVERIFY(sink.open(stream_.tracks));
    play(sink, stream_, false);
    QVERIFY(sink.close());
    receiver.kill();
    receiver.waitForFinished();

    std::map<std::string, std::vector<std::pair<uint64_t, uint64_t>>> times;  // by track
    const QStringList reqs = QDir(dir.path()).entryList({"*.req"}, QDir::Files, QDir::Name);
    QCOMPARE(reqs.size(), 6);  // probe + stream for each of 3 tracks
    std::map<std::string, int> seen;
    for (const QString& req : reqs) {
        const std::vector<uint8_t> headBytes = readAll(dir.filePath(req));
        const QString head = QString::fromUtf8(reinterpret_cast<const char*>(headBytes.data()),
                                               qsizetype(headBytes.size()));
        const std::string path = head.section(' ', 1, 1).section('\n', 0, 0).toStdString();
        QVERIFY2(head.startsWith("POST /live/ch.isml/Streams("), qPrintable(head));
        QVERIFY(head.contains("User-Agent: Podium/0.1"));
        const std::vector<uint8_t> body =
            readAll(dir.filePath(QString(req).replace(".req", ".body")));
        if (seen[path]++ == 0) {  // checkpoint 1: the probe comes first, empty
            QVERIFY(head.contains("Content-Length: 0"));
            QVERIFY(body.empty());
            continue;
        }
        QVERIFY(head.contains("Transfer-Encoding: chunked"));  // checkpoint 2
        QVERIFY(!head.contains("Content-Length"));
        auto boxes = mp4::BoxReader::parse(body);
        QVERIFY2(boxes, boxes ? "" : boxes.error().toString().c_str());
        QVERIFY(boxes->size() >= 5);
        const auto& b = *boxes;
        // checkpoint 3: ftyp isml minor 1 with piff + iso2, LSM uuid, moov.
        QCOMPARE(b[0].type, mp4::FourCC("ftyp"));
        QCOMPARE(mp4::FourCC(uint32_t(u64(b[0].payload, 0) >> 32)), mp4::FourCC("isml"));
        QCOMPARE(uint32_t(u64(b[0].payload, 0)), 1u);
        const std::string brands(b[0].payload.begin() + 8, b[0].payload.end());
        QVERIFY(brands.find("piff") != std::string::npos);
        QVERIFY(brands.find("iso2") != std::string::npos);
        QCOMPARE(b[1].type, mp4::FourCC("uuid"));
        QVERIFY(b[1].userType == mp4::kLiveServerManifestUuid);
        const std::string xml(b[1].payload.begin() + 4, b[1].payload.end());
        QVERIFY(xml.find("http://www.w3.org/2001/SMIL20/Language") != std::string::npos);
        QCOMPARE(b[2].type, mp4::FourCC("moov"));
        QCOMPARE(b.back().type, mp4::FourCC("mfra"));  // checkpoint 12
        QCOMPARE(b.back().size, uint64_t(8));
        uint32_t lastSeq = 0;
        for (const mp4::Box* moof : mp4::findAllBoxes(b, "moof")) {
            const auto trafs = mp4::findAllBoxes(moof->children, "traf");
            QCOMPARE(trafs.size(), size_t(1));
            int tfxds = 0;
            for (const auto& child : trafs[0]->children) {
                if (child.type == mp4::FourCC("uuid") && child.userType == mp4::kTfxdUuid) {
                    ++tfxds;  // checkpoint 6
                    QCOMPARE(child.size, uint64_t(44));
                    QCOMPARE(child.payload[0], uint8_t(1));
                    times[path].emplace_back(u64(child.payload, 4), u64(child.payload, 12));
                }
            }
            QCOMPARE(tfxds, 1);
            auto seq = mp4::readMfhd(*mp4::findBox(moof->children, "mfhd"));
            QVERIFY(*seq > lastSeq);  // checkpoint 8
            lastSeq = *seq;
            auto trun = mp4::readTrun(*mp4::findBox(moof->children, "traf/trun"));
            QCOMPARE(trun->version, uint8_t(1));
            const auto tfhd = mp4::readTfhd(*mp4::findBox(moof->children, "traf/tfhd"));
            QVERIFY(xml.find("name=\"trackID\" value=\"" + std::to_string(tfhd->trackId) + "\"") !=
                    std::string::npos);  // checkpoint 4
        }
    }
    QCOMPARE(times.size(), size_t(3));
    for (const auto& [path, list] : times) {  // checkpoint 7: contiguous from 0
        QCOMPARE(list.size(), size_t(6));
        QCOMPARE(list.front().first, uint64_t(0));
        for (size_t i = 1; i < list.size(); ++i) {
            QCOMPARE(list[i].first, list[i - 1].first + list[i - 1].second);
        }
    }
    // checkpoint 10: the video renditions' fragments line up.
    QVERIFY(times["/live/ch.isml/Streams(360p)"] == times["/live/ch.isml/Streams(180p)"]);
}

void TstSmoothPush::pushIntoOriginWithToken() {
    origin::ChannelStore store(origin::ChannelConfig{});
    origin::OriginConfig config;
    config.publishToken = "s3cret";
    auto server = origin::OriginServer::start(config, store);
    QVERIFY(server);
    SmoothPush sink(target(QStringLiteral("http://127.0.0.1:%1/live/chan.isml")
                               .arg((*server)->port())
                               .toStdString(),
                           "s3cret"),
                    PushOptions{});
    QVERIFY(sink.open(stream_.tracks));
    play(sink, stream_, false);
    auto closed = sink.close();
    QVERIFY2(closed, closed ? "" : closed.error().toString().c_str());
    auto channel = store.find("chan");
    QVERIFY(channel);
    const auto view = channel->view();
    for (const char* id : {"360p", "180p", "audio"}) {
        const auto* track = view->track(id);
        QVERIFY2(track, id);
        QCOMPARE(track->segments.size(), size_t(6));
    }
    const std::string master = manifest::renderLiveMultivariant(*view);
    QVERIFY(master.find("360p/index.m3u8") != std::string::npos);
    QVERIFY(master.find("180p/index.m3u8") != std::string::npos);
}

void TstSmoothPush::authFailuresStopWithTheReason_data() {
    QTest::addColumn<QString>("token");
    QTest::addColumn<long>("httpStatus");
    QTest::newRow("no credentials: 401") << QString() << 401L;
    QTest::newRow("wrong token: 403") << QString("wrong") << 403L;
}

// A publishing point that refuses the credentials stops this destination (a permanent error,
// not retried), with the reason in words; nothing reaches the channel.
void TstSmoothPush::authFailuresStopWithTheReason() {
    QFETCH(QString, token);
    QFETCH(long, httpStatus);
    origin::ChannelStore store(origin::ChannelConfig{});
    origin::OriginConfig config;
    config.publishToken = "s3cret";
    auto server = origin::OriginServer::start(config, store);
    QVERIFY(server);
    SmoothPush sink(target(QStringLiteral("http://127.0.0.1:%1/live/chan.isml")
                               .arg((*server)->port())
                               .toStdString(),
                           token.toStdString()),
                    PushOptions{});
    QVERIFY(sink.open(stream_.tracks));
    play(sink, stream_, false);
    auto closed = sink.close();
    QVERIFY(!closed);
    QCOMPARE(closed.error().code(), ErrorCode::PermissionDenied);
    const PushStatus s = sink.status();
    QCOMPARE(s.state, PushState::Failed);
    QCOMPARE(s.lastHttpStatus, httpStatus);
    QVERIFY2(s.lastError.find("refused") != std::string::npos ||
                 s.lastError.find("password") != std::string::npos,
             s.lastError.c_str());
    QVERIFY(!store.find("chan") || store.find("chan")->view()->tracks.empty() ||
            store.find("chan")->view()->tracks[0].segments.empty());
}

void TstSmoothPush::reconnectsAfterTheOriginRestarts() {
    const TestStream live = makeStream(8, {{"360p", 320, 180, 400}}, true);
    origin::ChannelStore store(origin::ChannelConfig{});
    origin::OriginConfig config;
    config.port = freePort();
    auto server = origin::OriginServer::start(config, store);
    QVERIFY(server);
    std::unique_ptr<origin::OriginServer> running = std::move(*server);
    SmoothPush sink(
        target(QStringLiteral("http://127.0.0.1:%1/live/re.isml").arg(config.port).toStdString()),
        PushOptions{});
    QVERIFY(sink.open(live.tracks));
    bool stopped = false;
    bool restarted = false;
    bool sawRetrying = false;
    play(sink, live, true, 1.0, [&](double t) {
        sawRetrying |= sink.status().state == PushState::Retrying;
        if (t >= 2.5 && !stopped) {
            running->stop();
            running.reset();
            stopped = true;
        } else if (t >= 4.5 && !restarted) {
            auto again = origin::OriginServer::start(config, store);
            QVERIFY(again);
            running = std::move(*again);
            restarted = true;
        }
    });
    auto closed = sink.close();
    QVERIFY2(closed, closed ? "" : closed.error().toString().c_str());
    QVERIFY(restarted);
    const PushStatus s = sink.status();
    QVERIFY(s.retries > 0);
    QCOMPARE(s.state, PushState::Finished);
    const auto view = store.find("re")->view();
    for (const char* id : {"360p", "audio"}) {
        const auto* track = view->track(id);
        QVERIFY(track);
        QCOMPARE(track->segments.size(), size_t(8));  // nothing lost across the outage
        for (size_t i = 1; i < track->segments.size(); ++i) {
            const auto& prev = track->segments[i - 1];
            QCOMPARE(track->segments[i].start.value, prev.start.value + prev.duration.value);
            QVERIFY(!track->segments[i].discontinuity);
        }
    }
}

// Issue #4's fault check: the receiver is killed and restarted 5 times during a 30 s stream.
// After each return the push is live again within 2 s (polled with a deadline), and in the end
// the receiver's timeline is complete and contiguous: the spool re-sent what each outage held.
void TstSmoothPush::fiveRestartsLoseNothing() {
    const TestStream live = makeStream(30, {{"360p", 320, 180, 400}}, true);
    origin::ChannelStore store(origin::ChannelConfig{});
    origin::OriginConfig config;
    config.port = freePort();
    auto server = origin::OriginServer::start(config, store);
    QVERIFY(server);
    std::unique_ptr<origin::OriginServer> running = std::move(*server);
    SmoothPush sink(
        target(QStringLiteral("http://127.0.0.1:%1/live/five.isml").arg(config.port).toStdString()),
        PushOptions{});
    QVERIFY(sink.open(live.tracks));
    int outages = 0;
    double downSince = -1;
    QList<qint64> reconnectMs;
    play(sink, live, true, 1.0, [&](double t) {
        if (downSince < 0 && outages < 5 && t >= 4.0 + outages * 5.0) {
            running->stop();
            running.reset();
            downSince = t;
        } else if (downSince >= 0 && t >= downSince + 1.5) {
            auto again = origin::OriginServer::start(config, store);
            QVERIFY(again);
            running = std::move(*again);
            ++outages;
            downSince = -1;
            const uint64_t before = sink.status().bytesSent;
            QElapsedTimer back;
            back.start();
            // Live again = the sink has sent new bytes to the restarted receiver.
            QTRY_VERIFY_WITH_TIMEOUT(
                sink.status().state == PushState::Live && sink.status().bytesSent > before, 2000);
            reconnectMs << back.elapsed();
        }
    });
    auto closed = sink.close();
    QVERIFY2(closed, closed ? "" : closed.error().toString().c_str());
    QCOMPARE(outages, 5);
    qInfo("reconnect after each return (ms): %s", qPrintable([&] {
              QStringList l;
              for (auto ms : reconnectMs)
                  l << QString::number(ms);
              return l.join(", ");
          }()));
    const auto view = store.find("five")->view();
    for (const char* id : {"360p", "audio"}) {
        const auto* track = view->track(id);
        QVERIFY(track);
        QCOMPARE(track->segments.size(), size_t(30));
        for (size_t i = 1; i < track->segments.size(); ++i) {
            const auto& prev = track->segments[i - 1];
            QCOMPARE(track->segments[i].start.value, prev.start.value + prev.duration.value);
            QVERIFY(!track->segments[i].discontinuity);
        }
    }
}

QTEST_GUILESS_MAIN(TstSmoothPush)
#include "tst_smooth_push.moc"

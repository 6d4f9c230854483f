#include <QDir>
#include <QTemporaryDir>
#include <QTest>

#include <map>

#include "publisher/manifest/hls_live.h"
#include "publisher/mp4/box_reader.h"
#include "publisher/origin/server/origin_server.h"
#include "publisher/push/cmaf_ingest_push.h"
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

PushTarget target(const QString& url, const std::string& token = {}) {
    auto t = PushTarget::parse(url.toStdString(), token);
    if (!t) {
        qFatal("%s", t.error().toString().c_str());
    }
    return *t;
}

}  // namespace

class TstCmafIngestPush : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void requestsFollowInterfaceOne();
    void pushIntoOriginWithToken();
    void notFoundStopsWithAClearError();

private:
    TestStream stream_;
};

void TstCmafIngestPush::initTestCase() {
    stream_ = makeStream(4, {{"360p", 320, 180, 400}, {"180p", 160, 90, 150}}, true);
}

void TstCmafIngestPush::requestsFollowInterfaceOne() {
    QTemporaryDir dir;
    const uint16_t port = freePort();
    QProcess receiver;
    receiver.start(QStringLiteral("python3"),
                   {"-c", recorderScript(), dir.path(), QString::number(port), "200"});
    QVERIFY(waitForPort(port));
    const auto owned = makeCmafIngestPush(
        target(QStringLiteral("cmaf=http://127.0.0.1:%1/ingest1").arg(port)), PushOptions{});
    PushSink& sink = *owned;
    QVERIFY(sink.open(stream_.tracks));
    play(sink, stream_, false);
    auto closed = sink.close();
    QVERIFY2(closed, closed ? "" : closed.error().toString().c_str());
    QCOMPARE(sink.status().state, PushState::Finished);
    receiver.kill();
    receiver.waitForFinished();

    std::map<std::string, std::vector<std::vector<uint8_t>>> bodies;  // by path, in order
    for (const QString& req : QDir(dir.path()).entryList({"*.req"}, QDir::Files, QDir::Name)) {
        const std::vector<uint8_t> head = readAll(dir.filePath(req));
        const std::string text(head.begin(), head.end());
        QVERIFY2(text.rfind("POST /ingest1/Streams(", 0) == 0, text.c_str());
        QVERIFY(text.find("User-Agent: Podium/0.1") != std::string::npos);
        const std::string path = text.substr(5, text.find('\n') - 5);
        bodies[path].push_back(readAll(dir.filePath(QString(req).replace(".req", ".body"))));
    }
    QCOMPARE(bodies.size(), size_t(3));
    std::map<std::string, std::vector<uint64_t>> starts;
    for (const auto& [path, list] : bodies) {
        QCOMPARE(list.size(), size_t(1 + 4));          // header + 4 segments
        auto header = mp4::BoxReader::parse(list[0]);  // checkpoint 15
        QVERIFY(header);
        QCOMPARE((*header)[0].type, mp4::FourCC("ftyp"));
        QCOMPARE((*header)[1].type, mp4::FourCC("moov"));
        uint32_t lastSeq = 0;
        for (size_t i = 1; i < list.size(); ++i) {
            auto boxes = mp4::BoxReader::parse(list[i]);
            QVERIFY(boxes);
            const auto& b = *boxes;
            QCOMPARE(b[0].type, mp4::FourCC("styp"));  // checkpoint 16: [styp] prft moof mdat
            QCOMPARE(b[1].type, mp4::FourCC("prft"));
            QCOMPARE(b[2].type, mp4::FourCC("moof"));
            const std::string brands(b[0].payload.begin() + 8, b[0].payload.end());
            QCOMPARE(brands.find("lmsg") != std::string::npos, i + 1 == list.size());  // 19
            auto tfdt = mp4::readTfdt(*mp4::findBox(b, "moof/traf/tfdt"));
            QVERIFY(tfdt);
            starts[path].push_back(*tfdt);
            const uint32_t seq = *mp4::readMfhd(*mp4::findBox(b, "moof/mfhd"));
            QVERIFY(seq > lastSeq);
            lastSeq = seq;
        }
    }
    // Video renditions aligned (checkpoint 10 / 18).
    QVERIFY(starts["/ingest1/Streams(360p)"] == starts["/ingest1/Streams(180p)"]);
}

void TstCmafIngestPush::pushIntoOriginWithToken() {
    origin::ChannelStore store(origin::ChannelConfig{});
    origin::OriginConfig config;
    config.publishToken = "s3cret";
    auto server = origin::OriginServer::start(config, store);
    QVERIFY(server);
    const auto owned = makeCmafIngestPush(
        target(QStringLiteral("cmaf=http://127.0.0.1:%1/live/cm.isml").arg((*server)->port()),
               "s3cret"),
        PushOptions{});
    PushSink& sink = *owned;
    QVERIFY(sink.open(stream_.tracks));
    play(sink, stream_, false);
    auto closed = sink.close();
    QVERIFY2(closed, closed ? "" : closed.error().toString().c_str());
    auto channel = store.find("cm");
    QVERIFY(channel);
    const auto view = channel->view();
    for (const char* id : {"360p", "180p", "audio"}) {
        const auto* track = view->track(id);
        QVERIFY2(track, id);
        QCOMPARE(track->segments.size(), size_t(4));
    }
    const std::string master = manifest::renderLiveMultivariant(*view);
    QVERIFY(master.find("360p/index.m3u8") != std::string::npos);
}

void TstCmafIngestPush::notFoundStopsWithAClearError() {
    QTemporaryDir dir;
    const uint16_t port = freePort();
    QProcess receiver;
    receiver.start(QStringLiteral("python3"),
                   {"-c", recorderScript(), dir.path(), QString::number(port), "404"});
    QVERIFY(waitForPort(port));
    const auto owned = makeCmafIngestPush(
        target(QStringLiteral("cmaf=http://127.0.0.1:%1/nope").arg(port)), PushOptions{});
    PushSink& sink = *owned;
    QVERIFY(sink.open(stream_.tracks));
    play(sink, stream_, false);
    auto closed = sink.close();
    receiver.kill();
    receiver.waitForFinished();
    QVERIFY(!closed);
    QCOMPARE(closed.error().code(), ErrorCode::NotFound);
    const PushStatus s = sink.status();
    QCOMPARE(s.state, PushState::Failed);
    QCOMPARE(s.lastHttpStatus, 404L);
    QVERIFY2(s.lastError.find("no such publishing point") != std::string::npos,
             s.lastError.c_str());
    // One header attempt per track, nothing more: a 404 is not retried.
    QCOMPARE(QDir(dir.path()).entryList({"*.req"}, QDir::Files).size(), 3);
}

QTEST_GUILESS_MAIN(TstCmafIngestPush)
#include "tst_cmaf_ingest_push.moc"

#include <QTest>

#include "publisher/origin/server/origin_server.h"
#include "publisher/push/push_factory.h"
#include "publisher/push/smooth_push.h"
#include "publisher/sinks/sink_fanout.h"
#include "push_test_support.h"

using namespace podium;
using namespace podium::publisher;
using namespace podium::publisher::push;
using namespace podium::publisher::push::test;

namespace {

PushTarget target(const QString& spec, const std::string& token = {}) {
    auto t = PushTarget::parse(spec.toStdString(), token);
    if (!t) {
        qFatal("%s", t.error().toString().c_str());
    }
    return *t;
}

void feed(SinkFanout& fanout, const TestStream& s) {
    for (const auto& item : s.items) {
        if (const auto* i = std::get_if<InitSegmentPtr>(&item)) {
            fanout.onInitSegment(*i);
        } else if (const auto* g = std::get_if<SegmentPtr>(&item)) {
            fanout.onSegment(*g);
        } else {
            fanout.onEndOfStream();
        }
    }
}

/// Accepts connections one after the other and reads each at ~10 kB/s (1 kB every 100 ms), never
/// answering.
QString slowReaderScript() {
    return QStringLiteral(R"PY(
import socket, sys, time
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(('127.0.0.1', int(sys.argv[1]))); s.listen(4)
while True:
    c, _ = s.accept()
    while c.recv(1024):
        time.sleep(0.1)
    c.close()
)PY");
}

}  // namespace

class TstPushFanout : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void deadAndRefusedDestinationsDoNotHurtTheOthers();
    void slowReceiverDropsWholeSegmentsWithBoundedMemory();

private:
    TestStream stream_;
};

void TstPushFanout::initTestCase() {
    stream_ = makeStream(5, {{"360p", 320, 180, 400}, {"180p", 160, 90, 150}}, true);
}

void TstPushFanout::deadAndRefusedDestinationsDoNotHurtTheOthers() {
    origin::ChannelStore store(origin::ChannelConfig{});
    origin::OriginConfig config;
    config.publishToken = "s3cret";
    auto server = origin::OriginServer::start(config, store);
    QVERIFY(server);
    const int port = (*server)->port();
    PushOptions options;
    options.smoothProbe = true;
    options.connectTimeout = std::chrono::milliseconds(1000);
    options.stallTimeout = std::chrono::milliseconds(2000);
    const QStringList specs = {
        QStringLiteral("http://127.0.0.1:%1/live/a.isml").arg(port),           // Smooth, ok
        QStringLiteral("cmaf=http://127.0.0.1:%1/live/b.isml").arg(port),      // CMAF, ok
        QStringLiteral("http://127.0.0.1:%1/live/dead.isml").arg(freePort()),  // nobody there
        QStringLiteral("http://127.0.0.1:%1/live/c.isml").arg(port),           // wrong token
    };
    SinkFanout fanout(stream_.tracks);
    std::vector<PushSink*> sinks;
    for (int i = 0; i < specs.size(); ++i) {
        auto sink = makePushSink(target(specs[i], i == 3 ? "wrong" : "s3cret"), options);
        QVERIFY(sink);
        sinks.push_back(sink->get());
        QVERIFY(fanout.addSink(std::move(*sink), SinkQueuePolicy::dropOldestSegment(64)));
    }
    feed(fanout, stream_);
    const auto final = fanout.finish(std::chrono::milliseconds(20000));
    QCOMPARE(final.size(), size_t(4));
    QCOMPARE(final[0].state, SinkState::Finished);
    QCOMPARE(final[1].state, SinkState::Finished);
    QCOMPARE(final[2].state, SinkState::Failed);  // unreachable through the end
    QCOMPARE(final[3].state, SinkState::Failed);
    QCOMPARE(sinks[0]->status().state, PushState::Finished);
    QCOMPARE(sinks[1]->status().state, PushState::Finished);
    QVERIFY(sinks[2]->status().retries > 0);
    QVERIFY2(sinks[2]->status().lastError.find("cannot connect") != std::string::npos,
             sinks[2]->status().lastError.c_str());
    QCOMPARE(sinks[3]->status().state, PushState::Failed);
    QVERIFY(sinks[3]->status().lastError.find("refused") != std::string::npos);
    for (const char* channel : {"a", "b"}) {
        auto ch = store.find(channel);
        QVERIFY2(ch, channel);
        for (const auto& t : ch->view()->tracks) {
            QCOMPARE(t.segments.size(), size_t(5));  // everything arrived
        }
    }
}

void TstPushFanout::slowReceiverDropsWholeSegmentsWithBoundedMemory() {
    const uint16_t port = freePort();
    QProcess receiver;
    receiver.start(QStringLiteral("python3"), {"-c", slowReaderScript(), QString::number(port)});
    QVERIFY(waitForPort(port));
    PushOptions options;
    options.smoothProbe = false;
    options.spoolDuration = std::chrono::milliseconds(2000);
    options.sendBufferBytes = 16 * 1024;
    const TestStream video =
        onlyTracks(makeStream(12, {{"360p", 320, 180, 1000}}, false, true), {0});
    {
        SmoothPush sink(target(QStringLiteral("http://127.0.0.1:%1/live/slow.isml").arg(port)),
                        options);
        QVERIFY(sink.open(video.tracks));
        uint64_t maxQueued = 0;
        play(sink, video, true, 4.0,
             [&](double) { maxQueued = std::max(maxQueued, sink.status().bytesQueued); });
        const PushStatus s = sink.status();
        QVERIFY2(s.segmentsDropped > 0, "a 10 kB/s receiver cannot take 1 Mbit/s");
        uint64_t largest = 0;
        for (const auto& item : video.items) {
            if (const auto* g = std::get_if<SegmentPtr>(&item)) {
                largest = std::max<uint64_t>(largest, (*g)->bytes.size());
            }
        }
        QVERIFY(maxQueued <= 3 * largest);  // ~2 s of media, never the whole stream
        QCOMPARE(s.state, PushState::Live);
    }  // destroyed without waiting for the slow receiver
    receiver.kill();
    receiver.waitForFinished();
}

QTEST_GUILESS_MAIN(TstPushFanout)
#include "tst_push_fanout.moc"

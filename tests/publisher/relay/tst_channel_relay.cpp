#include <QTest>

#include "../origin/server/origin_test_client.h"
#include "publisher/origin/server/origin_server.h"
#include "publisher/relay/channel_relay.h"
#include "relay_test_support.h"

using namespace podium;
using namespace podium::publisher;
using namespace podium::publisher::relay;
using namespace podium::publisher::relay::test;

namespace {

RelayOptions fastOptions() {
    RelayOptions options;
    options.pollInterval = std::chrono::milliseconds(100);
    options.startBacklogSegments = -1;  // the whole window: every segment is compared
    options.finishDeadline = std::chrono::milliseconds(3000);
    options.push.connectTimeout = std::chrono::milliseconds(1000);
    return options;
}

}  // namespace

class TstChannelRelay : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void channelTargets_data();
    void channelTargets();
    void relaysEveryChannelToAnotherOrigin();
    void deadDestinationRetriesWithoutBlockingTheOrigin();

private:
    TestStream stream_;
};

void TstChannelRelay::initTestCase() {
    stream_ = push::test::makeStream(4, {{"360p", 320, 180, 400}, {"180p", 160, 90, 150}}, true);
}

void TstChannelRelay::channelTargets_data() {
    QTest::addColumn<QString>("spec");
    QTest::addColumn<QString>("url");
    QTest::addColumn<QString>("backup");
    QTest::newRow("smooth by default") << "http://h/live"
                                       << "http://h/live/talk.isml"
                                       << "";
    QTest::newRow("cmaf with a backup") << "cmaf=http://h/live,http://b/live/"
                                        << "http://h/live/talk.isml"
                                        << "http://b/live/talk.isml";
    QTest::newRow("hls put folder") << "hls=http://h/dav"
                                    << "http://h/dav/talk"
                                    << "";
}

void TstChannelRelay::channelTargets() {
    QFETCH(QString, spec);
    QFETCH(QString, url);
    QFETCH(QString, backup);
    origin::ChannelStore store(origin::ChannelConfig{});
    auto relay = ChannelRelay::start(store, spec.toStdString(), {});
    QVERIFY(relay);
    auto base = push::PushTarget::parse(spec.startsWith("http") ? "smooth=" + spec.toStdString()
                                                                : spec.toStdString());
    QVERIFY(base);
    const auto t = ChannelRelay::channelTarget(*base, "talk");
    QCOMPARE(QString::fromStdString(t.url), url);
    QCOMPARE(QString::fromStdString(t.backupUrls.empty() ? "" : t.backupUrls[0]), backup);
}

void TstChannelRelay::relaysEveryChannelToAnotherOrigin() {
    origin::ChannelStore storeA(origin::ChannelConfig{});
    origin::ChannelStore storeB(origin::ChannelConfig{});
    origin::OriginConfig configB;
    configB.publishToken = "s3cret";
    auto serverB = origin::OriginServer::start(configB, storeB);
    QVERIFY(serverB);
    const std::string spec = "http://127.0.0.1:" + std::to_string((*serverB)->port()) + "/live";
    auto relay = ChannelRelay::start(storeA, spec, "s3cret", fastOptions());
    QVERIFY(relay);
    // One channel exists before the relay looks, one appears later.
    feedChannel(*storeA.getOrCreate("early"), stream_);
    QTRY_VERIFY_WITH_TIMEOUT((*relay)->status().size() == 1, 5000);
    feedChannel(*storeA.getOrCreate("late"), stream_);
    // Both pushes end gracefully once A's channels ended (the ingest keeps B's channels live).
    QTRY_VERIFY_WITH_TIMEOUT((*relay)->status().size() == 2 && (*relay)->status()[0].ended &&
                                 (*relay)->status()[1].ended,
                             15000);
    for (const char* name : {"early", "late"}) {
        const auto a = storeA.find(name)->view();
        QVERIFY2(storeB.find(name), name);
        const auto b = storeB.find(name)->view();
        QCOMPARE(b->tracks.size(), a->tracks.size());
        for (const auto& ta : a->tracks) {
            const manifest::TrackView* tb = b->track(ta.info.id);
            QVERIFY2(tb, ta.info.id.c_str());
            const auto sa = completeSegments(ta);
            const auto sb = completeSegments(*tb);
            QCOMPARE(sb.size(), sa.size());
            for (size_t i = 0; i < sa.size(); ++i) {
                QCOMPARE(sb[i]->duration, sa[i]->duration);
                QCOMPARE(sb[i]->start, sa[i]->start);
            }
            QCOMPARE(tb->info.codecString, ta.info.codecString);
        }
    }
    for (const auto& s : (*relay)->status()) {
        QCOMPARE(s.push.state, push::PushState::Finished);
        QVERIFY(s.push.bytesSent > 0);
        QCOMPARE(s.segmentsForwarded, uint64_t(12));  // 4 segments x 3 tracks
    }
    QVERIFY(formatRelayStatus((*relay)->status()).find("early ended") != std::string::npos);
}

void TstChannelRelay::deadDestinationRetriesWithoutBlockingTheOrigin() {
    origin::ChannelStore storeA(origin::ChannelConfig{});
    auto serverA = origin::OriginServer::start(origin::OriginConfig{}, storeA);
    QVERIFY(serverA);
    const std::string spec = "http://127.0.0.1:" + std::to_string(push::test::freePort()) + "/live";
    RelayOptions options = fastOptions();
    options.finishDeadline = std::chrono::milliseconds(500);
    auto relay = ChannelRelay::start(storeA, spec, {}, options);
    QVERIFY(relay);
    auto channel = storeA.getOrCreate("talk");
    feedChannel(*channel, stream_, false);  // returns at once: the relay never holds the feed
    QTRY_VERIFY_WITH_TIMEOUT(!(*relay)->status().empty() &&
                                 (*relay)->status()[0].push.state == push::PushState::Retrying,
                             10000);
    const auto s = (*relay)->status()[0];
    QVERIFY2(s.push.lastError.find("cannot connect") != std::string::npos,
             s.push.lastError.c_str());
    // The origin still serves the channel it is relaying.
    for (const auto& t : channel->view()->tracks) {
        QCOMPARE(completeSegments(t).size(), size_t(4));
    }
    origin::test::TestClient client((*serverA)->port());
    QCOMPARE(client.get("/live/talk/index.m3u8").status, 200);
    (*relay)->stop();
    QVERIFY((*relay)->status()[0].push.state != push::PushState::Finished);
}

QTEST_GUILESS_MAIN(TstChannelRelay)
#include "tst_channel_relay.moc"

#include <QTest>

#include "publisher/origin/server/origin_server.h"
#include "publisher/relay/pull_client.h"
#include "relay_test_support.h"

using namespace podium;
using namespace podium::publisher;
using namespace podium::publisher::relay;
using namespace podium::publisher::relay::test;

class TstPullClient : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void channelFromUrl_data();
    void channelFromUrl();
    void readsTheOriginsPlaylists();
    void pullsAChannelByteIdentical();
    void deadPrimaryFallsBackToTheBackup();

private:
    void startUpstream();
    void compareChannels(const manifest::ChannelView& a, const manifest::ChannelView& b);

    TestStream stream_;
    std::unique_ptr<origin::ChannelStore> upstreamStore_;
    std::unique_ptr<origin::OriginServer> upstream_;
    std::string url_;
};

void TstPullClient::initTestCase() {
    stream_ = push::test::makeStream(4, {{"360p", 320, 180, 400}, {"180p", 160, 90, 150}}, true);
    upstreamStore_ = std::make_unique<origin::ChannelStore>(origin::ChannelConfig{});
    feedChannel(*upstreamStore_->getOrCreate("talk"), stream_);
    auto server = origin::OriginServer::start(origin::OriginConfig{}, *upstreamStore_);
    QVERIFY(server);
    upstream_ = std::move(*server);
    url_ = "http://127.0.0.1:" + std::to_string(upstream_->port()) + "/live/talk/index.m3u8";
}

void TstPullClient::channelFromUrl_data() {
    QTest::addColumn<QString>("url");
    QTest::addColumn<QString>("channel");  // empty: rejected
    QTest::newRow("origin layout") << "http://h:8080/live/talk/index.m3u8"
                                   << "talk";
    QTest::newRow("with a query") << "https://h/live/a-b_1/index.m3u8?x=1"
                                  << "a-b_1";
    QTest::newRow("not a multivariant playlist") << "http://h/live/talk/720p.m3u8"
                                                 << "";
    QTest::newRow("ftp") << "ftp://h/live/talk/index.m3u8"
                         << "";
}

void TstPullClient::channelFromUrl() {
    QFETCH(QString, url);
    QFETCH(QString, channel);
    const auto got = PullClient::channelFromUrl(url.toStdString());
    QCOMPARE(got.has_value(), !channel.isEmpty());
    if (got) {
        QCOMPARE(QString::fromStdString(*got), channel);
    }
}

void TstPullClient::readsTheOriginsPlaylists() {
    QCOMPARE(trackIdFromUri("720p/index.m3u8"), std::string("720p"));
    QCOMPARE(resolveUrl("http://h/live/talk/index.m3u8", "audio/index.m3u8"),
             std::string("http://h/live/talk/audio/index.m3u8"));
    QCOMPARE(resolveUrl("http://h/live/talk/360p/index.m3u8", "/x/init.mp4"),
             std::string("http://h/x/init.mp4"));
    const auto variants = parseMultivariant(
        "#EXTM3U\n#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID=\"aac\",NAME=\"main\",URI=\"audio/index.m3u8\"\n"
        "#EXT-X-STREAM-INF:BANDWIDTH=800000,CODECS=\"avc1.64001e,mp4a.40.2\",RESOLUTION=640x360,"
        "FRAME-RATE=30.000,AUDIO=\"aac\"\n360p/index.m3u8\n");
    QVERIFY(variants);
    QCOMPARE(variants->size(), size_t(2));
    QCOMPARE((*variants)[0].codecs, std::string("avc1.64001e,mp4a.40.2"));
    QCOMPARE((*variants)[0].height, 360);
    QVERIFY((*variants)[1].isAudio);
    const auto media = parseMediaPlaylist(
        "#EXTM3U\n#EXT-X-TARGETDURATION:2\n#EXT-X-MEDIA-SEQUENCE:7\n#EXT-X-MAP:URI=\"init.mp4\"\n"
        "#EXTINF:2.0,\nseg_7.m4s\n#EXT-X-DISCONTINUITY\n#EXTINF:1.5,\nseg_8.m4s\n"
        "#EXT-X-PART:DURATION=0.5,URI=\"part_9_0.m4s\"\n");
    QVERIFY(media);
    QCOMPARE(media->segments.size(), size_t(2));  // the in-progress part is not a segment
    QCOMPARE(media->segments[1].sequence, int64_t(8));
    QVERIFY(media->segments[1].discontinuity);
    QVERIFY(!media->ended);
}

void TstPullClient::compareChannels(const manifest::ChannelView& a,
                                    const manifest::ChannelView& b) {
    QCOMPARE(b.tracks.size(), a.tracks.size());
    for (const auto& ta : a.tracks) {
        const manifest::TrackView* tb = b.track(ta.info.id);
        QVERIFY2(tb, ta.info.id.c_str());
        QCOMPARE(tb->info.kind, ta.info.kind);
        QCOMPARE(tb->info.codecString, ta.info.codecString);
        QCOMPARE(tb->info.width, ta.info.width);
        QCOMPARE(tb->info.height, ta.info.height);
        QCOMPARE(tb->info.sampleRate, ta.info.sampleRate);
        QVERIFY(tb->init && tb->init->bytes == ta.init->bytes);
        const auto sa = completeSegments(ta);
        const auto sb = completeSegments(*tb);
        QCOMPARE(sb.size(), sa.size());
        for (size_t i = 0; i < sa.size(); ++i) {
            QVERIFY(*sb[i]->bytes == *sa[i]->bytes);
            QCOMPARE(sb[i]->start, sa[i]->start);
            QCOMPARE(sb[i]->duration, sa[i]->duration);
        }
    }
}

void TstPullClient::pullsAChannelByteIdentical() {
    origin::ChannelStore store(origin::ChannelConfig{});
    auto client = PullClient::start(store, url_);
    QVERIFY(client);
    QTRY_COMPARE_WITH_TIMEOUT((*client)->status().state, PullState::Finished, 15000);
    QCOMPARE((*client)->status().segments, uint64_t(12));
    auto channel = store.find("talk");
    QVERIFY(channel);
    QVERIFY(channel->view()->ended);
    compareChannels(*upstreamStore_->find("talk")->view(), *channel->view());
}

void TstPullClient::deadPrimaryFallsBackToTheBackup() {
    origin::ChannelStore store(origin::ChannelConfig{});
    const std::string dead =
        "http://127.0.0.1:" + std::to_string(push::test::freePort()) + "/live/talk/index.m3u8";
    auto client = PullClient::start(store, dead + "," + url_);
    QVERIFY(client);
    QTRY_COMPARE_WITH_TIMEOUT((*client)->status().state, PullState::Finished, 15000);
    const PullStatus s = (*client)->status();
    QCOMPARE(s.url, url_);
    QVERIFY(s.retries >= 1);
    compareChannels(*upstreamStore_->find("talk")->view(), *store.find("talk")->view());
}

QTEST_GUILESS_MAIN(TstPullClient)
#include "tst_pull_client.moc"

// The origin HTTP server end to end on loopback: a real OriginServer on port 0 over a
// ChannelStore fed with synthetic but valid CMAF (publisher/mp4 builders), and a Beast client.
#include <QtTest>

#include <memory>
#include <thread>

#include "origin_fixtures.h"
#include "origin_test_client.h"
#include "publisher/mp4/init_segment.h"
#include "publisher/mp4/media_segment.h"
#include "publisher/origin/server/origin_server.h"

using namespace podium;
using namespace podium::publisher;
using namespace podium::publisher::origin;
using namespace podium::publisher::origin::test;

class TstOriginServer : public QObject {
    Q_OBJECT

private slots:
    void init();
    void cleanup();
    void multivariantHeaders();
    void segmentsAndParts();
    void headAndOptions();
    void notFound_data();
    void notFound();
    void blockingReloadWakesOnNewSegment();
    void blockingReloadBadRequests_data();
    void blockingReloadBadRequests();
    void preloadHintPartWaits();
    void inProgressSegmentStreamsItsPartsAsTheyAreCut();
    void ingestCredentials();
    void badIngestKeepsOthersServing();
    void passcode();
    void keepAliveHundredRequests();
    void threeHundredParkedReloads();
    void siteEndpoints();
    void viewersBeaconTheirExperience();
    void presetLatencyTuningReachesPlayers();
    void busyPortIsAClearError();
    void blockingReloadTimesOut();
    void dashAndSmooth();
    void ingestIsFedAsBytesArrive();

private:
    void startServer(OriginConfig config = {});

    std::unique_ptr<ChannelStore> store_;
    std::unique_ptr<SyntheticFeed> feed_;
    std::unique_ptr<OriginServer> server_;
};

void TstOriginServer::init() {
    store_ = std::make_unique<ChannelStore>(channelConfig("defaults"));
    feed_ = std::make_unique<SyntheticFeed>(store_->getOrCreate("ug", nullptr));
    feed_->addSegment();
    feed_->addSegment();
    feed_->addPart();  // segment 2 in progress with one part
}

void TstOriginServer::cleanup() {
    server_.reset();
    feed_.reset();
    store_.reset();
}

void TstOriginServer::startServer(OriginConfig config) {
    auto started = OriginServer::start(std::move(config), *store_);
    QVERIFY2(started.has_value(), started ? "" : started.error().toString().c_str());
    server_ = std::move(*started);
    QVERIFY(server_->port() != 0);
}

void TstOriginServer::multivariantHeaders() {
    startServer();
    TestClient client(server_->port());
    const HttpResult r = client.get("/live/ug/index.m3u8");
    QCOMPARE(r.status, 200);
    QCOMPARE(r.header("content-type"), std::string("application/vnd.apple.mpegurl"));
    QCOMPARE(r.header("access-control-allow-origin"), std::string("*"));
    QVERIFY(!r.header("access-control-expose-headers").empty());
    QCOMPARE(r.header("cache-control"), std::string("public, max-age=1"));
    QCOMPARE(r.header("content-length"), std::to_string(r.body.size()));
    QVERIFY(r.body.rfind("#EXTM3U", 0) == 0);
    QVERIFY(r.body.find("720p/index.m3u8") != std::string::npos);

    const HttpResult media = client.get("/live/ug/720p/index.m3u8");
    QCOMPARE(media.status, 200);
    QVERIFY(media.body.find("seg_1.m4s") != std::string::npos);
    QVERIFY(media.body.find("part_2_0.m4s") != std::string::npos);
}

void TstOriginServer::segmentsAndParts() {
    startServer();
    TestClient client(server_->port());
    const HttpResult seg = client.get("/live/ug/720p/seg_1.m4s");
    QCOMPARE(seg.status, 200);
    QCOMPARE(seg.body, text(feed_->lastSegmentBytes()));
    QCOMPARE(seg.header("content-type"), std::string("video/mp4"));
    QCOMPARE(seg.header("cache-control"), std::string("public, max-age=31536000, immutable"));

    const HttpResult part = client.get("/live/ug/720p/part_2_0.m4s");  // in-progress segment
    QCOMPARE(part.status, 200);
    QCOMPARE(part.body, text(feed_->lastPartBytes()));

    const HttpResult init = client.get("/live/ug/720p/init.mp4");
    QCOMPARE(init.status, 200);
    QCOMPARE(init.body, text(mp4::buildInitSegment(videoTrack())));
}

void TstOriginServer::headAndOptions() {
    startServer();
    TestClient client(server_->port());
    const HttpResult head = client.request("HEAD", "/live/ug/720p/seg_0.m4s");
    QCOMPARE(head.status, 200);
    QVERIFY(head.body.empty());
    QVERIFY(std::stoul(head.header("content-length")) > 100);
    const HttpResult options = client.request("OPTIONS", "/live/ug/index.m3u8");
    QCOMPARE(options.status, 204);
    QCOMPARE(options.header("access-control-allow-origin"), std::string("*"));
    QVERIFY(options.header("access-control-allow-methods").find("GET") != std::string::npos);
    QCOMPARE(client.get("/healthz").status, 200);  // still the same connection
}

void TstOriginServer::notFound_data() {
    QTest::addColumn<QString>("target");
    QTest::newRow("unknown channel") << "/live/nope/index.m3u8";
    QTest::newRow("unknown track") << "/live/ug/1080p/index.m3u8";
    QTest::newRow("evicted or never segment") << "/live/ug/720p/seg_99.m4s";
    QTest::newRow("dot dot") << "/live/../../etc/passwd";
    QTest::newRow("encoded dot dot") << "/live/ug/%2e%2e/%2e%2e/etc/passwd";
    QTest::newRow("encoded slash") << "/assets/..%2f..%2fetc%2fpasswd";
    QTest::newRow("unknown asset") << "/assets/nope.js";
}

void TstOriginServer::notFound() {
    QFETCH(QString, target);
    startServer();
    TestClient client(server_->port());
    const HttpResult r = client.get(target.toStdString());
    QCOMPARE(r.status, 404);
    QCOMPARE(r.header("access-control-allow-origin"), std::string("*"));
}

void TstOriginServer::blockingReloadWakesOnNewSegment() {
    startServer();
    TestClient client(server_->port());
    // Ask for segment 3 (segment 2 is still open): the request must park.
    QVERIFY(client.send("GET", "/live/ug/720p/index.m3u8?_HLS_msn=3"));
    QTRY_COMPARE_WITH_TIMEOUT(server_->metrics().waitingRequests, uint64_t(1), 10000);
    std::thread writer([&] {
        feed_->addPart();
        feed_->addPart();
        feed_->addPart();  // completes segment 2
        feed_->addPart();  // segment 3 part 0
        feed_->addPart();
        feed_->addPart();
        feed_->addPart();  // completes segment 3
    });
    const HttpResult r = client.receive();
    writer.join();
    QCOMPARE(r.status, 200);
    QCOMPARE(r.header("cache-control"), std::string("no-cache"));
    QVERIFY2(r.body.find("seg_3.m4s") != std::string::npos, r.body.c_str());
    QCOMPARE(server_->metrics().waitingRequests, uint64_t(0));
}

void TstOriginServer::blockingReloadBadRequests_data() {
    QTest::addColumn<QString>("query");
    QTest::newRow("part without msn") << "?_HLS_part=1";
    QTest::newRow("far-future msn") << "?_HLS_msn=50";
    QTest::newRow("not a number") << "?_HLS_msn=abc";
}

void TstOriginServer::blockingReloadBadRequests() {
    QFETCH(QString, query);
    startServer();
    TestClient client(server_->port());
    QCOMPARE(client.get("/live/ug/720p/index.m3u8" + query.toStdString()).status, 400);
}

void TstOriginServer::preloadHintPartWaits() {
    startServer();
    TestClient client(server_->port());
    QVERIFY(client.send("GET", "/live/ug/720p/part_2_1.m4s"));  // the preload-hinted part
    QTRY_COMPARE_WITH_TIMEOUT(server_->metrics().waitingRequests, uint64_t(1), 10000);
    std::thread writer([&] { feed_->addPart(); });
    writer.join();
    const HttpResult r = client.receive();
    QCOMPARE(r.status, 200);
    QCOMPARE(r.body, text(feed_->lastPartBytes()));
    // Two parts ahead is not a hint: no wait.
    QCOMPARE(client.get("/live/ug/720p/part_2_3.m4s").status, 404);
}

// LL-DASH asks for the live-edge segment before it is complete: the origin answers at once
// and sends each CMAF chunk as an HTTP chunk when it is cut; the body equals the finished
// segment byte for byte, and the connection stays usable afterwards.
void TstOriginServer::inProgressSegmentStreamsItsPartsAsTheyAreCut() {
    startServer();
    TestClient client(server_->port());
    QVERIFY(client.send("GET", "/live/ug/720p/seg_2.m4s"));  // segment 2 has 1 of 4 parts
    QTRY_COMPARE_WITH_TIMEOUT(server_->metrics().waitingRequests, uint64_t(1), 10000);
    std::thread writer([&] {
        feed_->addPart();
        feed_->addPart();
        feed_->addPart();  // completes segment 2
    });
    writer.join();
    const HttpResult r = client.receive();
    QCOMPARE(r.status, 200);
    QCOMPARE(r.header("transfer-encoding"), std::string("chunked"));
    QCOMPARE(r.body, text(feed_->lastSegmentBytes()));
    QTRY_COMPARE_WITH_TIMEOUT(server_->metrics().waitingRequests, uint64_t(0), 10000);
    const HttpResult again = client.get("/live/ug/720p/seg_2.m4s");
    QCOMPARE(again.status, 200);
    QCOMPARE(again.body, r.body);
}

void TstOriginServer::ingestCredentials() {
    OriginConfig config;
    config.publishToken = "s3cret";
    startServer(config);
    const std::string url = "/live/pub.isml/Streams(enc)";
    {
        TestClient client(server_->port());
        const HttpResult r = client.request("POST", url, {}, "");
        QCOMPARE(r.status, 401);
        QCOMPARE(r.header("www-authenticate"), std::string("Basic realm=\"podium\""));
    }
    {
        TestClient client(server_->port());
        QCOMPARE(client.request("POST", url, {{"Authorization", "Bearer nope"}}).status, 403);
    }
    {
        TestClient client(server_->port());  // Basic with the token as password: probe → 200
        const std::string basic = "Basic " + std::string("ZW5jOnMzY3JldA==");  // enc:s3cret
        QCOMPARE(client.request("POST", url, {{"Authorization", basic}}).status, 200);
    }
    {
        TestClient client(server_->port());
        QCOMPARE(client.request("POST", url, {{"Authorization", "Bearer s3cret"}}).status, 200);
    }
}

void TstOriginServer::badIngestKeepsOthersServing() {
    OriginConfig config;
    config.publishToken = "tok";
    startServer(config);
    std::string garbage;
    for (int i = 0; i < 5000; ++i)
        garbage.push_back(char((i * 7919 + 13) % 251));
    TestClient publisher(server_->port());
    const HttpResult r = publisher.request("POST", "/live/bad.isml/Streams(v)",
                                           {{"Authorization", "Bearer tok"}}, garbage);
    QVERIFY2(r.status >= 400 && r.status < 500, r.error.c_str());
    QCOMPARE(r.header("connection"), std::string("close"));
    TestClient viewer(server_->port());
    QCOMPARE(viewer.get("/live/ug/720p/index.m3u8").status, 200);
}

void TstOriginServer::passcode() {
    OriginConfig config;
    config.viewPasscode = "let me in";
    startServer(config);
    TestClient client(server_->port());
    QCOMPARE(client.get("/live/ug/index.m3u8").status, 403);
    QCOMPARE(client.get("/live/ug/720p/seg_0.m4s").status, 403);
    QCOMPARE(client.get("/live/ug/index.m3u8?code=wrong").status, 403);
    QCOMPARE(client.get("/live/ug/index.m3u8?code=let%20me%20in").status, 200);

    const HttpResult form = client.get("/watch/ug");
    QCOMPARE(form.status, 200);
    QVERIFY(form.body.find("name=\"code\"") != std::string::npos);
    QVERIFY(form.header("set-cookie").empty());

    const HttpResult page = client.get("/watch/ug?code=let+me+in");
    QCOMPARE(page.status, 200);
    const std::string cookie = page.header("set-cookie");
    QVERIFY2(cookie.rfind("podium_view=", 0) == 0, cookie.c_str());
    QVERIFY(cookie.find("HttpOnly") != std::string::npos);
    QVERIFY(cookie.find("SameSite=Lax") != std::string::npos);
    const std::string pair = cookie.substr(0, cookie.find(';'));
    QCOMPARE(client.get("/live/ug/720p/seg_0.m4s", {{"Cookie", pair}}).status, 200);
    QCOMPARE(client.get("/live/ug/720p/seg_0.m4s", {{"Cookie", "podium_view=x"}}).status, 403);
    QCOMPARE(client.get("/healthz").status, 200);
    QCOMPARE(client.get("/metrics").status, 403);  // it names the channel (tst_origin_security)
    QCOMPARE(client.get("/metrics", {{"Cookie", pair}}).status, 200);
}

void TstOriginServer::keepAliveHundredRequests() {
    startServer();
    TestClient client(server_->port());
    for (int i = 0; i < 100; ++i) {
        const HttpResult r = client.get(i % 2 ? "/live/ug/720p/seg_0.m4s" : "/live/ug/index.m3u8");
        QCOMPARE(r.status, 200);
    }
    QCOMPARE(server_->metrics().openConnections, 1);
}

void TstOriginServer::threeHundredParkedReloads() {
    OriginConfig config;
    config.threads = 2;  // far fewer threads than waiting requests
    startServer(config);
    constexpr int kClients = 300;
    std::vector<std::unique_ptr<TestClient>> clients;
    const std::string target = "/live/ug/720p/index.m3u8?_HLS_msn=2&_HLS_part=1";
    for (int i = 0; i < kClients; ++i) {
        clients.push_back(std::make_unique<TestClient>(server_->port()));
        QVERIFY(clients.back()->connected());
        QVERIFY(clients.back()->send("GET", target));
    }
    QTRY_COMPARE_WITH_TIMEOUT(server_->metrics().waitingRequests, uint64_t(kClients), 20000);
    std::thread writer([&] { feed_->addPart(); });  // part 2_1 lands
    writer.join();
    for (auto& c : clients) {
        const HttpResult r = c->receive();
        QCOMPARE(r.status, 200);
        QVERIFY(r.body.find("part_2_1.m4s") != std::string::npos);
    }
}

namespace {

std::string beaconRequest(const std::string& channel, const std::string& body) {
    return "POST /qoe/" + channel + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: text/plain\r\n" +
           "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
}

}  // namespace

void TstOriginServer::viewersBeaconTheirExperience() {
    startServer();
    TestClient client(server_->port());
    // Two viewers report on one keep-alive connection (as sendBeacon does).
    QVERIFY(client.sendRaw(beaconRequest(
        "ug", R"({"viewer":"a1","behind":1.2,"g2g":0.9,"rendition":"720p","watchSeconds":30})")));
    QCOMPARE(client.receive().status, 204);
    QVERIFY(client.sendRaw(beaconRequest(
        "ug",
        R"({"viewer":"b2","behind":2.0,"rendition":"360p","stallSeconds":3,"watchSeconds":27})")));
    QCOMPARE(client.receive().status, 204);
    const std::string metrics = client.get("/metrics").body;
    for (const char* line :
         {"podium_qoe_viewers{channel=\"ug\"} 2",
          "podium_qoe_latency_seconds{channel=\"ug\",quantile=\"0.5\"} 1.2",
          "podium_qoe_latency_seconds{channel=\"ug\",quantile=\"0.95\"} 2",
          "podium_qoe_glass_to_glass_seconds{channel=\"ug\",quantile=\"0.5\"} 0.9",
          "podium_qoe_stall_ratio{channel=\"ug\"} 0.05",
          "podium_qoe_viewers_by_rendition{channel=\"ug\",rendition=\"360p\"} 1"}) {
        QVERIFY2(metrics.find(line) != std::string::npos, line);
    }
    // The same figures as JSON, for the studio and for scripts.
    const HttpResult api = client.get("/api/channels/ug/qoe");
    QCOMPARE(api.status, 200);
    QCOMPARE(api.header("content-type"), std::string("application/json"));
    for (const char* field :
         {"\"channel\":\"ug\"", "\"viewers\":2", "\"behindLive\":{\"p50\":1.2,\"p95\":2.0}",
          "\"glassToGlass\":{\"p50\":0.9,\"p95\":0.9}", "\"renditions\":{\"360p\":1,\"720p\":1}",
          "\"stallRatio\":0.05"}) {
        QVERIFY2(api.body.find(field) != std::string::npos, (api.body + " lacks " + field).c_str());
    }
    QCOMPARE(client.get("/api/channels/nobody/qoe").status, 404);
    // The same viewer again at once: refused, and its first report stands.
    QVERIFY(client.sendRaw(beaconRequest("ug", R"({"viewer":"a1","behind":9})")));
    const HttpResult tooSoon = client.receive();
    QCOMPARE(tooSoon.status, 429);
    QCOMPARE(tooSoon.header("retry-after"), std::string("1"));
    // A malformed beacon is a 400 naming the field, and the channel keeps serving.
    QVERIFY(client.sendRaw(beaconRequest("ug", R"({"viewer":"c3","behind":"soon"})")));
    const HttpResult bad = client.receive();
    QCOMPARE(bad.status, 400);
    QVERIFY2(bad.body.find("behind") != std::string::npos, bad.body.c_str());
    QCOMPARE(client.get("/live/ug/index.m3u8").status, 200);
    // No such channel; a GET; a body over the limit (refused unread, connection closed).
    QVERIFY(client.sendRaw(beaconRequest("nobody", R"({"viewer":"d4"})")));
    QCOMPARE(client.receive().status, 404);
    QCOMPARE(client.get("/qoe/ug").status, 405);
    QVERIFY(client.sendRaw(beaconRequest("ug", std::string(3000, ' '))));
    QCOMPARE(client.receive().status, 413);
    QVERIFY(client.closedByPeer());
    TestClient again(server_->port());
    QVERIFY(again.sendRaw(beaconRequest("ug", R"({"viewer":"a1","leaving":true})")));
    QCOMPARE(again.receive().status, 204);
    QVERIFY(again.get("/metrics").body.find("podium_qoe_viewers{channel=\"ug\"} 1") !=
            std::string::npos);
}

// A channel made from a low-latency preset tells players to stay close: PART-HOLD-BACK at 2
// part targets (0.5 s parts here) and the DASH ServiceDescription target from the preset.
void TstOriginServer::presetLatencyTuningReachesPlayers() {
    ChannelConfig config = channelConfig("fast");
    config.partHoldBackParts = 2;
    config.dashLatencyTargetMs = 1000;
    SyntheticFeed feed(store_->getOrCreate("fast", &config));
    feed.addSegment();
    feed.addPart();
    startServer();
    TestClient client(server_->port());
    const HttpResult playlist = client.get("/live/fast/720p/index.m3u8");
    QCOMPARE(playlist.status, 200);
    QVERIFY2(playlist.body.find("PART-HOLD-BACK=1.00000,") != std::string::npos,
             playlist.body.c_str());
    const HttpResult mpd = client.get("/live/fast/index.mpd");
    QCOMPARE(mpd.status, 200);
    QVERIFY2(mpd.body.find("<Latency target=\"1000\"") != std::string::npos, mpd.body.c_str());
    // The other channel keeps the defaults (3 parts of 0.5 s).
    QVERIFY(client.get("/live/ug/720p/index.m3u8").body.find("PART-HOLD-BACK=1.50000,") !=
            std::string::npos);
}

void TstOriginServer::siteEndpoints() {
    startServer();
    TestClient client(server_->port());
    const HttpResult time = client.get("/time");
    QCOMPARE(time.status, 200);
    QVERIFY2(QRegularExpression(R"(^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$)")
                 .match(QString::fromStdString(time.body))
                 .hasMatch(),
             time.body.c_str());
    QCOMPARE(client.get("/healthz").body, std::string("ok\n"));
    const HttpResult api = client.get("/api/channels");
    QCOMPARE(api.status, 200);
    QCOMPARE(api.header("content-type"), std::string("application/json"));
    QVERIFY(api.body.find("\"name\":\"ug\"") != std::string::npos);
    QVERIFY(api.body.find("\"watchUrl\":\"/watch/ug\"") != std::string::npos);
    client.get("/live/ug/720p/seg_0.m4s");
    const HttpResult metrics = client.get("/metrics");
    QCOMPARE(metrics.status, 200);
    QVERIFY(metrics.body.find("podium_origin_requests_total{kind=\"segment\"} 1") !=
            std::string::npos);
    QVERIFY(metrics.body.find("podium_origin_viewers 1") != std::string::npos);
    QVERIFY(metrics.body.find("podium_origin_ingest_bytes_total{channel=\"ug\",track=\"720p\"}") !=
            std::string::npos);
    QVERIFY(metrics.body.find("podium_origin_newest_segment_age_seconds{channel=\"ug\"") !=
            std::string::npos);
    QCOMPARE(client.get("/").status, 200);
    QCOMPARE(client.get("/watch/ug").status, 200);
    const HttpResult js = client.get("/assets/hls.min.js");
    QCOMPARE(js.status, 200);
    QVERIFY(js.header("content-type").find("javascript") != std::string::npos);
}

void TstOriginServer::busyPortIsAClearError() {
    startServer();
    OriginConfig config;
    config.port = server_->port();
    auto second = OriginServer::start(config, *store_);
    QVERIFY(!second.has_value());
    const std::string message = second.error().toString();
    QVERIFY2(message.find("cannot listen on 127.0.0.1:" + std::to_string(config.port) +
                          ": Address already in use") != std::string::npos,
             message.c_str());
}

void TstOriginServer::blockingReloadTimesOut() {
    ChannelConfig config = channelConfig("short");
    config.segmentTarget = MediaTime{90000, 90000};  // 1 s: the wait is bounded by 3 s
    SyntheticFeed feed(store_->getOrCreate("short", &config));
    feed.addPart();
    startServer();
    TestClient client(server_->port());
    const HttpResult r = client.get("/live/short/720p/index.m3u8?_HLS_msn=1");
    QCOMPARE(r.status, 503);
    QCOMPARE(server_->metrics().waitingRequests, uint64_t(0));
    QCOMPARE(client.get("/healthz").status, 200);  // the connection stays usable
}

void TstOriginServer::dashAndSmooth() {
    startServer();
    TestClient client(server_->port());
    const HttpResult mpd = client.get("/live/ug/index.mpd");
    QCOMPARE(mpd.status, 200);
    QCOMPARE(mpd.header("content-type"), std::string("application/dash+xml"));
    QVERIFY2(mpd.body.find("http://127.0.0.1/time") != std::string::npos, mpd.body.c_str());
    const HttpResult smooth = client.get("/live/ug.isml/Manifest");
    QCOMPARE(smooth.status, 200);
    QVERIFY(smooth.header("content-type").rfind("text/xml", 0) == 0);
    // Segment 1 is among the newest `lookahead` complete fragments: not announced yet.
    const HttpResult early = client.get(
        "/live/ug.isml/QualityLevels(2500000)/Fragments(video=" + std::to_string(180000) + ")");
    QCOMPARE(early.status, 412);
    QCOMPARE(client.get("/live/ug.isml/QualityLevels(1)/Fragments(video=0)").status, 404);
}

void TstOriginServer::ingestIsFedAsBytesArrive() {
    startServer();  // no token: open ingest
    // A CMAF header and one fragment, as an encoder pushes them: chunked, body left open.
    TrackInfo track = videoTrack();
    std::vector<uint8_t> body = mp4::buildInitSegment(track);
    std::vector<std::vector<uint8_t>> payloads(30, std::vector<uint8_t>{0, 0, 0, 2, 0x65, 1});
    std::vector<mp4::Sample> samples;
    for (int i = 0; i < 30; ++i)
        samples.push_back({kFrameTicks, i == 0, 0, payloads[i]});
    mp4::ChunkConfig chunk;
    chunk.stypBrands = mp4::segmentStypBrands();
    const std::vector<uint8_t> fragment = mp4::buildChunk(chunk, samples);
    body.insert(body.end(), fragment.begin(), fragment.end());

    namespace asio = boost::asio;
    asio::io_context ioc;
    asio::ip::tcp::socket socket(ioc);
    socket.connect({asio::ip::make_address("127.0.0.1"), server_->port()});
    char size[32];
    std::snprintf(size, sizeof size, "%zx\r\n", body.size());
    const std::string head =
        "POST /live/pushed.isml/Streams(cam) HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        "Transfer-Encoding: chunked\r\n\r\n" +
        std::string(size);
    asio::write(socket, asio::buffer(head));
    asio::write(socket, asio::buffer(body));
    asio::write(socket, asio::buffer(std::string("\r\n")));
    // The fragment becomes a stored segment while the body is still open.
    auto segments = [&]() -> std::size_t {
        auto channel = store_->find("pushed");
        if (!channel)
            return 0;
        const podium::publisher::manifest::ChannelViewPtr view = channel->view();
        return view->tracks.empty() ? 0 : view->tracks.front().segments.size();
    };
    QTRY_COMPARE_WITH_TIMEOUT(segments(), std::size_t(1), 10000);
    asio::write(socket, asio::buffer(std::string("0\r\n\r\n")));
    boost::beast::flat_buffer buffer;
    boost::beast::http::response<boost::beast::http::string_body> res;
    boost::beast::http::read(socket, buffer, res);
    QCOMPARE(res.result_int(), 200u);
    TestClient viewer(server_->port());
    QCOMPARE(viewer.get("/live/pushed/cam/init.mp4").status, 200);
}

QTEST_GUILESS_MAIN(TstOriginServer)
#include "tst_origin_server.moc"

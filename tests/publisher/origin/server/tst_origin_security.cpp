// Publishing and viewing security of the origin (issue #9 item 6), over real loopback HTTP to
// a real OriginServer: per-channel publish tokens, the viewer passcode on every page that names
// a channel, the metrics token, and no secret ever in the log.
#include <QtTest>

#include <unistd.h>

#include <memory>
#include <thread>

#include "origin_fixtures.h"
#include "origin_test_client.h"
#include "publisher/origin/server/origin_server.h"

using namespace podium;
using namespace podium::publisher;
using namespace podium::publisher::origin;
using namespace podium::publisher::origin::test;

class TstOriginSecurity : public QObject {
    Q_OBJECT

private slots:
    void init();
    void cleanup();
    void perChannelPublishTokens();
    void passcodeGuardsEveryChannelListing();
    void metricsToken();
    void audienceNeedsPasscodeOrPublishToken();
    void secretsNeverReachTheLog();

private:
    void startServer(OriginConfig config);

    std::unique_ptr<ChannelStore> store_;
    std::unique_ptr<SyntheticFeed> feed_;
    std::unique_ptr<OriginServer> server_;
};

namespace {

std::string bearer(const std::string& token) {
    return "Bearer " + token;
}

std::string basic(const std::string& user, const std::string& password) {
    return "Basic " + QByteArray::fromStdString(user + ":" + password).toBase64().toStdString();
}

/// Captures what the process writes to stderr (the log) while alive.
class StderrCapture {
public:
    StderrCapture() {
        file_.open();
        saved_ = ::dup(2);
        ::dup2(file_.handle(), 2);
    }
    ~StderrCapture() { restore(); }
    QString text() {
        restore();
        file_.seek(0);
        return QString::fromUtf8(file_.readAll());
    }

private:
    void restore() {
        if (saved_ >= 0) {
            std::fflush(stderr);
            ::dup2(saved_, 2);
            ::close(saved_);
            saved_ = -1;
        }
    }
    QTemporaryFile file_;
    int saved_ = -1;
};

}  // namespace

void TstOriginSecurity::init() {
    store_ = std::make_unique<ChannelStore>(channelConfig("defaults"));
    feed_ = std::make_unique<SyntheticFeed>(store_->getOrCreate("ug", nullptr));
    feed_->addSegment();
    feed_->addSegment();
}

void TstOriginSecurity::cleanup() {
    server_.reset();
    feed_.reset();
    store_.reset();
}

void TstOriginSecurity::startServer(OriginConfig config) {
    auto started = OriginServer::start(std::move(config), *store_);
    QVERIFY2(started.has_value(), started ? "" : started.error().toString().c_str());
    server_ = std::move(*started);
}

// --publish-token-file: "cam1 tok-a" lets an encoder publish cam1 only; "* tok-all" any
// channel; --publish-token (any channel) works beside it.
void TstOriginSecurity::perChannelPublishTokens() {
    OriginConfig config;
    auto tokens = PublishTokens::parse("cam1 tok-a\n* tok-all\n", "tokens.txt");
    QVERIFY(tokens);
    config.publishTokens = *tokens;
    config.publishToken = "flag-token";
    startServer(config);
    const std::string body = text(cmafBody({}));
    auto post = [&](const std::string& channel, const std::string& authorization) {
        TestClient encoder(server_->port());
        std::map<std::string, std::string> headers;
        if (!authorization.empty())
            headers["Authorization"] = authorization;
        return encoder.request("POST", "/live/" + channel + ".isml/Streams(v)", headers, body)
            .status;
    };
    QCOMPARE(post("cam1", ""), 401);
    QCOMPARE(post("cam2", bearer("tok-a")), 403);
    QVERIFY(!store_->find("cam2"));
    QCOMPARE(post("cam1", bearer("tok-a")), 200);
    QCOMPARE(post("cam2", bearer("tok-all")), 200);
    QCOMPARE(post("cam3", bearer("flag-token")), 200);
    QCOMPARE(storedSegments(*store_, "cam1"), std::size_t(1));
}

// With a viewer passcode, what names a channel needs it: media, /watch, and now also the
// landing page, /api/channels and /metrics (which used to list the channel to anyone).
void TstOriginSecurity::passcodeGuardsEveryChannelListing() {
    OriginConfig config;
    config.viewPasscode = "let me in";
    startServer(config);
    TestClient client(server_->port());
    const HttpResult landing = client.get("/");
    QCOMPARE(landing.status, 200);
    QVERIFY(landing.body.find("name=\"code\"") != std::string::npos);
    QVERIFY(landing.body.find("/api/channels") == std::string::npos);
    QCOMPARE(client.get("/api/channels").status, 403);
    QCOMPARE(client.get("/api/channels?code=wrong").status, 403);
    const HttpResult metrics = client.get("/metrics");
    QCOMPARE(metrics.status, 403);
    QVERIFY(metrics.body.find("ug") == std::string::npos);

    const HttpResult page = client.get("/?code=let+me+in");
    QCOMPARE(page.status, 200);
    QVERIFY(page.body.find("/api/channels") != std::string::npos);  // the real landing page
    const std::string cookie = page.header("set-cookie");
    QVERIFY2(cookie.rfind("podium_view=", 0) == 0, cookie.c_str());
    const std::string pair = cookie.substr(0, cookie.find(';'));
    const HttpResult list = client.get("/api/channels", {{"Cookie", pair}});
    QCOMPARE(list.status, 200);
    QVERIFY(list.body.find("\"name\":\"ug\"") != std::string::npos);
    QCOMPARE(client.get("/metrics", {{"Cookie", pair}}).status, 200);
    QCOMPARE(client.get("/healthz").status, 200);  // liveness names nothing: open
    QCOMPARE(client.get("/live/ug/720p/seg_0.m4s", {{"Cookie", pair}}).status, 200);
}

// --metrics-token: Prometheus sends it as Bearer; without it 401, a wrong one 403. The viewer
// passcode does not open /metrics then.
void TstOriginSecurity::metricsToken() {
    OriginConfig config;
    config.metricsToken = "scrape-me";
    config.viewPasscode = "let me in";
    startServer(config);
    TestClient client(server_->port());
    const HttpResult missing = client.get("/metrics");
    QCOMPARE(missing.status, 401);
    QCOMPARE(missing.header("www-authenticate"), std::string("Bearer realm=\"podium\""));
    QCOMPARE(client.get("/metrics", {{"Authorization", bearer("nope")}}).status, 403);
    QCOMPARE(client.get("/metrics?code=let+me+in").status, 401);
    const HttpResult ok = client.get("/metrics", {{"Authorization", bearer("scrape-me")}});
    QCOMPARE(ok.status, 200);
    QVERIFY(ok.body.find("podium_origin_requests_total") != std::string::npos);
}

// GET /api/channels/<ch>/qoe: viewers with the passcode, or the channel's publisher with its
// push token (a studio reading its destination's audience). Another channel's token, a wrong
// one, or a header when the origin has no token at all opens nothing.
void TstOriginSecurity::audienceNeedsPasscodeOrPublishToken() {
    OriginConfig config;
    config.viewPasscode = "let me in";
    auto tokens = PublishTokens::parse("cam1 tok-a\n", "tokens.txt");
    QVERIFY(tokens);
    config.publishTokens = *tokens;
    config.publishToken = "flag-token";
    startServer(config);
    TestClient client(server_->port());
    const std::string url = "/api/channels/ug/qoe";
    QCOMPARE(client.get(url).status, 403);
    QCOMPARE(client.get(url + "?code=wrong").status, 403);
    QCOMPARE(client.get(url, {{"Authorization", bearer("tok-a")}}).status, 403);  // cam1's
    QCOMPARE(client.get(url, {{"Authorization", bearer("nope")}}).status, 403);
    const HttpResult viewer = client.get(url + "?code=let+me+in");
    QCOMPARE(viewer.status, 200);
    QVERIFY2(viewer.body.find("\"viewers\":0") != std::string::npos, viewer.body.c_str());
    QCOMPARE(client.get(url, {{"Authorization", bearer("flag-token")}}).status, 200);
    QCOMPARE(client.get(url, {{"Authorization", basic("studio", "flag-token")}}).status, 200);

    server_.reset();
    OriginConfig open;
    open.viewPasscode = "let me in";  // no publish token: a header proves nothing
    startServer(open);
    TestClient other(server_->port());
    QCOMPARE(other.get(url, {{"Authorization", bearer("anything")}}).status, 403);
}

// Tokens and passcodes never appear in the log, whatever goes wrong: wrong tokens, a failed
// ingest, passcodes in query strings, a streamed segment that times out (its target used to be
// logged with ?code=...), a wrong metrics token.
void TstOriginSecurity::secretsNeverReachTheLog() {
    const std::string passcode = "pass-XY7Q2";
    const std::string token = "tok-SECRET-987";
    const std::string metrics = "met-SECRET-555";
    const std::string wrongToken = "wrong-SECRET-111";
    ChannelConfig shortConfig = channelConfig("short");
    shortConfig.segmentTarget = MediaTime{90000, 90000};  // streams wait at most 3 s
    SyntheticFeed shortFeed(store_->getOrCreate("short", &shortConfig));
    shortFeed.addPart();  // segment 0 open with one part
    OriginConfig config;
    config.publishToken = token;
    config.viewPasscode = passcode;
    config.metricsToken = metrics;
    StderrCapture log;
    startServer(config);
    {
        TestClient encoder(server_->port());
        QCOMPARE(encoder
                     .request("POST", "/live/x.isml/Streams(v)?token=" + wrongToken,
                              {{"Authorization", bearer(wrongToken)}}, "abc")
                     .status,
                 403);
    }
    {
        TestClient encoder(server_->port());
        const HttpResult r =
            encoder.request("POST", "/live/x.isml/Streams(v)?code=" + passcode,
                            {{"Authorization", bearer(token)}}, std::string(300, 'z'));
        QVERIFY(r.status >= 400 && r.status < 500);
    }
    TestClient viewer(server_->port());
    QCOMPARE(viewer.get("/live/ug/720p/index.m3u8?code=" + passcode).status, 200);
    QCOMPARE(viewer.get("/live/ug/index.m3u8?code=" + wrongToken).status, 403);
    QCOMPARE(viewer.get("/metrics", {{"Authorization", bearer(wrongToken)}}).status, 403);
    QCOMPARE(viewer.get("/metrics", {{"Authorization", bearer(metrics)}}).status, 200);
    // The open segment is streamed and never completes: the stream times out and is logged.
    TestClient streamer(server_->port(), 20);
    QVERIFY(streamer.send("GET", "/live/short/720p/seg_0.m4s?code=" + passcode));
    QVERIFY(streamer.closedByPeer());
    server_.reset();
    const QString text = log.text();
    qInfo().noquote() << "log:\n" << text;
    QVERIFY2(text.contains("did not complete"), "the stream timeout was not logged");
    QVERIFY2(text.contains("ingest /live/x.isml/Streams(v) from 127.0.0.1"), "no ingest line");
    for (const std::string& secret : {passcode, token, metrics, wrongToken}) {
        QVERIFY2(!text.contains(QString::fromStdString(secret)), secret.c_str());
    }
}

QTEST_GUILESS_MAIN(TstOriginSecurity)
#include "tst_origin_security.moc"

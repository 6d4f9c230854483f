// The audience of a push destination that is a podium-origin (issue #12): the studio reads
// GET /api/channels/<ch>/qoe of a real OriginServer on loopback with its push token.
#include <QtTest>

#include <chrono>
#include <memory>
#include <thread>

#include "publisher/origin/channel_store.h"
#include "publisher/origin/server/origin_server.h"
#include "publisher/relay/remote_audience.h"

using namespace podium;
using namespace podium::publisher;
using namespace std::chrono_literals;

namespace {

/// Polls `done` every 20 ms until it holds or `timeout` passes.
template <typename F>
bool waitFor(F done, std::chrono::milliseconds timeout) {
    const auto until = std::chrono::steady_clock::now() + timeout;
    while (!done()) {
        if (std::chrono::steady_clock::now() >= until) {
            return false;
        }
        std::this_thread::sleep_for(20ms);
    }
    return true;
}

}  // namespace

class TstRemoteAudience : public QObject {
    Q_OBJECT

private slots:
    void init();
    void cleanup();
    void audienceUrlOfAnIngestUrl_data();
    void audienceUrlOfAnIngestUrl();
    void readsTheOriginsAudienceWithThePushToken();
    void aWrongTokenIsReportedNotShown();
    void anUnknownChannelIsNotAnAudience();

private:
    std::string base() const { return "http://127.0.0.1:" + std::to_string(server_->port()); }

    std::unique_ptr<origin::ChannelStore> store_;
    std::unique_ptr<origin::OriginServer> server_;
};

void TstRemoteAudience::init() {
    origin::ChannelConfig defaults;
    defaults.name = "defaults";
    store_ = std::make_unique<origin::ChannelStore>(defaults);
    auto channel = store_->getOrCreate("ug", nullptr);
    origin::QoeBeacon viewer;
    viewer.viewer = "v1";
    viewer.behindLiveSeconds = 1.25;
    viewer.rendition = "720p";
    viewer.watchSeconds = 20;
    QCOMPARE(channel->qoe().add(viewer, origin::QoeTable::Clock::now()),
             origin::QoeTable::Outcome::Counted);
    origin::OriginConfig config;
    config.publishToken = "push-secret";
    config.viewPasscode = "viewers only";
    auto started = origin::OriginServer::start(config, *store_);
    QVERIFY2(started.has_value(), started ? "" : started.error().toString().c_str());
    server_ = std::move(*started);
}

void TstRemoteAudience::cleanup() {
    server_.reset();
    store_.reset();
}

void TstRemoteAudience::audienceUrlOfAnIngestUrl_data() {
    QTest::addColumn<QString>("ingest");
    QTest::addColumn<QString>("audience");  // "" = none
    QTest::newRow("smooth") << "http://host:8080/live/ug.isml"
                            << "http://host:8080/api/channels/ug/qoe";
    QTest::newRow("with event") << "https://host/live/ug.isml/Events(e1)"
                                << "https://host/api/channels/ug/qoe";
    QTest::newRow("behind a proxy prefix") << "https://cdn.example/podium/live/ug.isml"
                                           << "https://cdn.example/podium/api/channels/ug/qoe";
    QTest::newRow("azure style") << "http://x.channel.media.azure.net/ingest.isml"
                                 << "";
    QTest::newRow("plain web server") << "http://host/dav/ug"
                                      << "";
    QTest::newRow("bad channel name") << "http://host/live/u%2Fg.isml"
                                      << "";
}

void TstRemoteAudience::audienceUrlOfAnIngestUrl() {
    QFETCH(QString, ingest);
    QFETCH(QString, audience);
    const auto url = relay::RemoteAudience::audienceUrlFor(ingest.toStdString());
    QCOMPARE(QString::fromStdString(url.value_or("")), audience);
}

void TstRemoteAudience::readsTheOriginsAudienceWithThePushToken() {
    push::RequestSettings settings;
    settings.bearerToken = "push-secret";
    const auto url = relay::RemoteAudience::audienceUrlFor(base() + "/live/ug.isml");
    QVERIFY(url);
    auto started = relay::RemoteAudience::start(settings, *url, 100ms);
    QVERIFY(started);
    auto audience = std::move(*started);
    // One snapshot per look: a summary goes stale after 3 periods, so two calls may differ.
    relay::RemoteAudienceStatus seen;
    QVERIFY(waitFor(
        [&] {
            seen = audience->status();
            return seen.summary.has_value();
        },
        10s));
    const auto summary = *seen.summary;
    QCOMPARE(summary.viewers, std::size_t(1));
    QCOMPARE(summary.behindLiveP50, std::optional<double>(1.25));
    QCOMPARE(summary.viewersByRendition.at("720p"), std::size_t(1));
    QVERIFY(seen.lastError.empty());
    // A second viewer shows on a later poll.
    origin::QoeBeacon second;
    second.viewer = "v2";
    second.rendition = "360p";
    QCOMPARE(store_->find("ug")->qoe().add(second, origin::QoeTable::Clock::now()),
             origin::QoeTable::Outcome::Counted);
    QVERIFY(waitFor(
        [&] {
            const auto now = audience->status();
            return now.summary && now.summary->viewers == 2;
        },
        10s));
    // The origin goes away: the figure goes stale instead of standing forever.
    server_.reset();
    QVERIFY(waitFor([&] { return !audience->status().summary.has_value(); }, 10s));
    QVERIFY(!audience->status().lastError.empty());
}

void TstRemoteAudience::aWrongTokenIsReportedNotShown() {
    push::RequestSettings settings;
    settings.bearerToken = "not-the-token";
    auto audience = std::move(*relay::RemoteAudience::start(
        settings, *relay::RemoteAudience::audienceUrlFor(base() + "/live/ug.isml"), 50ms));
    QVERIFY(waitFor([&] { return !audience->status().lastError.empty(); }, 10s));
    QVERIFY2(audience->status().lastError.find("403") != std::string::npos,
             audience->status().lastError.c_str());
    QVERIFY(!audience->status().summary.has_value());
}

void TstRemoteAudience::anUnknownChannelIsNotAnAudience() {
    push::RequestSettings settings;
    settings.bearerToken = "push-secret";
    auto audience = std::move(*relay::RemoteAudience::start(
        settings, *relay::RemoteAudience::audienceUrlFor(base() + "/live/nobody.isml"), 50ms));
    QVERIFY(waitFor([&] { return !audience->status().lastError.empty(); }, 10s));
    QVERIFY2(audience->status().lastError.find("404") != std::string::npos,
             audience->status().lastError.c_str());
    QVERIFY(!audience->status().summary.has_value());
}

QTEST_GUILESS_MAIN(TstRemoteAudience)
#include "tst_remote_audience.moc"

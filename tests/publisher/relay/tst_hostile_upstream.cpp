// Issue #9 row 5: `--pull-from` an upstream that lies. A fragment whose trun claims 2^31
// samples killed the whole origin (std::bad_alloc on the pull thread); bodies were unbounded,
// any URI scheme was fetched and redirects followed. Now each ends in a logged error and a
// retry, and the pull recovers when the upstream does. The upstream is a tiny test server
// (HostileUpstream); the pulled channel is a real ChannelStore.
#include <QTest>

#include <memory>
#include <string>

#include "../origin/ingest/hostile_bodies.h"
#include "hostile_upstream.h"
#include "publisher/relay/pull_client.h"

using namespace podium;
using namespace podium::publisher;
using namespace podium::publisher::relay;
using podium::publisher::relay::test::HostileUpstream;
using podium::publisher::relay::test::UpstreamReply;
namespace ingest = podium::publisher::origin::test;

namespace {

const char kMultivariant[] = "/live/ch/index.m3u8";
const char kMedia[] = "/live/ch/video/index.m3u8";
const char kInit[] = "/live/ch/video/init.mp4";
const char kSegment[] = "/live/ch/video/seg_0.m4s";

std::string text(const std::vector<uint8_t>& bytes) {
    return std::string(bytes.begin(), bytes.end());
}

UpstreamReply ok(std::string body) {
    return UpstreamReply{200, {}, std::move(body), false};
}

UpstreamReply redirect(const std::string& location) {
    return UpstreamReply{302, {{"Location", location}}, {}, false};
}

std::string mediaPlaylist(const std::string& mapUri = "init.mp4") {
    return "#EXTM3U\n#EXT-X-TARGETDURATION:1\n#EXT-X-MEDIA-SEQUENCE:0\n#EXT-X-MAP:URI=\"" + mapUri +
           "\"\n#EXTINF:1.0,\nseg_0.m4s\n";
}

/// An upstream serving one good single-segment channel "ch" (then the test breaks a route).
void serveGoodChannel(HostileUpstream& up) {
    up.set(kMultivariant, ok("#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=300000,RESOLUTION=320x240\n"
                             "video/index.m3u8\n"));
    up.set(kMedia, ok(mediaPlaylist()));
    up.set(kInit, ok(text(ingest::hostileHeader())));
    up.set(kSegment, ok(text(ingest::fragmentBytes(ingest::goodFragment(1, 0)))));
}

PullOptions fastRetries() {
    PullOptions options;
    options.retry =
        push::RetryConfig{std::chrono::milliseconds(20), 1.5, std::chrono::milliseconds(100), 0.0};
    options.minReload = std::chrono::milliseconds(20);
    options.requestTimeout = std::chrono::milliseconds(5000);
    return options;
}

size_t storedSegments(const origin::ChannelStore& store) {
    const auto channel = store.find("ch");
    if (!channel) {
        return 0;
    }
    size_t n = 0;
    for (const auto& t : channel->view()->tracks) {
        n += t.segments.size();
    }
    return n;
}

}  // namespace

class TstHostileUpstream : public QObject {
    Q_OBJECT
private slots:
    void hostileFragmentIsAnErrorAndARetry();
    void refusedUpstream_data();
    void refusedUpstream();
    void sameSchemeRedirectIsFollowed();
    void trackIdsFromUrisAreSafe_data();
    void trackIdsFromUrisAreSafe();
    void hostilePlaylistsAreRefused_data();
    void hostilePlaylistsAreRefused();
};

void TstHostileUpstream::hostileFragmentIsAnErrorAndARetry() {
    HostileUpstream up;
    serveGoodChannel(up);
    up.set(kSegment, ok(text(ingest::countOnlyFragment(0x80000000u))));
    origin::ChannelStore store(origin::ChannelConfig{});
    auto client = PullClient::start(store, up.url(kMultivariant), fastRetries());
    QVERIFY(client);
    // The same segment is fetched again and again, each time refused with the reason.
    QTRY_VERIFY_WITH_TIMEOUT(up.hits(kSegment) >= 3, 10000);
    const PullStatus failing = (*client)->status();
    QCOMPARE(failing.state, PullState::Retrying);
    QVERIFY2(failing.lastError.find("sample_count 2147483648") != std::string::npos,
             failing.lastError.c_str());
    QVERIFY(failing.retries >= 2);
    QCOMPARE(storedSegments(store), size_t(0));
    // The upstream is fixed: the pull goes live without a restart.
    up.set(kSegment, ok(text(ingest::fragmentBytes(ingest::goodFragment(1, 0)))));
    QTRY_COMPARE_WITH_TIMEOUT(storedSegments(store), size_t(1), 10000);
    QTRY_COMPARE_WITH_TIMEOUT((*client)->status().state, PullState::Live, 10000);
}

void TstHostileUpstream::refusedUpstream_data() {
    QTest::addColumn<QString>("route");
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("location");  // for 3xx
    QTest::addColumn<QString>("body");      // "big" or "bigchunked" for 1 MiB
    QTest::addColumn<QString>("mustSay");
    QTest::newRow("1 MiB segment with a Content-Length (limit 64 KiB)")
        << kSegment << 200 << ""
        << "big"
        << "larger than 65536 bytes";
    QTest::newRow("1 MiB segment, chunked, no length") << kSegment << 200 << ""
                                                       << "bigchunked"
                                                       << "larger than 65536 bytes";
    QTest::newRow("1 MiB media playlist (limit 4 KiB)") << kMedia << 200 << ""
                                                        << "big"
                                                        << "larger than 4096 bytes";
    QTest::newRow("EXT-X-MAP to file://") << kMedia << 200 << ""
                                          << "map:file:///etc/passwd"
                                          << "only http and https";
    QTest::newRow("redirect to file://") << kInit << 302 << "file:///etc/passwd"
                                         << ""
                                         << "scheme other than http";
    QTest::newRow("redirect to ftp://") << kInit << 302 << "ftp://127.0.0.1/init.mp4"
                                        << ""
                                        << "scheme other than http";
    QTest::newRow("redirect loop") << kInit << 302 << kInit << ""
                                   << "more than 3 redirects";
}

void TstHostileUpstream::refusedUpstream() {
    QFETCH(QString, route);
    QFETCH(int, status);
    QFETCH(QString, location);
    QFETCH(QString, body);
    QFETCH(QString, mustSay);
    HostileUpstream up;
    serveGoodChannel(up);
    UpstreamReply reply{status, {}, {}, false};
    if (!location.isEmpty()) {
        reply = redirect(location.toStdString());
    } else if (body.startsWith("big")) {
        reply.body.assign(1 << 20, '#');
        reply.chunked = body == "bigchunked";
    } else if (body.startsWith("map:")) {
        reply.body = mediaPlaylist(body.mid(4).toStdString());
    }
    up.set(route.toStdString(), reply);
    PullOptions options = fastRetries();
    options.maxBodyBytes = 64 * 1024;
    options.maxPlaylistBytes = 4096;
    origin::ChannelStore store(origin::ChannelConfig{});
    auto client = PullClient::start(store, up.url(kMultivariant), options);
    QVERIFY(client);
    QTRY_VERIFY_WITH_TIMEOUT((*client)->status().retries >= 2, 10000);
    const PullStatus s = (*client)->status();
    QCOMPARE(s.state, PullState::Retrying);
    QVERIFY2(s.lastError.find(mustSay.toStdString()) != std::string::npos, s.lastError.c_str());
    QCOMPARE(storedSegments(store), size_t(0));
    QCOMPARE(up.hits("/etc/passwd"), 0);
}

void TstHostileUpstream::sameSchemeRedirectIsFollowed() {
    HostileUpstream up;
    serveGoodChannel(up);
    up.set("/moved/init.mp4", ok(text(ingest::hostileHeader())));
    up.set(kInit, redirect("/moved/init.mp4"));
    origin::ChannelStore store(origin::ChannelConfig{});
    auto client = PullClient::start(store, up.url(kMultivariant), fastRetries());
    QVERIFY(client);
    QTRY_COMPARE_WITH_TIMEOUT(storedSegments(store), size_t(1), 10000);
    QCOMPARE(up.hits("/moved/init.mp4"), 1);
}

void TstHostileUpstream::trackIdsFromUrisAreSafe_data() {
    QTest::addColumn<QString>("uri");
    QTest::addColumn<QString>("id");
    QTest::newRow("origin layout") << "720p/index.m3u8"
                                   << "720p";
    QTest::newRow("dot-dot folder") << "../index.m3u8"
                                    << "__";
    QTest::newRow("percent and bang") << "a%2F..!/index.m3u8"
                                      << "a_2F___";
    QTest::newRow("no folder, no name") << "/.m3u8"
                                        << "track";
    QTest::newRow("file name only") << "audio.m3u8"
                                    << "audio";
}

void TstHostileUpstream::trackIdsFromUrisAreSafe() {
    QFETCH(QString, uri);
    QFETCH(QString, id);
    QCOMPARE(QString::fromStdString(trackIdFromUri(uri.toStdString())), id);
}

void TstHostileUpstream::hostilePlaylistsAreRefused_data() {
    QTest::addColumn<QString>("playlist");
    QTest::addColumn<bool>("multivariant");
    QTest::addColumn<QString>("mustSay");
    const QString head = "#EXTM3U\n#EXT-X-MAP:URI=\"init.mp4\"\n";
    QTest::newRow("EXTINF inf") << head + "#EXTINF:inf,\ns.m4s\n" << false << "bad EXTINF";
    QTest::newRow("EXTINF nan") << head + "#EXTINF:nan,\ns.m4s\n" << false << "bad EXTINF";
    QTest::newRow("EXTINF 1e300") << head + "#EXTINF:1e300,\ns.m4s\n" << false << "bad EXTINF";
    QTest::newRow("EXT-X-TARGETDURATION 1e300") << head + "#EXT-X-TARGETDURATION:1e300\n"
                                                << false << "bad EXT-X-TARGETDURATION";
    QTest::newRow("EXT-X-MEDIA-SEQUENCE 2^63-1, then ++")
        << head + "#EXT-X-MEDIA-SEQUENCE:9223372036854775807\n#EXTINF:1,\ns.m4s\n"
        << false << "bad EXT-X-MEDIA-SEQUENCE";
    QTest::newRow("EXT-X-MEDIA-SEQUENCE -1") << head + "#EXT-X-MEDIA-SEQUENCE:-1\n"
                                             << false << "bad EXT-X-MEDIA-SEQUENCE";
    QString many = head;
    for (int i = 0; i <= int(kMaxPlaylistSegments); ++i) {
        many += "#EXTINF:1,\ns.m4s\n";
    }
    QTest::newRow("100,001 segments") << many << false << "more than 100000 segments";
    QString variants = "#EXTM3U\n";
    for (int i = 0; i <= int(kMaxPlaylistVariants); ++i) {
        variants += "#EXT-X-MEDIA:TYPE=AUDIO,URI=\"a" + QString::number(i) + ".m3u8\"\n";
    }
    QTest::newRow("65 audio renditions") << variants << true << "more than 64 renditions";
}

void TstHostileUpstream::hostilePlaylistsAreRefused() {
    QFETCH(QString, playlist);
    QFETCH(bool, multivariant);
    QFETCH(QString, mustSay);
    const std::string textIn = playlist.toStdString();
    const Status error =
        multivariant ? parseMultivariant(textIn).error() : parseMediaPlaylist(textIn).error();
    QVERIFY2(error.toString().find(mustSay.toStdString()) != std::string::npos,
             error.toString().c_str());
}

QTEST_GUILESS_MAIN(TstHostileUpstream)
#include "tst_hostile_upstream.moc"

// The origin's limits (issue #9), each driven by the exact bad input over real loopback HTTP
// to a real OriginServer: the answer (status, connection closed), what was stored, and that
// the channel "ug" keeps serving its viewers afterwards.
#include <QtTest>

#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <netinet/in.h>

#include <atomic>
#include <condition_variable>
#include <cstring>
#include <memory>
#include <mutex>
#include <thread>

#include "origin_fixtures.h"
#include "origin_test_client.h"
#include "publisher/origin/server/origin_server.h"

using namespace podium;
using namespace podium::publisher;
using namespace podium::publisher::origin;
using namespace podium::publisher::origin::test;

class TstOriginLimits : public QObject {
    Q_OBJECT

private slots:
    void init();
    void cleanup();
    void largeIngestBodyIsAccepted_data();
    void largeIngestBodyIsAccepted();
    void serverFullAnswers503();
    void oneClientCannotTakeEveryConnection();
    void outOfDescriptorsBacksOff();
    void ingestConnectionsAreCapped();
    void drippingIngestBodyIsClosed();
    void viewerTableIsBounded();
    void parkedReloadsAreCapped();
    void channelsAreCapped();
    void idleChannelsEndThenStopCounting();
    void stuckIngestNeverDelaysViewers();

private:
    void startServer(OriginConfig config = {});
    void viewersStillServed();

    std::unique_ptr<ChannelStore> store_;
    std::unique_ptr<SyntheticFeed> feed_;
    std::unique_ptr<OriginServer> server_;
};

void TstOriginLimits::init() {
    store_ = std::make_unique<ChannelStore>(channelConfig("defaults"));
    feed_ = std::make_unique<SyntheticFeed>(store_->getOrCreate("ug", nullptr));
    feed_->addSegment();
    feed_->addSegment();
}

void TstOriginLimits::cleanup() {
    server_.reset();
    feed_.reset();
    store_.reset();
}

void TstOriginLimits::startServer(OriginConfig config) {
    auto started = OriginServer::start(std::move(config), *store_);
    QVERIFY2(started.has_value(), started ? "" : started.error().toString().c_str());
    server_ = std::move(*started);
}

void TstOriginLimits::viewersStillServed() {
    TestClient viewer(server_->port());
    const HttpResult playlist = viewer.get("/live/ug/720p/index.m3u8");
    QCOMPARE(playlist.status, 200);
    QVERIFY(playlist.body.find("seg_1.m4s") != std::string::npos);
    const HttpResult segment = viewer.get("/live/ug/720p/seg_1.m4s");
    QCOMPARE(segment.status, 200);
    QCOMPARE(segment.body, text(feed_->lastSegmentBytes()));
}

// A 1080p or 6 Mb/s segment is over 1 MiB: sent with Content-Length it used to get 400 "body
// limit exceeded" before the header was even looked at, while the same bytes chunked got 200.
void TstOriginLimits::largeIngestBodyIsAccepted_data() {
    QTest::addColumn<bool>("chunked");
    QTest::newRow("Content-Length") << false;
    QTest::newRow("chunked") << true;
}

void TstOriginLimits::largeIngestBodyIsAccepted() {
    QFETCH(bool, chunked);
    startServer();
    CmafBodySpec spec;
    spec.sampleBytes = 72 * 1024;  // 30 samples: a 2.1 MB fragment
    const std::string body = text(cmafBody(spec));
    QVERIFY(body.size() > 2 * 1024 * 1024);
    TestClient encoder(server_->port());
    const std::string url = "/live/big.isml/Streams(cam)";
    const HttpResult r =
        chunked ? encoder.postChunked(url, body) : encoder.request("POST", url, {}, body);
    QCOMPARE(r.status, 200);
    QCOMPARE(storedSegments(*store_, "big"), std::size_t(1));
    TestClient viewer(server_->port());
    const HttpResult segment = viewer.get("/live/big/cam/seg_0.m4s");
    QCOMPARE(segment.status, 200);
    QVERIFY(segment.body.size() > 2 * 1024 * 1024);
    viewersStillServed();
}

// --max-connections: the connection past the cap gets a clean 503 and is closed; the ones
// already open keep being served, and a place freed is a place a new viewer gets.
void TstOriginLimits::serverFullAnswers503() {
    OriginConfig config;
    config.limits.maxConnections = 3;
    startServer(config);
    std::vector<std::unique_ptr<TestClient>> open;
    for (int i = 0; i < 3; ++i) {
        open.push_back(std::make_unique<TestClient>(server_->port()));
        QCOMPARE(open.back()->get("/healthz").status, 200);
    }
    TestClient extra(server_->port());
    const HttpResult refused = extra.get("/live/ug/720p/index.m3u8");
    QCOMPARE(refused.status, 503);
    QCOMPARE(refused.header("connection"), std::string("close"));
    QCOMPARE(refused.header("retry-after"), std::string("5"));
    QVERIFY(extra.closedByPeer());
    QCOMPARE(open.front()->get("/live/ug/720p/index.m3u8").status, 200);
    QVERIFY(server_->metrics().refused >= 1);
    open.pop_back();  // a place frees up once the server sees the close
    QTRY_COMPARE_WITH_TIMEOUT(server_->metrics().openConnections, 2, 10000);
    TestClient next(server_->port());
    QCOMPARE(next.get("/live/ug/720p/index.m3u8").status, 200);
}

// --max-connections-per-client: one address past its share gets 429; another address (the
// rest of the audience) is still served.
void TstOriginLimits::oneClientCannotTakeEveryConnection() {
    OriginConfig config;
    config.limits.maxConnectionsPerClient = 2;
    startServer(config);
    TestClient first(server_->port());
    TestClient second(server_->port());
    QCOMPARE(first.get("/healthz").status, 200);
    QCOMPARE(second.get("/healthz").status, 200);
    TestClient third(server_->port());
    const HttpResult refused = third.get("/live/ug/720p/index.m3u8");
    QCOMPARE(refused.status, 429);
    QVERIFY(third.closedByPeer());
    TestClient elsewhere(server_->port(), 20, "127.0.0.2");
    QVERIFY(elsewhere.connected());
    const HttpResult other = elsewhere.get("/live/ug/720p/index.m3u8");
    QCOMPARE(other.status, 200);
}

namespace {

/// Sends GET /healthz on a connected socket and returns the status of the answer (0: none).
int healthzStatus(int fd) {
    const std::string request = "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
    if (::send(fd, request.data(), request.size(), MSG_NOSIGNAL) != ssize_t(request.size()))
        return 0;
    char answer[64] = {};
    const ssize_t n = ::recv(fd, answer, sizeof answer - 1, 0);
    if (n < 12 || std::strncmp(answer, "HTTP/1.1 ", 9) != 0)
        return 0;
    return std::atoi(answer + 9);
}

}  // namespace

// Out of file descriptors, accept() fails and the listener stays readable: the server used to
// retry at once (124 % CPU, 2.3 M log lines in 5 s). Now it pauses (50 ms doubling to 1 s),
// logs at a limited rate, and serves the waiting connections once descriptors are back.
void TstOriginLimits::outOfDescriptorsBacksOff() {
    startServer();
    constexpr int kClients = 6;
    std::vector<int> clients;
    for (int i = 0; i < kClients; ++i) {
        clients.push_back(::socket(AF_INET, SOCK_STREAM, 0));
        QVERIFY(clients.back() >= 0);
        timeval tv{10, 0};
        ::setsockopt(clients.back(), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    }
    QTemporaryFile log;
    QVERIFY(log.open());
    const int savedStderr = ::dup(2);
    ::dup2(log.handle(), 2);
    // Fill every free descriptor number below the lowest free one's, then cap the limit there:
    // the next descriptor anyone asks for (the server's accept) fails with EMFILE.
    const int lowest = ::dup(0);
    rlimit saved{};
    ::getrlimit(RLIMIT_NOFILE, &saved);
    rlimit low = saved;
    low.rlim_cur = rlim_t(lowest);
    ::close(lowest);
    ::setrlimit(RLIMIT_NOFILE, &low);
    const uint64_t errorsBefore = server_->metrics().acceptErrors;
    sockaddr_in to{};
    to.sin_family = AF_INET;
    to.sin_port = htons(server_->port());
    to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    for (int fd : clients)  // the kernel completes these into the listen backlog
        QCOMPARE(::connect(fd, reinterpret_cast<sockaddr*>(&to), sizeof to), 0);
    QTest::qWait(2000);  // the measurement window: how often did the server try?
    const uint64_t failedAccepts = server_->metrics().acceptErrors - errorsBefore;
    ::setrlimit(RLIMIT_NOFILE, &saved);
    for (int fd : clients)
        QCOMPARE(healthzStatus(fd), 200);
    for (int fd : clients)
        ::close(fd);
    std::fflush(stderr);
    ::dup2(savedStderr, 2);
    ::close(savedStderr);
    log.seek(0);  // the writes through descriptor 2 moved the shared offset to the end
    const QStringList lines = QString::fromUtf8(log.readAll()).split('\n', Qt::SkipEmptyParts);
    qInfo() << "failed accepts in 2 s:" << failedAccepts << "log lines:" << lines.size();
    QVERIFY2(failedAccepts >= 1, "the descriptor limit was not reached");
    QVERIFY2(failedAccepts <= 20, qPrintable(QString::number(failedAccepts)));
    QVERIFY2(!lines.isEmpty() && lines.size() <= 3, qPrintable(lines.join('\n')));
    QVERIFY2(lines.front().contains("cannot accept connections"), qPrintable(lines.front()));
}

// --max-ingest-connections: the ingest POST past the cap gets 503 and is closed; the open ones
// keep streaming, viewers keep being served.
void TstOriginLimits::ingestConnectionsAreCapped() {
    OriginConfig config;
    config.limits.maxIngestConnections = 2;
    startServer(config);
    const std::string header = text(mp4::buildInitSegment(videoTrack()));
    std::vector<std::unique_ptr<TestClient>> encoders;
    for (int i = 0; i < 2; ++i) {
        encoders.push_back(std::make_unique<TestClient>(server_->port()));
        char size[32];
        std::snprintf(size, sizeof size, "%zx\r\n", header.size());
        QVERIFY(encoders.back()->sendRaw("POST /live/cam" + std::to_string(i) +
                                         ".isml/Streams(v) HTTP/1.1\r\nHost: x\r\n"
                                         "Transfer-Encoding: chunked\r\n\r\n" +
                                         size + header + "\r\n"));
    }
    QTRY_COMPARE_WITH_TIMEOUT(store_->channelCount(), std::size_t(3), 10000);
    TestClient third(server_->port());
    const HttpResult refused = third.request("POST", "/live/cam2.isml/Streams(v)", {}, header);
    QCOMPARE(refused.status, 503);
    QVERIFY(third.closedByPeer());
    QVERIFY(!store_->find("cam2"));
    viewersStillServed();
    encoders.pop_back();  // one encoder leaves: its place is free again
    QTRY_COMPARE_WITH_TIMEOUT(TestClient(server_->port())
                                  .request("POST", "/live/cam2.isml/Streams(v)", {}, header)
                                  .status,
                              200, 10000);
}

// An ingest body dripping one byte at a time used to stay open forever (every read pushed the
// deadline back). It must keep --min-ingest-rate over each --ingest-stall-seconds window.
void TstOriginLimits::drippingIngestBodyIsClosed() {
    OriginConfig config;
    config.limits.ingestBodyStallSeconds = 2;
    config.limits.minIngestBytesPerSecond = 1024;
    config.limits.maxIngestConnections = 1;
    startServer(config);
    const std::string header = text(mp4::buildInitSegment(videoTrack()));
    TestClient dripper(server_->port(), 15);
    QVERIFY(
        dripper.sendRaw("POST /live/drip.isml/Streams(v) HTTP/1.1\r\nHost: x\r\n"
                        "Content-Length: " +
                        std::to_string(header.size()) + "\r\n\r\n"));
    std::atomic<bool> closed{false};
    std::thread drip([&] {
        for (std::size_t i = 0; i < header.size() && !closed; ++i) {
            if (::send(dripper.nativeHandle(), &header[i], 1, MSG_NOSIGNAL) != 1)
                break;
            std::this_thread::sleep_for(std::chrono::milliseconds(250));  // the drip's pace
        }
    });
    const bool wasClosed = dripper.closedByPeer();
    closed = true;
    drip.join();
    QVERIFY(wasClosed);
    QCOMPARE(storedSegments(*store_, "drip"), std::size_t(0));
    QVERIFY(!store_->find("drip"));
    // Its ingest place is free again: a normal encoder gets in.
    TestClient encoder(server_->port());
    QCOMPARE(encoder.request("POST", "/live/fast.isml/Streams(v)", {}, text(cmafBody({}))).status,
             200);
    viewersStillServed();
}

// 20,000 GETs with made-up User-Agents to a channel that does not exist used to grow the
// viewer table by 218 MB. Now a viewer is recorded only once its channel is found, and the
// table holds at most --max-viewer-entries.
void TstOriginLimits::viewerTableIsBounded() {
    OriginConfig config;
    config.limits.maxViewerEntries = 100;
    startServer(config);
    TestClient client(server_->port());
    for (int i = 0; i < 20000; ++i) {
        const HttpResult r = client.get("/live/nope" + std::to_string(i % 7) + "/index.m3u8",
                                        {{"User-Agent", "bot/" + std::to_string(i)}});
        QCOMPARE(r.status, 404);
    }
    QCOMPARE(server_->metrics().viewerEntries, std::size_t(0));
    for (int i = 0; i < 1000; ++i) {
        const HttpResult r =
            client.get("/live/ug/720p/index.m3u8", {{"User-Agent", "viewer/" + std::to_string(i)}});
        QCOMPARE(r.status, 200);
    }
    const OriginMetrics m = server_->metrics();
    QCOMPARE(m.viewerEntries, std::size_t(100));
    QCOMPARE(m.viewers, 100);
    viewersStillServed();
}

// --max-blocking-reloads: requests parked past the cap get 503 at once (Retry-After), the
// parked ones are answered when the channel moves on.
void TstOriginLimits::parkedReloadsAreCapped() {
    OriginConfig config;
    config.limits.maxBlockingReloads = 3;
    startServer(config);
    const std::string target = "/live/ug/720p/index.m3u8?_HLS_msn=2";
    std::vector<std::unique_ptr<TestClient>> parked;
    for (int i = 0; i < 3; ++i) {
        parked.push_back(std::make_unique<TestClient>(server_->port()));
        QVERIFY(parked.back()->send("GET", target));
    }
    QTRY_COMPARE_WITH_TIMEOUT(server_->metrics().waitingRequests, uint64_t(3), 10000);
    TestClient extra(server_->port());
    const HttpResult refused = extra.get(target);
    QCOMPARE(refused.status, 503);
    QCOMPARE(refused.header("retry-after"), std::string("1"));
    std::thread writer([&] { feed_->addSegment(); });
    writer.join();
    for (auto& c : parked) {
        const HttpResult r = c->receive();
        QCOMPARE(r.status, 200);
        QVERIFY(r.body.find("seg_2.m4s") != std::string::npos);
    }
    QCOMPARE(extra.get(target).status, 200);  // same connection, the wait is over
}

// --max-channels: an ingest for a new channel past the cap gets 503 and creates nothing;
// existing channels keep taking ingest and serving viewers.
void TstOriginLimits::channelsAreCapped() {
    OriginConfig config;
    config.limits.maxChannels = 2;  // "ug" is the first
    startServer(config);
    const std::string body = text(cmafBody({}));
    TestClient a(server_->port());
    QCOMPARE(a.request("POST", "/live/a.isml/Streams(v)", {}, body).status, 200);
    TestClient b(server_->port());
    const HttpResult refused = b.request("POST", "/live/b.isml/Streams(v)", {}, body);
    QCOMPARE(refused.status, 503);
    QVERIFY(!store_->find("b"));
    QCOMPARE(store_->channelCount(), std::size_t(2));
    TestClient again(server_->port());
    CmafBodySpec later;
    later.firstDecodeTime = 30 * kFrameTicks;
    QCOMPARE(again.request("POST", "/live/a.isml/Streams(v)", {}, text(cmafBody(later))).status,
             200);
    QCOMPARE(storedSegments(*store_, "a"), std::size_t(2));
    viewersStillServed();
}

// An encoder that stopped held its channel slot until the origin restarted (after 64 channel
// names no new channel could start). Now an ingested channel ends after --channel-idle-seconds
// without media (viewers get ENDLIST) and is removed after that plus its DVR window.
void TstOriginLimits::idleChannelsEndThenStopCounting() {
    feed_.reset();
    ChannelConfig defaults = channelConfig("defaults");
    defaults.expiresWhenIdle = true;                   // as podium-origin sets it
    defaults.dvrWindow = MediaTime{5 * 90000, 90000};  // ended for 5 s, then removed
    store_ = std::make_unique<ChannelStore>(defaults);
    OriginConfig config;
    config.limits.maxChannels = 1;
    config.limits.channelIdleSeconds = 1;
    startServer(config);
    const std::string body = text(cmafBody({}));
    QCOMPARE(
        TestClient(server_->port()).request("POST", "/live/a.isml/Streams(v)", {}, body).status,
        200);
    QCOMPARE(
        TestClient(server_->port()).request("POST", "/live/b.isml/Streams(v)", {}, body).status,
        503);
    // Viewers' requests sweep too: "a" ends about a second after its last media.
    QTRY_VERIFY_WITH_TIMEOUT(([&] {
                                 TestClient(server_->port()).get("/live/a/index.mpd");
                                 const auto a = store_->find("a");
                                 return a && a->view()->ended;
                             }()),
                             10000);
    // ... and is gone once its window has passed too: "b" may start.
    QTRY_COMPARE_WITH_TIMEOUT(
        TestClient(server_->port()).request("POST", "/live/b.isml/Streams(v)", {}, body).status,
        200, 20000);
    QVERIFY(!store_->find("a"));
    QCOMPARE(store_->channelCount(), std::size_t(1));
    QCOMPARE(storedSegments(*store_, "b"), std::size_t(1));
}

// Two POSTs with 6,000 traks each stalled /healthz for 5.6 s: the ingest work ran on the very
// threads that answer viewers. An ingest whose store work is stuck (here: a change waiter that
// blocks the writing thread, the worst a slow ingest can do) must leave viewers served, even
// with a single I/O thread.
void TstOriginLimits::stuckIngestNeverDelaysViewers() {
    OriginConfig config;
    config.threads = 1;
    startServer(config);
    std::mutex mutex;
    std::condition_variable released;
    bool release = false;
    std::atomic<int> stuck{0};
    auto channel = store_->getOrCreate("slow", nullptr);
    channel->waitForChange(channel->view()->version, [&] {
        ++stuck;
        std::unique_lock lock(mutex);
        released.wait(lock, [&] { return release; });
    });
    TestClient encoder(server_->port());
    QVERIFY(encoder.send("POST", "/live/slow.isml/Streams(v)", {}, text(cmafBody({}))));
    QTRY_COMPARE_WITH_TIMEOUT(stuck.load(), 1, 10000);
    TestClient viewer(server_->port(), 5);
    QCOMPARE(viewer.get("/healthz").status, 200);
    const HttpResult playlist = viewer.get("/live/ug/720p/index.m3u8");
    QCOMPARE(playlist.status, 200);
    {
        std::lock_guard lock(mutex);
        release = true;
    }
    released.notify_all();
    QCOMPARE(encoder.receive().status, 200);
    QCOMPARE(storedSegments(*store_, "slow"), std::size_t(1));
}

QTEST_GUILESS_MAIN(TstOriginLimits)
#include "tst_origin_limits.moc"

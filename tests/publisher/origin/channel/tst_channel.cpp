#include <QtTest>

#include <atomic>
#include <cmath>

#include "core/clock.h"
#include "publisher/origin/channel.h"
#include "publisher/origin/channel_store.h"

using namespace podium;
using namespace podium::publisher;
using namespace podium::publisher::origin;
using namespace podium::publisher::manifest;

class TstChannel : public QObject {
    Q_OBJECT
private slots:
    void dvrWindowBoundsWhatIsKept_data();
    void dvrWindowBoundsWhatIsKept();
    void chunksBuildTheOpenSegment();
    void segmentWhoseEndWasLostIsServedShorter_data();
    void segmentWhoseEndWasLostIsServedShorter();
    void changedInitStartsADiscontinuity();
    void withoutAnAnchorTheFirstMediaIsNow();
    void storeEndsThenRemovesIdleIngestChannels();
    void evictedDiscontinuitiesAreCounted();
    void waitersFireOnceOnTheNextChange();
    void endReleasesWaitersAndFreezesTheChannel();
    void tickFragmentsAreBoundedByCount();
    void windowIsBoundedByBytesPerChannel();
    void viewsShareSegmentsAndBytes();
    void averageBitrateFollowsTheWindow();
    void manyTracksPublishOnce();
};

namespace {
constexpr int32_t kTs = 90000;

TrackInfo videoTrack() {
    TrackInfo t;
    t.trackIndex = 0;
    t.id = "720p";
    t.kind = TrackKind::Video;
    t.timescale = kTs;
    return t;
}

ChannelConfig config(double dvrSeconds) {
    ChannelConfig c;
    c.name = "test";
    c.dvrWindow = MediaTime::fromSeconds(dvrSeconds, kTs);
    c.availabilityStartMs = 1'000'000;
    return c;
}

InitSegmentPtr init(uint8_t marker) {
    auto i = std::make_shared<InitSegment>();
    i->track = videoTrack();
    i->bytes = {marker, 1, 2, 3};
    return i;
}

SegmentPtr segment(int64_t number, size_t bytes = 1000) {
    auto s = std::make_shared<Segment>();
    s->trackIndex = 0;
    s->number = number;
    s->start = MediaTime{number * 2 * kTs, kTs};
    s->duration = MediaTime{2 * kTs, kTs};
    s->bytes.assign(bytes, uint8_t(number));
    s->parts.push_back(PartInfo{0, bytes, s->duration, true});
    return s;
}

ChunkPtr chunk(int64_t number, int part) {
    auto c = std::make_shared<Chunk>();
    c->trackIndex = 0;
    c->segmentNumber = number;
    c->partIndex = part;
    c->start = MediaTime{number * 2 * kTs + part * kTs / 2, kTs};
    c->duration = MediaTime{kTs / 2, kTs};
    c->isIndependent = part == 0;
    c->bytes.assign(100, uint8_t(part));
    return c;
}
}  // namespace

void TstChannel::dvrWindowBoundsWhatIsKept_data() {
    QTest::addColumn<double>("dvrSeconds");
    QTest::addColumn<int>("segmentsFed");
    QTest::addColumn<int>("expectedKept");
    QTest::newRow("60 s window, 2 s segments, an hour fed") << 60.0 << 1800 << 31;
    QTest::newRow("never fewer than 4 segments") << 2.0 << 50 << 4;
    QTest::newRow("short stream keeps everything") << 60.0 << 10 << 10;
}

void TstChannel::dvrWindowBoundsWhatIsKept() {
    QFETCH(double, dvrSeconds);
    QFETCH(int, segmentsFed);
    QFETCH(int, expectedKept);
    Channel channel(config(dvrSeconds));
    channel.setTracks({videoTrack()});
    channel.setInit(init(0));
    for (int n = 0; n < segmentsFed; ++n) {
        channel.addSegment(segment(n));
    }
    const auto view = channel.view();
    const auto& segments = view->tracks.at(0).segments;
    QCOMPARE(int(segments.size()), expectedKept);
    // Sequence numbers stay consecutive and end at the newest segment (HLS MEDIA-SEQUENCE).
    for (size_t i = 1; i < segments.size(); ++i) {
        QCOMPARE(segments[i].sequence, segments[i - 1].sequence + 1);
    }
    QCOMPARE(segments.back().sequence, int64_t(segmentsFed - 1));
    QCOMPARE(segments.back().programDateTimeMs, 1'000'000 + (segmentsFed - 1) * 2000LL);
}

void TstChannel::chunksBuildTheOpenSegment() {
    Channel channel(config(60));
    channel.setTracks({videoTrack()});
    channel.setInit(init(0));
    channel.addChunk(chunk(5, 1));  // joined mid-segment: ignored until a segment starts
    QVERIFY(channel.view()->tracks[0].segments.empty());
    channel.addChunk(chunk(6, 0));
    channel.addChunk(chunk(6, 1));
    auto open = channel.view()->tracks[0].segments.back();
    QVERIFY(!open.isComplete());
    QCOMPARE(int(open.parts.size()), 2);
    QCOMPARE(open.duration, (MediaTime{kTs, kTs}));
    QCOMPARE(open.sequence, int64_t(6));
    channel.addSegment(segment(6));
    const auto done = channel.view()->tracks[0].segments.back();
    QVERIFY(done.isComplete());
    QCOMPARE(int(done.parts.size()), 2);  // the parts already served stay as they were
    QCOMPARE(done.duration, (MediaTime{2 * kTs, kTs}));
}

void TstChannel::segmentWhoseEndWasLostIsServedShorter_data() {
    QTest::addColumn<bool>("nextAsChunks");
    QTest::newRow("next segment arrives as chunks") << true;
    QTest::newRow("next segment arrives whole") << false;
}

void TstChannel::segmentWhoseEndWasLostIsServedShorter() {
    // The feed's queue dropped the rest of segment 6 (its last parts and the Segment): the
    // parts that came must not be glued to segment 7's under one number.
    QFETCH(bool, nextAsChunks);
    Channel channel(config(60));
    channel.setTracks({videoTrack()});
    channel.setInit(init(0));
    channel.addChunk(chunk(6, 0));
    channel.addChunk(chunk(6, 1));
    if (nextAsChunks) {
        for (int p = 0; p < 4; ++p) {
            channel.addChunk(chunk(7, p));
        }
    }
    channel.addSegment(segment(7, 400));
    const auto view = channel.view();
    const auto& segments = view->tracks[0].segments;
    QCOMPARE(int(segments.size()), 2);
    const StoredSegment& cut = segments[0];
    QVERIFY(cut.isComplete());
    QCOMPARE(cut.sequence, int64_t(6));
    QCOMPARE(cut.duration, (MediaTime{kTs, kTs}));  // the two parts that came
    QCOMPARE(int(cut.bytes->size()), 200);
    QCOMPARE(int(cut.parts.size()), 2);
    const StoredSegment& next = segments[1];
    QVERIFY(next.isComplete());
    QCOMPARE(next.sequence, int64_t(7));
    QCOMPARE(next.start, (MediaTime{7 * 2 * kTs, kTs}));
    QCOMPARE(int(next.bytes->size()), 400);
    QCOMPARE(next.duration, (MediaTime{2 * kTs, kTs}));
    QCOMPARE(int(next.parts.size()), nextAsChunks ? 4 : 1);
}

void TstChannel::withoutAnAnchorTheFirstMediaIsNow() {
    // Ingest and pull give no wall clock: the first segment's end is taken as "now", so the
    // playlists' PROGRAM-DATE-TIME and the DASH AST are today, not 1970.
    ChannelConfig c = config(60);
    c.availabilityStartMs = 0;
    Channel channel(c);
    channel.setTracks({videoTrack()});
    channel.setInit(init(0));
    const int64_t before = wallClockMillis();
    channel.addSegment(segment(50));  // media 100..102 s
    const int64_t after = wallClockMillis();
    channel.addSegment(segment(51));
    const auto view = channel.view();
    QVERIFY(view->availabilityStartMs >= before - 102'000);
    QVERIFY(view->availabilityStartMs <= after - 102'000);
    const auto& segments = view->tracks[0].segments;
    QCOMPARE(segments[0].programDateTimeMs, view->availabilityStartMs + 100'000);
    QCOMPARE(segments[1].programDateTimeMs, view->availabilityStartMs + 102'000);
}

void TstChannel::storeEndsThenRemovesIdleIngestChannels() {
    ChannelConfig expiring = config(10);
    expiring.expiresWhenIdle = true;  // what podium-origin gives ingested channels
    ChannelStore store(expiring);
    auto a = store.getOrCreate("a");
    ChannelConfig kept = config(10);
    kept.name = "b";  // an in-process feed: never expires
    store.getOrCreate("b", &kept);
    a->setTracks({videoTrack()});
    a->setInit(init(0));
    a->addSegment(segment(0));
    const int64_t now = wallClockMillis();
    QVERIFY(store.expireIdle(now, 60'000).empty());
    QVERIFY(!a->view()->ended);
    QVERIFY(store.expireIdle(now + 61'000, 60'000).empty());
    QVERIFY(a->view()->ended);  // viewers get ENDLIST; the window is still served
    QVERIFY(store.find("a"));
    QVERIFY(store.expireIdle(now + 69'200, 60'000).empty());  // within its window
    QVERIFY(store.expireIdle(now + 70'100, 60'000).empty());  // swept less than 1 s ago
    QCOMPARE(store.expireIdle(now + 70'300, 60'000), std::vector<std::string>{"a"});
    QVERIFY(!store.find("a"));
    QVERIFY(store.find("b"));
    QCOMPARE(store.channelCount(), std::size_t(1));
    QCOMPARE(a->view()->tracks[0].segments.size(), std::size_t(1));  // a holder keeps its view
}

void TstChannel::changedInitStartsADiscontinuity() {
    Channel channel(config(60));
    channel.setTracks({videoTrack()});
    channel.setInit(init(0));
    channel.addSegment(segment(0));
    channel.setInit(init(0));  // identical: a reconnect, not a discontinuity
    channel.addSegment(segment(1));
    channel.setInit(init(9));  // a new encoder configuration
    channel.addSegment(segment(2));
    const auto& s = channel.view()->tracks[0].segments;
    QCOMPARE(s[0].discontinuity, false);
    QCOMPARE(s[1].discontinuity, false);
    QCOMPARE(s[2].discontinuity, true);
}

void TstChannel::evictedDiscontinuitiesAreCounted() {
    Channel channel(config(8));
    channel.setTracks({videoTrack()});
    channel.setInit(init(0));
    channel.addSegment(segment(0));
    channel.markDiscontinuity();
    for (int n = 1; n < 20; ++n) {
        channel.addSegment(segment(n));
    }
    const auto& track = channel.view()->tracks[0];
    QCOMPARE(track.discontinuitySequence, int64_t(1));
    for (const auto& s : track.segments) {
        QVERIFY(!s.discontinuity);
    }
}

void TstChannel::waitersFireOnceOnTheNextChange() {
    Channel channel(config(60));
    channel.setTracks({videoTrack()});
    std::atomic<int> calls{0};
    const uint64_t seen = channel.view()->version;
    channel.waitForChange(seen, [&] { ++calls; });
    QCOMPARE(calls.load(), 0);
    channel.setInit(init(0));
    QCOMPARE(calls.load(), 1);
    channel.addSegment(segment(0));
    QCOMPARE(calls.load(), 1);                      // one shot
    channel.waitForChange(seen, [&] { ++calls; });  // already past `seen`: at once
    QCOMPARE(calls.load(), 2);
    const uint64_t id = channel.waitForChange(channel.view()->version, [&] { ++calls; });
    channel.cancelWaiter(id);
    channel.addSegment(segment(1));
    QCOMPARE(calls.load(), 2);
}

void TstChannel::endReleasesWaitersAndFreezesTheChannel() {
    Channel channel(config(60));
    channel.setTracks({videoTrack()});
    channel.setInit(init(0));
    channel.addSegment(segment(0));
    bool released = false;
    channel.waitForChange(channel.view()->version, [&] { released = true; });
    channel.end();
    QVERIFY(released);
    QVERIFY(channel.view()->ended);
    channel.addSegment(segment(1));
    QCOMPARE(int(channel.view()->tracks[0].segments.size()), 1);
}

// 300 fragments whose tfdt advances one tick: the media-time window keeps them all (300 ticks
// is nothing), the segment count does not.
void TstChannel::tickFragmentsAreBoundedByCount() {
    ChannelConfig c = config(60);
    c.maxSegmentsPerTrack = 100;
    Channel channel(c);
    channel.setTracks({videoTrack()});
    channel.setInit(init(0));
    for (int n = 0; n < 300; ++n) {
        auto s = std::make_shared<Segment>();
        s->number = n;
        s->start = MediaTime{n, kTs};
        s->duration = MediaTime{1, kTs};
        s->bytes.assign(64, uint8_t(n));
        s->parts.push_back(PartInfo{0, 64, s->duration, true});
        channel.addSegment(s);
    }
    const auto view = channel.view();
    const TrackView& track = view->tracks.at(0);
    QCOMPARE(int(track.segments.size()), 100);
    QCOMPARE(track.segments.front().sequence, int64_t(200));
    QCOMPARE(track.segments.back().sequence, int64_t(299));
    QCOMPARE(track.windowBytes, uint64_t(100 * 64));
}

// Two tracks of 1,000-byte segments under a 10,000-byte channel cap: the oldest media goes
// first, across the tracks; the newest complete segment of each track always stays.
void TstChannel::windowIsBoundedByBytesPerChannel() {
    ChannelConfig c = config(3600);
    c.maxBytes = 10000;
    Channel channel(c);
    TrackInfo audio = videoTrack();
    audio.trackIndex = 1;
    audio.id = "audio";
    audio.kind = TrackKind::Audio;
    channel.setTracks({videoTrack(), audio});
    for (int n = 0; n < 40; ++n) {
        for (int t = 0; t < 2; ++t) {
            auto s = std::make_shared<Segment>(*segment(n));
            s->trackIndex = t;
            channel.addSegment(s);
        }
    }
    auto view = channel.view();
    const uint64_t held = view->tracks[0].windowBytes + view->tracks[1].windowBytes;
    QVERIFY2(held <= 10000, qPrintable(QString::number(held)));
    QCOMPARE(int(view->tracks[0].segments.size()), 5);
    QCOMPARE(int(view->tracks[1].segments.size()), 5);
    QCOMPARE(view->tracks[0].segments.back().sequence, int64_t(39));

    ChannelConfig tiny = config(3600);
    tiny.maxBytes = 10;  // below one segment: each track keeps its newest one
    Channel small(tiny);
    small.setTracks({videoTrack()});
    for (int n = 0; n < 5; ++n) {
        small.addSegment(segment(n));
    }
    QCOMPARE(int(small.view()->tracks[0].segments.size()), 1);
    QCOMPARE(small.view()->tracks[0].segments.back().sequence, int64_t(4));
}

// A new view shares the unchanged segments with the previous one, and stored bytes are the
// packager's own buffers: nothing of the window is copied per chunk.
void TstChannel::viewsShareSegmentsAndBytes() {
    Channel channel(config(60));
    channel.setTracks({videoTrack()});
    channel.setInit(init(0));
    const SegmentPtr first = segment(0);
    channel.addSegment(first);
    const ChunkPtr part = chunk(1, 0);
    channel.addChunk(part);
    const auto before = channel.view();
    channel.addChunk(chunk(1, 1));
    const auto after = channel.view();
    const auto& oldItems = before->tracks[0].segments.items();
    const auto& newItems = after->tracks[0].segments.items();
    QCOMPARE(newItems.size(), std::size_t(2));
    QCOMPARE(newItems[0].get(), oldItems[0].get());  // the complete segment: the same object
    QCOMPARE(newItems[0]->bytes->data(), first->bytes.data());
    QCOMPARE(newItems[1]->parts[0].bytes->data(), part->bytes.data());
    QCOMPARE(int(before->tracks[0].segments.back().parts.size()), 1);  // snapshots are immutable
}

void TstChannel::averageBitrateFollowsTheWindow() {
    Channel channel(config(8));
    channel.setTracks({videoTrack()});
    for (int n = 0; n < 30; ++n) {
        channel.addSegment(segment(n, 1000 + 100 * std::size_t(n)));
    }
    const auto view = channel.view();
    const TrackView& track = view->tracks[0];
    double bytes = 0;
    double seconds = 0;
    for (const auto& s : track.segments) {
        bytes += double(s.bytes->size());
        seconds += s.duration.seconds();
    }
    QVERIFY(std::abs(track.averageBitrateBps - bytes * 8 / seconds) <
            1e-6 * track.averageBitrateBps);
}

// 6,000 tracks declared with their headers: two new views (tracks, then headers), not 6,001.
void TstChannel::manyTracksPublishOnce() {
    Channel channel(config(60));
    std::vector<TrackInfo> tracks;
    std::vector<InitSegmentPtr> inits;
    for (int i = 0; i < 6000; ++i) {
        TrackInfo t = videoTrack();
        t.trackIndex = i;
        t.id = "t" + std::to_string(i);
        tracks.push_back(t);
        auto in = std::make_shared<InitSegment>();
        in->track = t;
        in->bytes = {uint8_t(i), 1};
        inits.push_back(in);
    }
    const uint64_t version = channel.view()->version;
    channel.setTracks(tracks);
    channel.setInits(inits);
    const auto view = channel.view();
    QCOMPARE(view->version, version + 2);
    QCOMPARE(view->tracks.size(), std::size_t(6000));
    QVERIFY(view->tracks[5999].init);
}

QTEST_GUILESS_MAIN(TstChannel)
#include "tst_channel.moc"

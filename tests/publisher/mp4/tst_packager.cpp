#include <QTest>

#include <algorithm>
#include <map>

#include "publisher/mp4/box_reader.h"
#include "publisher/mp4/packager.h"
#include "test_support.h"

using namespace podium;
using namespace podium::publisher;
namespace test = podium::publisher::mp4::test;

namespace {

/// Records every listener call in order.
class RecordingListener : public PackagerListener {
public:
    void onInitSegment(const InitSegmentPtr& init) override {
        inits.push_back(init);
        events += 'i';
    }
    void onChunk(const ChunkPtr& chunk) override {
        chunks.push_back(chunk);
        events += 'c';
    }
    void onSegment(const SegmentPtr& segment) override {
        segments[segment->trackIndex].push_back(segment);
        events += 's';
    }
    void onEndOfStream() override { events += 'e'; }

    std::vector<InitSegmentPtr> inits;
    std::vector<ChunkPtr> chunks;
    std::map<int, std::vector<SegmentPtr>> segments;
    std::string events;
};

// Two video renditions and audio, 7 s, interleaved by presentation time as an encoder would.
std::vector<EncodedPacket> interleavedSession() {
    std::vector<EncodedPacket> all;
    for (auto& p : test::makeVideoPackets(0, 210, 60, true))
        all.push_back(std::move(p));
    for (auto& p : test::makeVideoPackets(1, 210, 60, true))
        all.push_back(std::move(p));
    for (auto& p : test::makeAudioPackets(2, 328))
        all.push_back(std::move(p));
    std::stable_sort(all.begin(), all.end(), [](const EncodedPacket& a, const EncodedPacket& b) {
        const int32_t ta = a.kind == TrackKind::Audio ? 48000 : 90000;
        const int32_t tb = b.kind == TrackKind::Audio ? 48000 : 90000;
        return MediaTime{a.dts, ta} < MediaTime{b.dts, tb};
    });
    return all;
}

}  // namespace

class TstPackager : public QObject {
    Q_OBJECT
private slots:
    void alignedLadder();
    void unknownTrackIsAnError();
};

void TstPackager::alignedLadder() {
    RecordingListener listener;
    const std::vector<TrackInfo> tracks = {test::videoTrack(0, "720p", 1280, 720),
                                           test::videoTrack(1, "360p", 640, 360),
                                           test::audioTrack(2)};
    Packager packager(tracks, SegmentSchedule(MediaTime{2, 1}, MediaTime{1, 2}), listener);
    packager.start();
    const auto packets = interleavedSession();
    for (const EncodedPacket& p : packets) {
        auto added = packager.addPacket(p);
        QVERIFY2(added.has_value(), added ? "" : added.error().toString().c_str());
    }
    QVERIFY(packager.finish().has_value());
    QVERIFY(packager.finish().has_value());  // idempotent: no second end of stream

    // Inits first, in track order, each parseable with its own track ID; end once, last.
    QVERIFY(listener.events.starts_with("iii"));
    QCOMPARE(std::count(listener.events.begin(), listener.events.end(), 'i'), 3);
    QCOMPARE(std::count(listener.events.begin(), listener.events.end(), 'e'), 1);
    QVERIFY(listener.events.ends_with("e"));
    for (int i = 0; i < 3; ++i) {
        QCOMPARE(listener.inits[size_t(i)]->track.trackIndex, i);
        auto boxes = mp4::BoxReader::parse(listener.inits[size_t(i)]->bytes);
        QVERIFY(boxes.has_value());
        QVERIFY(mp4::findBox(*boxes, "moov/mvex/trex") != nullptr);
    }

    // Video renditions: same segment numbers and start times; 7 s -> segments 0..3.
    const auto& high = listener.segments[0];
    const auto& low = listener.segments[1];
    const auto& audio = listener.segments[2];
    QCOMPARE(high.size(), size_t(4));
    QCOMPARE(low.size(), high.size());
    QCOMPARE(audio.size(), high.size());
    for (size_t i = 0; i < high.size(); ++i) {
        QCOMPARE(high[i]->number, int64_t(i));
        QCOMPARE(low[i]->number, high[i]->number);
        QCOMPARE(low[i]->start, high[i]->start);
        QCOMPARE(low[i]->duration, high[i]->duration);
        QCOMPARE(audio[i]->number, high[i]->number);
        // Audio frames do not fall on the 2 s grid; they start within one frame of video.
        QVERIFY(audio[i]->start >= high[i]->start);
        const MediaTime lead = audio[i]->start - high[i]->start;
        QVERIFY(lead < MediaTime(1024, 48000));
        for (const auto* track : {&high, &low, &audio}) {
            QCOMPARE((*track)[i]->isLast, i + 1 == high.size());
        }
    }
    QCOMPARE(packager.packetsIn(), int64_t(packets.size()));
    QCOMPARE(packager.segmentsOut(), int64_t(12));
    QCOMPARE(packager.droppedPackets(), int64_t(0));
    QVERIFY(listener.chunks.size() >= 3 * 4 * 3);
}

void TstPackager::unknownTrackIsAnError() {
    RecordingListener listener;
    Packager packager({test::audioTrack(0)}, SegmentSchedule(MediaTime{2, 1}, MediaTime{1, 2}),
                      listener);
    packager.start();
    EncodedPacket p = test::makeAudioPackets(3, 1).front();
    auto added = packager.addPacket(p);
    QVERIFY(!added.has_value());
    QVERIFY(added.error().toString().find("track index 3") != std::string::npos);
}

QTEST_GUILESS_MAIN(TstPackager)
#include "tst_packager.moc"

#include <QTest>

#include <numeric>

#include "core/segment_schedule.h"
#include "publisher/mp4/box_reader.h"
#include "publisher/mp4/fragmenter.h"
#include "test_support.h"

using namespace podium;
using namespace podium::publisher;
using namespace podium::publisher::mp4;

Q_DECLARE_METATYPE(std::vector<podium::EncodedPacket>)
Q_DECLARE_METATYPE(podium::TrackInfo)

namespace {

SegmentSchedule twoSecondSegmentsHalfSecondParts() {
    return SegmentSchedule(MediaTime{2, 1}, MediaTime{1, 2});
}

struct Run {
    std::vector<Chunk> chunks;
    std::vector<Segment> segments;
    std::string order;  ///< 'c' per chunk, 's' per segment, in emission order
    int64_t dropped = 0;
};

Result<Run> fragment(const TrackInfo& track, const std::vector<EncodedPacket>& packets) {
    Fragmenter fragmenter(track, twoSecondSegmentsHalfSecondParts());
    Run run;
    auto take = [&run](FragmenterOutput out) {
        for (Chunk& c : out.chunks) {
            run.chunks.push_back(std::move(c));
            run.order += 'c';
        }
        for (Segment& s : out.segments) {
            run.segments.push_back(std::move(s));
            run.order += 's';
        }
    };
    for (const EncodedPacket& p : packets) {
        auto out = fragmenter.addPacket(p);
        if (!out) {
            return makeError(out.error());
        }
        take(std::move(*out));
    }
    auto out = fragmenter.finish();
    if (!out) {
        return makeError(out.error());
    }
    take(std::move(*out));
    run.dropped = fragmenter.droppedPackets();
    return run;
}

}  // namespace

class TstFragmenter : public QObject {
    Q_OBJECT
private slots:
    void segmentsAndParts_data();
    void segmentsAndParts();
    void chunkIsEmittedWhenTheNextPartStarts();
    void nonMonotonicDtsNamesTheTrack();
};

void TstFragmenter::segmentsAndParts_data() {
    QTest::addColumn<TrackInfo>("track");
    QTest::addColumn<std::vector<EncodedPacket>>("packets");
    QTest::addColumn<QList<qint64>>("numbers");
    QTest::addColumn<QList<qint64>>("starts");
    QTest::addColumn<QList<int>>("partsPerSegment");
    QTest::addColumn<int>("dropped");

    const TrackInfo video = test::videoTrack(0, "720p", 1280, 720);
    QTest::newRow("video 30 fps, IDR every 2 s, 6 s")
        << video << test::makeVideoPackets(0, 180, 60, false) << QList<qint64>{0, 1, 2}
        << QList<qint64>{0, 180000, 360000} << QList<int>{4, 4, 4} << 0;
    QTest::newRow("video with B-frames (negative composition offsets)")
        << video << test::makeVideoPackets(0, 180, 60, true) << QList<qint64>{0, 1, 2}
        << QList<qint64>{0, 180000, 360000} << QList<int>{4, 4, 4} << 0;
    QTest::newRow("audio 48 kHz, 1024-sample frames, 6 s")
        << test::audioTrack(1) << test::makeAudioPackets(1, 282) << QList<qint64>{0, 1, 2}
        << QList<qint64>{0, 96256, 192512} << QList<int>{4, 4, 4} << 0;
    QTest::newRow("IDR every 3 s: a non-keyframe at a boundary does not cut")
        << video << test::makeVideoPackets(0, 180, 90, true) << QList<qint64>{0, 1}
        << QList<qint64>{0, 270000} << QList<int>{6, 6} << 0;
    auto joinedMidGop = test::makeVideoPackets(0, 240, 60, false);
    joinedMidGop.erase(joinedMidGop.begin(), joinedMidGop.begin() + 30);
    QTest::newRow("joined mid-GOP: packets before the first IDR are dropped")
        << video << joinedMidGop << QList<qint64>{1, 2, 3} << QList<qint64>{180000, 360000, 540000}
        << QList<int>{4, 4, 4} << 30;
    QTest::newRow("finish() flushes a partial last segment")
        << video << test::makeVideoPackets(0, 100, 60, true) << QList<qint64>{0, 1}
        << QList<qint64>{0, 180000} << QList<int>{4, 3} << 0;
}

void TstFragmenter::segmentsAndParts() {
    QFETCH(TrackInfo, track);
    QFETCH(std::vector<EncodedPacket>, packets);
    QFETCH(QList<qint64>, numbers);
    QFETCH(QList<qint64>, starts);
    QFETCH(QList<int>, partsPerSegment);
    QFETCH(int, dropped);

    auto run = fragment(track, packets);
    QVERIFY2(run.has_value(), run ? "" : run.error().toString().c_str());
    QCOMPARE(run->dropped, int64_t(dropped));
    const std::vector<EncodedPacket> accepted(packets.begin() + dropped, packets.end());
    const int64_t shift = accepted.front().pts - accepted.front().dts;
    const int64_t streamEnd = accepted.back().dts + shift + accepted.back().duration;

    QCOMPARE(run->segments.size(), size_t(numbers.size()));
    size_t chunkIndex = 0;
    uint32_t expectedSequence = 1;
    size_t sampleIndex = 0;
    for (size_t i = 0; i < run->segments.size(); ++i) {
        const Segment& segment = run->segments[i];
        QCOMPARE(segment.number, numbers[qsizetype(i)]);
        QCOMPARE(segment.start.value, starts[qsizetype(i)]);
        QCOMPARE(segment.start.timescale, track.timescale);
        const int64_t end = i + 1 < run->segments.size() ? starts[qsizetype(i + 1)] : streamEnd;
        QCOMPARE(segment.duration.value, end - segment.start.value);
        QCOMPARE(segment.isLast, i + 1 == run->segments.size());
        QCOMPARE(segment.parts.size(), size_t(partsPerSegment[qsizetype(i)]));

        // Parts tile the segment; the segment is exactly its chunks, emitted before it.
        std::vector<uint8_t> concatenated;
        int64_t partDurations = 0;
        for (size_t p = 0; p < segment.parts.size(); ++p, ++chunkIndex) {
            const Chunk& chunk = run->chunks.at(chunkIndex);
            QCOMPARE(chunk.segmentNumber, segment.number);
            QCOMPARE(chunk.partIndex, int(p));
            QCOMPARE(segment.parts[p].offset, uint64_t(concatenated.size()));
            QCOMPARE(segment.parts[p].size, uint64_t(chunk.bytes.size()));
            QCOMPARE(chunk.start.value, segment.start.value + partDurations);
            QCOMPARE(segment.parts[p].isIndependent, chunk.isIndependent);
            concatenated.insert(concatenated.end(), chunk.bytes.begin(), chunk.bytes.end());
            partDurations += chunk.duration.value;
        }
        QVERIFY(segment.parts.front().isIndependent);
        QCOMPARE(segment.bytes, concatenated);
        QCOMPARE(partDurations, segment.duration.value);

        // Read the boxes back: styp first only, mfhd contiguous, tfdt = decode times, samples
        // reproduce the input pts/sizes, the first sample is sync.
        auto boxes = BoxReader::parse(segment.bytes);
        QVERIFY2(boxes.has_value(), boxes ? "" : boxes.error().toString().c_str());
        QCOMPARE(findAllBoxes(*boxes, "styp").size(), size_t(1));
        QCOMPARE(boxes->front().type.toString(), std::string("styp"));
        const auto moofs = findAllBoxes(*boxes, "moof");
        QCOMPARE(moofs.size(), segment.parts.size());
        int64_t decodeTime = segment.start.value;
        for (size_t m = 0; m < moofs.size(); ++m) {
            QCOMPARE(readMfhd(*findBox(moofs[m]->children, "mfhd")).value(), expectedSequence++);
            const uint64_t tfdt = readTfdt(*findBox(moofs[m]->children, "traf/tfdt")).value();
            QCOMPARE(int64_t(tfdt), decodeTime);
            const Trun trun = readTrun(*findBox(moofs[m]->children, "traf/trun")).value();
            if (m == 0) {
                QCOMPARE(trun.samples.front().flags, 0x02000000u);
            }
            for (const TrunSample& s : trun.samples) {
                const EncodedPacket& packet = accepted.at(sampleIndex++);
                QCOMPARE(decodeTime, packet.dts + shift);
                QCOMPARE(decodeTime + s.compositionOffset, packet.pts);
                QCOMPARE(s.size, uint32_t(packet.data.size()));
                const bool sync = track.kind == TrackKind::Audio || packet.isKeyframe;
                QCOMPARE(s.flags, sync ? 0x02000000u : 0x01010000u);
                decodeTime += s.duration;
            }
        }
    }
    QCOMPARE(sampleIndex, accepted.size());
    QCOMPARE(chunkIndex, run->chunks.size());
    // Every segment comes right after its own chunks.
    std::string expectedOrder;
    for (int parts : partsPerSegment) {
        expectedOrder += std::string(size_t(parts), 'c') + "s";
    }
    QCOMPARE(run->order, expectedOrder);
}

void TstFragmenter::chunkIsEmittedWhenTheNextPartStarts() {
    Fragmenter fragmenter(test::videoTrack(0, "720p", 1280, 720),
                          twoSecondSegmentsHalfSecondParts());
    const auto packets = test::makeVideoPackets(0, 30, 60, false);
    for (size_t i = 0; i < packets.size(); ++i) {
        auto out = fragmenter.addPacket(packets[i]);
        QVERIFY(out.has_value());
        // Frame 15 (pts 45000) is the first of part 1: part 0 is complete right then.
        QCOMPARE(out->chunks.size(), size_t(i == 15 ? 1 : 0));
        QVERIFY(out->segments.empty());
    }
}

void TstFragmenter::nonMonotonicDtsNamesTheTrack() {
    Fragmenter fragmenter(test::videoTrack(0, "720p", 1280, 720),
                          twoSecondSegmentsHalfSecondParts());
    auto packets = test::makeVideoPackets(0, 3, 60, false);
    packets[2].dts = packets[1].dts;
    QVERIFY(fragmenter.addPacket(packets[0]).has_value());
    QVERIFY(fragmenter.addPacket(packets[1]).has_value());
    auto out = fragmenter.addPacket(packets[2]);
    QVERIFY(!out.has_value());
    const QString message = QString::fromStdString(out.error().toString());
    QVERIFY2(message.contains("track 720p") && message.contains("dts"), qPrintable(message));
}

QTEST_GUILESS_MAIN(TstFragmenter)
#include "tst_fragmenter.moc"

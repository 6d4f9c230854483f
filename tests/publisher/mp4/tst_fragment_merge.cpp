// mp4::mergeFragments: the chunks of a segment become one moof + mdat with the same samples,
// in order, every field explicit; Smooth boxes on request; malformed segments are refused.
#include <QtTest>

#include <cstdint>
#include <span>
#include <vector>

#include "publisher/mp4/box_reader.h"
#include "publisher/mp4/box_writer.h"
#include "publisher/mp4/fragment_merge.h"
#include "publisher/mp4/media_segment.h"
#include "publisher/mp4/piff.h"

using namespace podium;
using namespace podium::publisher::mp4;

namespace {

struct Chunked {
    std::vector<uint8_t> segment;
    std::vector<std::vector<uint8_t>> payloads;  // every sample's bytes, in decode order
    std::vector<Sample> samples;
};

// `chunks` chunks of `perChunk` video samples (3000 ticks each), the first sample sync, the
// first chunk with a styp: what the packager stores for one low-latency segment.
Chunked chunkedSegment(int chunks, int perChunk, uint32_t trackId = 1) {
    Chunked c;
    c.payloads.reserve(size_t(chunks * perChunk));
    for (int i = 0; i < chunks * perChunk; ++i) {
        c.payloads.push_back(std::vector<uint8_t>(size_t(10 + i), uint8_t(i)));
    }
    for (int i = 0; i < chunks * perChunk; ++i) {
        c.samples.push_back(Sample{3000, i == 0, int32_t(i % 3) * 1500, c.payloads[size_t(i)]});
    }
    for (int k = 0; k < chunks; ++k) {
        ChunkConfig config;
        config.sequenceNumber = uint32_t(k + 1);
        config.trackId = trackId;
        config.baseDecodeTime = uint64_t(900000 + k * perChunk * 3000);
        if (k == 0) {
            config.stypBrands = segmentStypBrands();
        }
        const auto chunk = buildChunk(config, std::span<const Sample>(c.samples).subspan(
                                                  size_t(k * perChunk), size_t(perChunk)));
        c.segment.insert(c.segment.end(), chunk.begin(), chunk.end());
    }
    return c;
}

// One chunk whose trun states durations and sizes but no flags (and no first-sample flags),
// tfhd no default flags: what a foreign packager may store.
std::vector<uint8_t> unflaggedChunk(int samples) {
    BoxWriter out;
    size_t dataOffsetAt = 0;
    BoxScope moof = out.beginBox(FourCC{"moof"});
    {
        BoxScope mfhd = out.beginFullBox(FourCC{"mfhd"}, 0, 0);
        out.writeU32(1);
    }
    {
        BoxScope traf = out.beginBox(FourCC{"traf"});
        {
            BoxScope tfhd = out.beginFullBox(FourCC{"tfhd"}, 0, 0x020000);
            out.writeU32(1);
        }
        {
            BoxScope tfdt = out.beginFullBox(FourCC{"tfdt"}, 1, 0);
            out.writeU64(0);
        }
        {
            BoxScope trun = out.beginFullBox(FourCC{"trun"}, 0, 0x000001 | 0x000100 | 0x000200);
            out.writeU32(uint32_t(samples));
            dataOffsetAt = out.size();
            out.writeI32(0);
            for (int i = 0; i < samples; ++i) {
                out.writeU32(3000);
                out.writeU32(4);
            }
        }
    }
    const size_t moofSize = moof.close();
    out.patchU32(dataOffsetAt, uint32_t(moofSize + 8));
    {
        BoxScope mdat = out.beginBox(FourCC{"mdat"});
        for (int i = 0; i < samples; ++i) {
            out.writeU32(uint32_t(i));
        }
    }
    return out.take();
}

const Box* uuidChild(const Box& parent, const std::array<uint8_t, 16>& type) {
    for (const Box& b : parent.children) {
        if (b.type == FourCC{"uuid"} && b.userType == type) {
            return &b;
        }
    }
    return nullptr;
}

}  // namespace

class TstFragmentMerge : public QObject {
    Q_OBJECT

private slots:
    void mergesEveryChunk_data();
    void mergesEveryChunk();
    void smoothBoxes();
    void unflaggedSamplesFollowCmaf_data();
    void unflaggedSamplesFollowCmaf();
    void refusesMalformedSegments_data();
    void refusesMalformedSegments();
};

void TstFragmentMerge::mergesEveryChunk_data() {
    QTest::addColumn<int>("chunks");
    QTest::addColumn<int>("perChunk");
    QTest::newRow("one chunk") << 1 << 4;
    QTest::newRow("low-latency segment: 4 chunks of 15") << 4 << 15;
    QTest::newRow("a chunk per frame") << 12 << 1;
}

void TstFragmentMerge::mergesEveryChunk() {
    QFETCH(int, chunks);
    QFETCH(int, perChunk);
    const Chunked c = chunkedSegment(chunks, perChunk, 3);
    MergeOptions options;
    options.sequenceNumber = 42;
    options.decodeTime = 900000;
    auto merged = mergeFragments(c.segment, options);
    QVERIFY2(merged, merged ? "" : merged.error().toString().c_str());
    auto boxes = BoxReader::parse(*merged);
    QVERIFY(boxes);
    QCOMPARE(boxes->size(), size_t(2));  // moof + mdat, no styp
    QCOMPARE((*boxes)[0].type, FourCC{"moof"});
    QCOMPARE((*boxes)[1].type, FourCC{"mdat"});
    QCOMPARE(*readMfhd(*findBox(*boxes, "moof/mfhd")), uint32_t(42));
    QCOMPARE(*readTfdt(*findBox(*boxes, "moof/traf/tfdt")), uint64_t(900000));
    QCOMPARE(readTfhd(*findBox(*boxes, "moof/traf/tfhd"))->trackId, uint32_t(3));
    QVERIFY(!uuidChild(*findBox(*boxes, "moof/traf"), kTfxdUuid));

    // The merged fragment, read back, holds every sample with its fields and bytes.
    const PlacedBox moof{std::span<const uint8_t>(*merged).first(size_t((*boxes)[0].size)), 0, 8};
    const PlacedBox mdat{std::span<const uint8_t>(*merged).subspan(size_t((*boxes)[1].offset)),
                         (*boxes)[1].offset, 8};
    auto tracks = readFragment(moof, mdat, {});
    QVERIFY(tracks);
    QCOMPARE(tracks->size(), size_t(1));
    const auto& samples = (*tracks)[0].samples;
    QCOMPARE(samples.size(), c.samples.size());
    for (size_t i = 0; i < samples.size(); ++i) {
        QCOMPARE(samples[i].duration, c.samples[i].duration);
        QCOMPARE(samples[i].compositionOffset, c.samples[i].compositionOffset);
        QCOMPARE(samples[i].isSync(), c.samples[i].isSync);
        QVERIFY(std::equal(samples[i].data.begin(), samples[i].data.end(), c.payloads[i].begin(),
                           c.payloads[i].end()));
    }
}

void TstFragmentMerge::smoothBoxes() {
    const Chunked c = chunkedSegment(3, 2);
    MergeOptions options;
    options.tfxd = FragmentTime{900000, 18000};
    options.tfrf = {{918000, 18000}, {936000, 18000}};
    auto merged = mergeFragments(c.segment, options);
    QVERIFY(merged);
    auto boxes = BoxReader::parse(*merged);
    QVERIFY(boxes);
    const Box* traf = findBox(*boxes, "moof/traf");
    const Box* tfxd = uuidChild(*traf, kTfxdUuid);
    const Box* tfrf = uuidChild(*traf, kTfrfUuid);
    QVERIFY(tfxd && tfrf);
    QCOMPARE(readTfxdTime(*traf), std::optional<int64_t>(900000));
    QCOMPARE(tfxd->payload.size(), size_t(4 + 16));
    QCOMPARE(int(tfrf->payload[4]), 2);  // fragment_count
    QCOMPARE(tfrf->payload.size(), size_t(4 + 1 + 2 * 16));
}

void TstFragmentMerge::unflaggedSamplesFollowCmaf_data() {
    QTest::addColumn<bool>("video");
    QTest::newRow("video: only the first sample is sync") << true;
    QTest::newRow("audio: every sample is sync") << false;
}

void TstFragmentMerge::unflaggedSamplesFollowCmaf() {
    QFETCH(bool, video);
    MergeOptions options;
    options.video = video;
    auto merged = mergeFragments(unflaggedChunk(4), options);
    QVERIFY2(merged, merged ? "" : merged.error().toString().c_str());
    auto boxes = BoxReader::parse(*merged);
    QVERIFY(boxes);
    auto trun = readTrun(*findBox(*boxes, "moof/traf/trun"));
    QVERIFY(trun);
    QCOMPARE(trun->samples.size(), size_t(4));
    for (size_t i = 0; i < trun->samples.size(); ++i) {
        QCOMPARE(trun->samples[i].flags, sampleFlags(i == 0 || !video));
    }
}

void TstFragmentMerge::refusesMalformedSegments_data() {
    QTest::addColumn<QByteArray>("segment");
    QTest::addColumn<int>("code");
    const Chunked c = chunkedSegment(2, 3);
    const auto bytes = [](const std::vector<uint8_t>& v) {
        return QByteArray(reinterpret_cast<const char*>(v.data()), qsizetype(v.size()));
    };
    QTest::newRow("empty") << QByteArray() << int(ErrorCode::Parse);
    QTest::newRow("truncated") << bytes(c.segment).chopped(5) << int(ErrorCode::Parse);

    // A moof whose mdat is missing (the last chunk cut after its moof).
    auto boxes = BoxReader::parse(c.segment);
    const Box& lastMdat = boxes->back();
    QTest::newRow("moof without mdat")
        << bytes(c.segment).first(qsizetype(lastMdat.offset)) << int(ErrorCode::Parse);

    // Two chunks of different tracks in one segment.
    const Chunked other = chunkedSegment(1, 3, 2);
    std::vector<uint8_t> mixed = chunkedSegment(1, 3).segment;
    mixed.insert(mixed.end(), other.segment.begin(), other.segment.end());
    QTest::newRow("two tracks") << bytes(mixed) << int(ErrorCode::Parse);

    // No fragment at all.
    BoxWriter free;
    {
        BoxScope box = free.beginBox(FourCC{"free"});
        free.writeU32(0);
    }
    QTest::newRow("no moof") << bytes(free.take()) << int(ErrorCode::Parse);
}

void TstFragmentMerge::refusesMalformedSegments() {
    QFETCH(QByteArray, segment);
    QFETCH(int, code);
    const auto merged = mergeFragments(
        std::span(reinterpret_cast<const uint8_t*>(segment.constData()), size_t(segment.size())),
        MergeOptions{});
    QVERIFY(!merged);
    QCOMPARE(int(merged.error().code()), code);
}

QTEST_GUILESS_MAIN(TstFragmentMerge)
#include "tst_fragment_merge.moc"

// Issue #9 rows 1-4, replayed exactly: ingest bodies whose trun / tfhd fields lie (offsets
// outside the body, sample counts of 2^31 and 2^22, truns sharing mdat bytes), built with
// BoxWriter. Each is sent to an IngestSession (the parser's answer) and POSTed to a real
// OriginServer over loopback (the HTTP answer), after a good stream fed the same channel:
// the hostile POST gets its 4xx, nothing of it is stored, and the channel keeps serving.
#include <QTest>

#include <memory>
#include <string>
#include <vector>

#include "../server/origin_test_client.h"
#include "hostile_bodies.h"
#include "publisher/mp4/box_reader.h"
#include "publisher/mp4/fragment_reader.h"
#include "publisher/mp4/media_segment.h"
#include "publisher/origin/ingest/ingest_session.h"
#include "publisher/origin/server/origin_server.h"

using podium::ErrorCode;
using namespace podium::publisher::origin;
using namespace podium::publisher::origin::test;
namespace mp4 = podium::publisher::mp4;

Q_DECLARE_METATYPE(std::vector<uint8_t>)
Q_DECLARE_METATYPE(podium::ErrorCode)

namespace {

constexpr uint32_t kFrame = 3000;  // 90 kHz ticks at 30 fps

ChannelConfig channelDefaults() {
    ChannelConfig config;
    config.dvrWindow = podium::MediaTime{600 * 90000, 90000};
    return config;
}

// Row 1: a trun data_offset of -2^31 from the moof (wrapped to a huge position before).
std::vector<uint8_t> negativeDataOffset() {
    FragmentSpec spec = goodFragment(3, 60 * kFrame);
    spec.truns[0].dataOffset = INT32_MIN;
    return fragmentBytes(spec);
}

// Row 1: a small negative data_offset: before the mdat, into the stream's earlier bytes.
std::vector<uint8_t> dataOffsetIntoTheMoof() {
    FragmentSpec spec = goodFragment(3, 60 * kFrame);
    spec.truns[0].dataOffset = -64;
    return fragmentBytes(spec);
}

// Row 1: tfhd base_data_offset near 2^64: base + data_offset wraps.
std::vector<uint8_t> baseDataOffsetWraps() {
    FragmentSpec spec = goodFragment(3, 60 * kFrame);
    spec.baseDataOffset = ~uint64_t(0) - 100;
    spec.truns[0].dataOffset = 4096;
    return fragmentBytes(spec);
}

// Row 1: tfhd base_data_offset far outside the body (no data_offset).
std::vector<uint8_t> baseDataOffsetOutside() {
    FragmentSpec spec = goodFragment(3, 60 * kFrame);
    spec.baseDataOffset = uint64_t(1) << 40;
    return fragmentBytes(spec);
}

// Row 1: tfhd base_data_offset 0: the ftyp, inside the body but not in the mdat.
std::vector<uint8_t> baseDataOffsetAtTheHeader() {
    FragmentSpec spec = goodFragment(3, 60 * kFrame);
    spec.baseDataOffset = 0;
    return fragmentBytes(spec);
}

// Rows 2 and 3: `count` samples of size 0 claimed by 12 bytes of trun.
std::vector<uint8_t> emptySamples(uint32_t count) {
    return countOnlyFragment(count, 60 * kFrame);
}

// Row 4: `runs` truns, each claiming the whole 4 KiB mdat payload.
std::vector<uint8_t> trunsOverTheSameBytes(int runs) {
    FragmentSpec spec;
    spec.sequence = 3;
    spec.decodeTime = 60 * kFrame;
    for (int i = 0; i < runs; ++i) {
        spec.truns.push_back(TrunSpec{1, 0, std::nullopt, std::vector<uint32_t>{4096}});
    }
    spec.mdatPayload.assign(4096, 0x41);
    return fragmentBytes(everyTrunAtPayloadStart(spec));
}

// The good stream: header + two 1 s fragments.
std::vector<uint8_t> goodBody() {
    return bodyOf({goodFragment(1, 0), goodFragment(2, 30 * kFrame)});
}

std::vector<uint8_t> headerThen(const std::vector<uint8_t>& fragment) {
    std::vector<uint8_t> body = hostileHeader();
    body.insert(body.end(), fragment.begin(), fragment.end());
    return body;
}

podium::Result<void> feedAll(IngestSession& session, const std::vector<uint8_t>& bytes) {
    if (auto fed = session.feed(bytes); !fed) {
        return fed;
    }
    return session.finish();
}

size_t segmentCount(const ChannelStore& store) {
    size_t n = 0;
    if (const auto channel = store.find("ch")) {
        for (const auto& t : channel->view()->tracks) {
            n += t.segments.size();
        }
    }
    return n;
}

}  // namespace

class TstHostileIngest : public QObject {
    Q_OBJECT

private slots:
    void goodStreamIsStored();
    void hostileFragment_data();
    void hostileFragment();
    void hostilePostOverHttp_data();
    void hostilePostOverHttp();
    void readerRefusesEachRowWithoutAllocating();
    void normalisedBytesMatchesTheChunkWriter();
    void sixThousandTraksAreRefusedAtOnce();
    void channelTrackLimitCountsEveryPost();

private:
    void rows();
};

void TstHostileIngest::goodStreamIsStored() {
    ChannelStore store(channelDefaults());
    IngestSession session(store, "ch", "cam");
    const auto body = goodBody();
    const auto fed = feedAll(session, body);
    QVERIFY2(fed.has_value(), fed ? "" : fed.error().toString().c_str());
    QCOMPARE(segmentCount(store), size_t(2));
    QVERIFY(session.stats().bytesStored <= IngestSession::kMaxExpansion * body.size());
}

void TstHostileIngest::rows() {
    QTest::addColumn<std::vector<uint8_t>>("fragment");
    QTest::addColumn<ErrorCode>("code");
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("mustSay");
    QTest::newRow("trun data_offset -2^31")
        << negativeDataOffset() << ErrorCode::Parse << 400 << "points outside the stream";
    QTest::newRow("trun data_offset -64, into the moof")
        << dataOffsetIntoTheMoof() << ErrorCode::Parse << 400 << "outside its mdat";
    QTest::newRow("tfhd base_data_offset + data_offset wraps past 2^64")
        << baseDataOffsetWraps() << ErrorCode::Parse << 400 << "points outside the stream";
    QTest::newRow("tfhd base_data_offset 2^40, beyond the body")
        << baseDataOffsetOutside() << ErrorCode::Parse << 400 << "outside its mdat";
    QTest::newRow("tfhd base_data_offset 0, the header bytes")
        << baseDataOffsetAtTheHeader() << ErrorCode::Parse << 400 << "outside its mdat";
    QTest::newRow("trun sample_count 2^31, tiny payload")
        << emptySamples(0x80000000u) << ErrorCode::LimitExceeded << 413 << "65536 samples";
    QTest::newRow("trun sample_count 2^22 of empty samples")
        << emptySamples(1u << 22) << ErrorCode::LimitExceeded << 413 << "65536 samples";
    QTest::newRow("65,536 empty samples: within the count, x2 amplification")
        << emptySamples(65536) << ErrorCode::LimitExceeded << 413 << "bytes received";
    QTest::newRow("64 truns over the same mdat bytes")
        << trunsOverTheSameBytes(64) << ErrorCode::Parse << 400 << "share mdat bytes";
}

void TstHostileIngest::hostileFragment_data() {
    rows();
}

void TstHostileIngest::hostileFragment() {
    QFETCH(std::vector<uint8_t>, fragment);
    QFETCH(ErrorCode, code);
    QFETCH(QString, mustSay);
    ChannelStore store(channelDefaults());
    {
        IngestSession good(store, "ch", "cam");
        QVERIFY(feedAll(good, goodBody()).has_value());
    }
    const auto before = store.find("ch")->view();
    IngestSession session(store, "ch", "cam");
    const auto result = feedAll(session, headerThen(fragment));
    QVERIFY(!result.has_value());
    QCOMPARE(result.error().code(), code);
    QVERIFY2(QString::fromStdString(result.error().toString()).contains(mustSay),
             result.error().toString().c_str());
    QCOMPARE(session.stats().segmentsAdded, uint64_t(0));
    QCOMPARE(session.stats().bytesStored, uint64_t(0));
    const auto after = store.find("ch")->view();
    QCOMPARE(after->tracks.size(), before->tracks.size());
    QCOMPARE(after->tracks[0].segments.size(), before->tracks[0].segments.size());
    QCOMPARE(after->tracks[0].segments.back().bytes, before->tracks[0].segments.back().bytes);
}

void TstHostileIngest::hostilePostOverHttp_data() {
    rows();
}

void TstHostileIngest::hostilePostOverHttp() {
    QFETCH(std::vector<uint8_t>, fragment);
    QFETCH(int, status);
    ChannelStore store(channelDefaults());
    auto server = OriginServer::start(OriginConfig{}, store);
    QVERIFY2(server, server ? "" : server.error().toString().c_str());
    const uint16_t port = (*server)->port();
    const auto asText = [](const std::vector<uint8_t>& b) {
        return std::string(b.begin(), b.end());
    };

    TestClient encoder(port);
    QCOMPARE(encoder.request("POST", "/live/ch.isml/Streams(cam)", {}, asText(goodBody())).status,
             200);
    TestClient viewer(port);
    const HttpResult segmentBefore = viewer.get("/live/ch/cam/seg_1.m4s");
    QCOMPARE(segmentBefore.status, 200);

    TestClient attacker(port);
    const HttpResult refused =
        attacker.request("POST", "/live/ch.isml/Streams(cam)", {}, asText(headerThen(fragment)));
    QCOMPARE(refused.status, status);
    QCOMPARE(refused.header("connection"), std::string("close"));

    // Nothing was stored: still two segments; the viewer keeps being served the same bytes.
    QCOMPARE(segmentCount(store), size_t(2));
    const HttpResult playlist = viewer.get("/live/ch/cam/index.m3u8");
    QCOMPARE(playlist.status, 200);
    QVERIFY(playlist.body.find("seg_1.m4s") != std::string::npos);
    QVERIFY(playlist.body.find("seg_2.m4s") == std::string::npos);
    const HttpResult segmentAfter = viewer.get("/live/ch/cam/seg_1.m4s");
    QCOMPARE(segmentAfter.status, 200);
    QCOMPARE(segmentAfter.body, segmentBefore.body);
    // And the stream goes on: the encoder's next fragment is accepted.
    TestClient resumed(port);
    QCOMPARE(resumed
                 .request("POST", "/live/ch.isml/Streams(cam)", {},
                          asText(bodyOf({goodFragment(3, 60 * kFrame)})))
                 .status,
             200);
    QCOMPARE(segmentCount(store), size_t(3));
}

void TstHostileIngest::readerRefusesEachRowWithoutAllocating() {
    // The parser's own answer to the count rows, before any sample is materialised: a
    // trun of 2^31 default samples used to be resize()d (std::bad_alloc in the I/O loop).
    const auto bytes = emptySamples(0x80000000u);
    const auto boxes = mp4::BoxReader::parse(bytes);
    QVERIFY(boxes.has_value());
    const auto trun = mp4::readTrun(*mp4::findBox(*boxes, "moof/traf/trun"));
    QVERIFY(!trun.has_value());
    QCOMPARE(trun.error().code(), ErrorCode::LimitExceeded);
    QVERIFY2(trun.error().toString().find("sample_count 2147483648") != std::string::npos,
             trun.error().toString().c_str());

    // readFragment: the samples of all trafs of a moof count against one budget.
    const auto overlapping = trunsOverTheSameBytes(2);
    const auto top = mp4::BoxReader::parse(overlapping);
    QVERIFY(top.has_value());
    StreamBox moof{mp4::FourCC{"moof"}, 1000, 8, {}};
    moof.bytes.assign(overlapping.begin(), overlapping.begin() + std::ptrdiff_t((*top)[0].size));
    StreamBox mdat{mp4::FourCC{"mdat"}, 1000 + (*top)[0].size, 8, {}};
    mdat.bytes.assign(overlapping.begin() + std::ptrdiff_t((*top)[0].size), overlapping.end());
    QCOMPARE(mp4::readFragment(moof.placed(), mdat.placed(), {}, 1).error().code(),
             ErrorCode::LimitExceeded);
    const auto shared = mp4::readFragment(moof.placed(), mdat.placed(), {});
    QVERIFY(!shared.has_value());
    QCOMPARE(shared.error().code(), ErrorCode::Parse);
}

void TstHostileIngest::normalisedBytesMatchesTheChunkWriter() {
    // The amplification bound counts segments with this formula: it must be buildChunk's size.
    for (const size_t count : {size_t(1), size_t(7), size_t(300)}) {
        std::vector<std::vector<uint8_t>> payloads;
        std::vector<mp4::Sample> samples;
        uint64_t data = 0;
        for (size_t i = 0; i < count; ++i) {
            payloads.push_back(std::vector<uint8_t>(i % 5, uint8_t(i)));
            data += payloads.back().size();
        }
        for (const auto& p : payloads) {
            samples.push_back(mp4::Sample{kFrame, true, 0, p});
        }
        mp4::ChunkConfig config;
        config.stypBrands = mp4::segmentStypBrands();
        QCOMPARE(uint64_t(mp4::buildChunk(config, samples).size()),
                 IngestSession::normalisedBytes(count, data));
    }
}

void TstHostileIngest::sixThousandTraksAreRefusedAtOnce() {
    // Two POSTs of 6,000 traks each used to stall /healthz for 5.6 s (quadratic merging under
    // the header lock). The moov is refused from its trak count, before any track is read.
    const auto header = hostileHeader();
    const auto boxes = mp4::BoxReader::parse(header);
    QVERIFY(boxes.has_value());
    const mp4::Box* trak = mp4::findBox(*boxes, "moov/trak");
    const mp4::Box& moovBox = (*boxes)[1];
    QVERIFY(trak && moovBox.type == mp4::FourCC{"moov"});
    mp4::BoxWriter w;
    {
        mp4::BoxScope moov = w.beginBox(mp4::FourCC{"moov"});
        for (int i = 0; i < 6000; ++i) {
            w.writeBytes(
                std::span<const uint8_t>(header).subspan(size_t(trak->offset), size_t(trak->size)));
        }
    }
    std::vector<uint8_t> body(header.begin(), header.begin() + std::ptrdiff_t(moovBox.offset));
    body.insert(body.end(), w.bytes().begin(), w.bytes().end());

    ChannelStore store(channelDefaults());
    for (int post = 0; post < 2; ++post) {
        IngestSession session(store, "ch", "many" + std::to_string(post));
        const auto result = feedAll(session, body);
        QVERIFY(!result.has_value());
        QCOMPARE(result.error().code(), ErrorCode::LimitExceeded);
        QVERIFY2(result.error().toString().find("6000 tracks") != std::string::npos,
                 result.error().toString().c_str());
    }
    QVERIFY(store.find("ch") == nullptr);  // no channel was created for them
}

void TstHostileIngest::channelTrackLimitCountsEveryPost() {
    // Each POST declares one track; the channel's union is what the limit bounds.
    OriginLimits limits;
    limits.maxTracksPerChannel = 3;
    ChannelStore store(channelDefaults());
    for (int post = 0; post < 3; ++post) {
        IngestSession session(store, "ch", "cam" + std::to_string(post), nullptr, limits);
        QVERIFY(feedAll(session, hostileHeader()).has_value());
    }
    IngestSession fourth(store, "ch", "cam3", nullptr, limits);
    const auto result = feedAll(fourth, hostileHeader());
    QVERIFY(!result.has_value());
    QCOMPARE(result.error().code(), ErrorCode::LimitExceeded);
    QCOMPARE(store.find("ch")->view()->tracks.size(), size_t(3));
    // A reconnect of an existing stream id still fits.
    IngestSession again(store, "ch", "cam1", nullptr, limits);
    QVERIFY(feedAll(again, hostileHeader()).has_value());
}

QTEST_GUILESS_MAIN(TstHostileIngest)
#include "tst_hostile_ingest.moc"

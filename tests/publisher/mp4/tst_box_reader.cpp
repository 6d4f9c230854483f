#include <QTest>

#include <random>
#include <vector>

#include "publisher/mp4/box_reader.h"
#include "publisher/mp4/box_writer.h"
#include "publisher/mp4/init_segment.h"
#include "publisher/mp4/media_segment.h"
#include "test_support.h"

using namespace podium;
using namespace podium::publisher::mp4;

Q_DECLARE_METATYPE(std::vector<uint8_t>)

namespace {
std::vector<uint8_t> bytesOf(std::initializer_list<int> values) {
    std::vector<uint8_t> out;
    for (int v : values) {
        out.push_back(uint8_t(v));
    }
    return out;
}
}  // namespace

class TstBoxReader : public QObject {
    Q_OBJECT
private slots:
    void roundTripTree();
    void sizeZeroExtendsToEnd();
    void largeSize();
    void malformed_data();
    void malformed();
    void typedReaders();
    void dumpShowsKeyFields();
    void deepNestingIsRefused();
    void mutatedInputsNeverCrash();
    void trunCountIsBoundedBeforeAllocating();
    void boxCountIsBounded();
};

void TstBoxReader::roundTripTree() {
    const TrackInfo track = test::videoTrack(0, "240p", 320, 240);
    const std::vector<uint8_t> init = buildInitSegment(track);
    auto boxes = BoxReader::parse(init);
    QVERIFY2(boxes.has_value(), boxes ? "" : boxes.error().toString().c_str());
    QCOMPARE(boxes->size(), size_t(2));
    QCOMPARE(boxes->at(0).type.toString(), std::string("ftyp"));
    QCOMPARE(boxes->at(1).offset, boxes->at(0).size);
    QCOMPARE(boxes->at(0).size + boxes->at(1).size, uint64_t(init.size()));
    const Box* avcC = findBox(*boxes, "moov/trak/mdia/minf/stbl/stsd/avc1/avcC");
    QVERIFY(avcC != nullptr);
    QVERIFY(std::equal(avcC->payload.begin(), avcC->payload.end(), track.avcDecoderConfig.begin(),
                       track.avcDecoderConfig.end()));
    QVERIFY(findBox(*boxes, "moov/mvex/trex") != nullptr);
    QVERIFY(findBox(*boxes, "moov/trak/nope") == nullptr);
    QCOMPARE(findAllBoxes(*boxes, "moov/trak").size(), size_t(1));
}

void TstBoxReader::sizeZeroExtendsToEnd() {
    const auto bytes =
        bytesOf({0, 0, 0, 8, 'f', 'r', 'e', 'e', 0, 0, 0, 0, 'm', 'd', 'a', 't', 1, 2, 3});
    auto boxes = BoxReader::parse(bytes);
    QVERIFY(boxes.has_value());
    QCOMPARE(boxes->size(), size_t(2));
    QCOMPARE(boxes->at(1).size, uint64_t(11));
    QCOMPARE(boxes->at(1).payload.size(), size_t(3));
}

void TstBoxReader::largeSize() {
    const auto bytes =
        bytesOf({0, 0, 0, 1, 'm', 'd', 'a', 't', 0, 0, 0, 0, 0, 0, 0, 20, 9, 8, 7, 6});
    auto boxes = BoxReader::parse(bytes);
    QVERIFY2(boxes.has_value(), boxes ? "" : boxes.error().toString().c_str());
    QCOMPARE(boxes->at(0).headerSize, 16u);
    QCOMPARE(boxes->at(0).size, uint64_t(20));
    QCOMPARE(boxes->at(0).payload.size(), size_t(4));
    QCOMPARE(boxes->at(0).payload[0], uint8_t(9));
}

void TstBoxReader::malformed_data() {
    QTest::addColumn<std::vector<uint8_t>>("bytes");
    QTest::addColumn<QString>("mustMention");
    QTest::newRow("size smaller than a header")
        << bytesOf({0, 0, 0, 4, 'f', 'r', 'e', 'e'}) << "box 'free' at offset 0";
    QTest::newRow("top-level box longer than the file")
        << bytesOf({0, 0, 0, 100, 'f', 't', 'y', 'p', 'i', 's', 'o', '6'})
        << "box 'ftyp' at offset 0";
    QTest::newRow("child overruns its parent")
        << bytesOf({0, 0, 0, 16, 'm', 'o', 'o', 'v', 0, 0, 0, 100, 't', 'r', 'a', 'k'})
        << "box 'trak' at offset 8";
    QTest::newRow("truncated header after a good box")
        << bytesOf({0, 0, 0, 8, 'f', 'r', 'e', 'e', 0, 0, 1}) << "offset 8";
    QTest::newRow("truncated largesize")
        << bytesOf({0, 0, 0, 1, 'm', 'd', 'a', 't', 0, 0}) << "box 'mdat' at offset 0";
    QTest::newRow("largesize beyond the file")
        << bytesOf({0, 0, 0, 1, 'm', 'd', 'a', 't', 0, 0, 0, 1, 0, 0, 0, 0})
        << "box 'mdat' at offset 0";
    QTest::newRow("largesize smaller than its header")
        << bytesOf({0, 0, 0, 1, 'm', 'd', 'a', 't', 0, 0, 0, 0, 0, 0, 0, 8})
        << "box 'mdat' at offset 0";
    QTest::newRow("truncated uuid user type")
        << bytesOf({0, 0, 0, 12, 'u', 'u', 'i', 'd', 1, 2, 3, 4}) << "box 'uuid' at offset 0";
    QTest::newRow("sample entry shorter than its fields")
        << bytesOf({0, 0, 0, 20, 'a', 'v', 'c', '1', 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0})
        << "box 'avc1' at offset 0";
}

void TstBoxReader::malformed() {
    QFETCH(std::vector<uint8_t>, bytes);
    QFETCH(QString, mustMention);
    auto boxes = BoxReader::parse(bytes);
    QVERIFY(!boxes.has_value());
    QCOMPARE(boxes.error().code(), ErrorCode::Parse);
    const QString message = QString::fromStdString(boxes.error().toString());
    QVERIFY2(message.contains(mustMention), qPrintable(message));
    QVERIFY(dumpTree(bytes).starts_with("parse error"));
}

void TstBoxReader::typedReaders() {
    const std::vector<uint8_t> a{1, 2, 3}, b{4, 5};
    const Sample samples[] = {{3000, true, 0, a}, {1500, false, -3000, b}};
    ChunkConfig config;
    config.sequenceNumber = 42;
    config.trackId = 3;
    config.baseDecodeTime = 0x123456789ULL;
    const auto chunk = buildChunk(config, samples);
    auto boxes = BoxReader::parse(chunk);
    QVERIFY(boxes.has_value());
    QCOMPARE(readMfhd(*findBox(*boxes, "moof/mfhd")).value(), 42u);
    QCOMPARE(readTfdt(*findBox(*boxes, "moof/traf/tfdt")).value(), 0x123456789ULL);
    QCOMPARE(readTfhd(*findBox(*boxes, "moof/traf/tfhd")).value().trackId, 3u);
    const Trun trun = readTrun(*findBox(*boxes, "moof/traf/trun")).value();
    QCOMPARE(trun.samples.size(), size_t(2));
    QCOMPARE(trun.samples[1].compositionOffset, int64_t(-3000));
    QCOMPARE(trun.samples[1].duration, 1500u);
    QCOMPARE(trun.samples[0].size, 3u);

    Box shortTrun;
    shortTrun.type = FourCC{"trun"};
    const auto lying = bytesOf({1, 0, 0x0f, 0x01, 0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0});
    shortTrun.payload = lying;
    auto bad = readTrun(shortTrun);
    QVERIFY(!bad.has_value());
    QVERIFY(QString::fromStdString(bad.error().toString()).contains("trun"));
}

void TstBoxReader::dumpShowsKeyFields() {
    const std::vector<uint8_t> data{1, 2, 3};
    const Sample samples[] = {{1024, true, 0, data}};
    ChunkConfig config;
    config.sequenceNumber = 7;
    config.baseDecodeTime = 96000;
    config.stypBrands = segmentStypBrands();
    const std::string text = dumpTree(buildChunk(config, samples));
    QVERIFY2(text.find("styp [size 32] major=msdh") == 0, text.c_str());
    QVERIFY2(text.find("\n  mfhd [size 16] v0 flags=0x000000 sequence=7") != std::string::npos,
             text.c_str());
    QVERIFY2(text.find("base_media_decode_time=96000") != std::string::npos, text.c_str());
    QVERIFY2(text.find("sample_count=1") != std::string::npos, text.c_str());
    QVERIFY2(text.find("mdat [size 11] payload=3") != std::string::npos, text.c_str());
}

void TstBoxReader::deepNestingIsRefused() {
    BoxWriter w;
    std::vector<BoxScope> scopes;
    for (int i = 0; i < 200; ++i) {
        scopes.push_back(w.beginBox(FourCC{"moov"}));
    }
    while (!scopes.empty()) {
        scopes.pop_back();
    }
    auto boxes = BoxReader::parse(w.bytes());
    QVERIFY(!boxes.has_value());
    QVERIFY(boxes.error().toString().find("nested too deeply") != std::string::npos);
}

void TstBoxReader::mutatedInputsNeverCrash() {
    // Deterministic mutation fuzzing of a real init + chunk: every outcome is a tree or a
    // Status, and dumpTree never reads out of bounds (run under ASan to make that strict).
    std::vector<uint8_t> original = buildInitSegment(test::audioTrack(0));
    const std::vector<uint8_t> data{1, 2, 3};
    const Sample samples[] = {{1024, true, 0, data}, {1024, true, 0, data}};
    const auto chunk = buildChunk(ChunkConfig{}, samples);
    original.insert(original.end(), chunk.begin(), chunk.end());
    std::mt19937 random(1234);
    int parsed = 0;
    for (int i = 0; i < 3000; ++i) {
        std::vector<uint8_t> bytes = original;
        const int edits = 1 + int(random() % 4);
        for (int e = 0; e < edits; ++e) {
            bytes[random() % bytes.size()] = uint8_t(random());
        }
        if (i % 7 == 0) {
            bytes.resize(random() % bytes.size());
        }
        auto boxes = BoxReader::parse(bytes);
        if (boxes) {
            ++parsed;
            (void)dumpTree(*boxes);
            if (const Box* trun = findBox(*boxes, "moof/traf/trun")) {
                (void)readTrun(*trun);
            }
        }
    }
    QVERIFY(parsed > 0);
}

void TstBoxReader::trunCountIsBoundedBeforeAllocating() {
    // sample_count 2^31 with no per-sample field: 16 bytes that used to resize() 48 GiB.
    BoxWriter w;
    {
        BoxScope trun = w.beginFullBox(FourCC{"trun"}, 0, 0);
        w.writeU32(0x80000000u);
    }
    const auto boxes = BoxReader::parse(w.bytes());
    QVERIFY(boxes.has_value());
    const auto refused = readTrun(boxes->front());
    QVERIFY(!refused.has_value());
    QCOMPARE(refused.error().code(), ErrorCode::LimitExceeded);
    QVERIFY2(refused.error().toString().find("sample_count 2147483648 is over the limit of "
                                             "65536") != std::string::npos,
             refused.error().toString().c_str());
    // The limit is the caller's; at the limit the samples are read.
    BoxWriter small;
    {
        BoxScope trun = small.beginFullBox(FourCC{"trun"}, 0, 0);
        small.writeU32(3);
    }
    const auto three = BoxReader::parse(small.bytes());
    QCOMPARE(readTrun(three->front(), 3).value().samples.size(), size_t(3));
    QCOMPARE(readTrun(three->front(), 2).error().code(), ErrorCode::LimitExceeded);
}

void TstBoxReader::boxCountIsBounded() {
    // 8-byte empty boxes cost ~100 bytes of tree each: the tree is capped.
    BoxWriter w;
    for (int i = 0; i < 1000; ++i) {
        BoxScope box = w.beginBox(FourCC{"free"});
    }
    QVERIFY(BoxReader::parse(w.bytes(), 1000).has_value());
    const auto refused = BoxReader::parse(w.bytes(), 999);
    QVERIFY(!refused.has_value());
    QCOMPARE(refused.error().code(), ErrorCode::LimitExceeded);
    QVERIFY2(refused.error().toString().find("more than 999 boxes") != std::string::npos,
             refused.error().toString().c_str());
}

QTEST_GUILESS_MAIN(TstBoxReader)
#include "tst_box_reader.moc"

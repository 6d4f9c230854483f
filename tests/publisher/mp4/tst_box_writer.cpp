#include <QTest>

#include <vector>

#include "publisher/mp4/box_reader.h"
#include "publisher/mp4/box_writer.h"

using namespace podium::publisher::mp4;

Q_DECLARE_METATYPE(std::vector<uint8_t>)

class TstBoxWriter : public QObject {
    Q_OBJECT
private slots:
    void fourCC();
    void bigEndian_data();
    void bigEndian();
    void nestedScopesPatchSizes();
    void fullBoxHeader();
    void uuidBox();
    void closeEarlyReportsSize();
};

void TstBoxWriter::fourCC() {
    constexpr FourCC moof{"moof"};
    static_assert(moof.value == 0x6d6f6f66);
    QCOMPARE(moof.toString(), std::string("moof"));
    QCOMPARE(FourCC{0x00616263}.toString(), std::string(".abc"));
    QVERIFY(FourCC{"url "} == FourCC{0x75726c20});
}

void TstBoxWriter::bigEndian_data() {
    QTest::addColumn<int>("width");
    QTest::addColumn<qint64>("value");
    QTest::addColumn<std::vector<uint8_t>>("expected");
    QTest::newRow("u8") << 8 << qint64(0xab) << std::vector<uint8_t>{0xab};
    QTest::newRow("u16") << 16 << qint64(0x1234) << std::vector<uint8_t>{0x12, 0x34};
    QTest::newRow("u24 (full box flags)")
        << 24 << qint64(0x020001) << std::vector<uint8_t>{0x02, 0x00, 0x01};
    QTest::newRow("u32") << 32 << qint64(0xdeadbeef)
                         << std::vector<uint8_t>{0xde, 0xad, 0xbe, 0xef};
    QTest::newRow("u64 above 32 bits (tfdt v1)")
        << 64 << qint64(0x0102030405060708LL) << std::vector<uint8_t>{1, 2, 3, 4, 5, 6, 7, 8};
    QTest::newRow("i32 negative (trun v1 cto)")
        << -32 << qint64(-3000) << std::vector<uint8_t>{0xff, 0xff, 0xf4, 0x48};
    QTest::newRow("i64 negative") << -64 << qint64(-1) << std::vector<uint8_t>(8, 0xff);
}

void TstBoxWriter::bigEndian() {
    QFETCH(int, width);
    QFETCH(qint64, value);
    QFETCH(std::vector<uint8_t>, expected);
    BoxWriter w;
    switch (width) {
        case 8:
            w.writeU8(uint8_t(value));
            break;
        case 16:
            w.writeU16(uint16_t(value));
            break;
        case 24:
            w.writeU24(uint32_t(value));
            break;
        case 32:
            w.writeU32(uint32_t(value));
            break;
        case 64:
            w.writeU64(uint64_t(value));
            break;
        case -32:
            w.writeI32(int32_t(value));
            break;
        case -64:
            w.writeI64(value);
            break;
        default:
            QFAIL("bad width");
    }
    QCOMPARE(w.bytes(), expected);
}

void TstBoxWriter::nestedScopesPatchSizes() {
    BoxWriter w;
    {
        BoxScope moov = w.beginBox(FourCC{"moov"});
        {
            BoxScope trak = w.beginBox(FourCC{"trak"});
            w.writeU32(7);
        }
        BoxScope free = w.beginBox(FourCC{"free"});
    }
    const std::vector<uint8_t> expected = {0, 0, 0, 28, 'm', 'o', 'o', 'v',  // moov: 8 + 12 + 8
                                           0, 0, 0, 12, 't', 'r', 'a', 'k',
                                           0, 0, 0, 7,  // trak: 8 + 4
                                           0, 0, 0, 8,  'f', 'r', 'e', 'e'};
    QCOMPARE(w.bytes(), expected);
}

void TstBoxWriter::fullBoxHeader() {
    BoxWriter w;
    {
        BoxScope tfdt = w.beginFullBox(FourCC{"tfdt"}, 1, 0x020001);
        w.writeU64(90000);
    }
    const std::vector<uint8_t> expected = {0,    0,    0, 20, 't', 'f', 'd', 't', 1,    0x02,
                                           0x00, 0x01, 0, 0,  0,   0,   0,   1,   0x5f, 0x90};
    QCOMPARE(w.bytes(), expected);
}

void TstBoxWriter::uuidBox() {
    const std::array<uint8_t, 16> tfxd = {0x6d, 0x1d, 0x9b, 0x05, 0x42, 0xd5, 0x44, 0xe6,
                                          0x80, 0xe2, 0x14, 0x1d, 0xaf, 0xf7, 0x57, 0xb2};
    BoxWriter w;
    {
        BoxScope box = w.beginUuidBox(tfxd);
        w.writeU32(0xcafebabe);
    }
    QCOMPARE(w.size(), size_t(8 + 16 + 4));
    QCOMPARE(w.bytes()[3], uint8_t(28));
    auto boxes = BoxReader::parse(w.bytes());
    QVERIFY2(boxes.has_value(), boxes ? "" : boxes.error().toString().c_str());
    QCOMPARE(boxes->size(), size_t(1));
    const Box& box = boxes->front();
    QCOMPARE(box.type.toString(), std::string("uuid"));
    QCOMPARE(box.headerSize, 24u);
    QVERIFY(box.userType == tfxd);
    QCOMPARE(box.payload.size(), size_t(4));
}

void TstBoxWriter::closeEarlyReportsSize() {
    BoxWriter w;
    BoxScope mdat = w.beginBox(FourCC{"mdat"});
    w.writeZeros(5);
    QCOMPARE(mdat.close(), size_t(13));
    w.writeU8(1);  // after close: not part of the box
    QCOMPARE(mdat.close(), size_t(13));
    QCOMPARE(w.bytes()[3], uint8_t(13));
}

QTEST_GUILESS_MAIN(TstBoxWriter)
#include "tst_box_writer.moc"

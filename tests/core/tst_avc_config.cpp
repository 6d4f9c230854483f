#include <QtTest>

#include "core/avc_config.h"

using namespace podium;
using namespace podium::avc;

namespace {

// SPS and PPS of a real 1280x720 High profile level 3.1 stream (x264, yuv420p), including an
// emulation prevention byte sequence (00 00 03).
const std::vector<uint8_t> kHighSps = {0x67, 0x64, 0x00, 0x1f, 0xac, 0xd9, 0x40, 0x50, 0x05,
                                       0xbb, 0x01, 0x10, 0x00, 0x00, 0x03, 0x00, 0x10, 0x00,
                                       0x00, 0x03, 0x03, 0xc0, 0xf1, 0x83, 0x19, 0x60};
const std::vector<uint8_t> kHighPps = {0x68, 0xef, 0x8f, 0xcb};

QByteArray bytes(std::initializer_list<int> values) {
    QByteArray out;
    for (int v : values) {
        out.append(char(v));
    }
    return out;
}

ByteSpan span(const QByteArray& data) {
    return ByteSpan(reinterpret_cast<const uint8_t*>(data.constData()), size_t(data.size()));
}

QByteArray toQByteArray(ByteSpan data) {
    return QByteArray(reinterpret_cast<const char*>(data.data()), qsizetype(data.size()));
}

}  // namespace

class TstAvcConfig : public QObject {
    Q_OBJECT

private slots:
    void splitAnnexB_data();
    void splitAnnexB();
    void toLengthPrefixedWritesFourByteLengths();
    void splitLengthPrefixedRefusesOverrun();
    void codecString_data();
    void codecString();
    void codecStringRefusesNonSps();
    void highProfileSpsIsParsed();
    void avcDecoderConfigRoundTrips();
};

void TstAvcConfig::splitAnnexB_data() {
    QTest::addColumn<QByteArray>("stream");
    QTest::addColumn<QList<QByteArray>>("nals");
    const QByteArray sps = bytes({0x67, 0x42, 0xc0, 0x1e});
    const QByteArray pps = bytes({0x68, 0xce, 0x3c, 0x80});
    const QByteArray idr = bytes({0x65, 0x88, 0x84, 0x00, 0x21});

    QTest::newRow("4-byte start codes")
        << bytes({0, 0, 0, 1}) + sps + bytes({0, 0, 0, 1}) + pps + bytes({0, 0, 0, 1}) + idr
        << QList<QByteArray>{sps, pps, idr};
    QTest::newRow("3-byte start codes")
        << bytes({0, 0, 1}) + sps + bytes({0, 0, 1}) + pps + bytes({0, 0, 1}) + idr
        << QList<QByteArray>{sps, pps, idr};
    QTest::newRow("mixed start codes")
        << bytes({0, 0, 0, 1}) + sps + bytes({0, 0, 1}) + pps + bytes({0, 0, 0, 1}) + idr
        << QList<QByteArray>{sps, pps, idr};
    QTest::newRow("trailing zero bytes dropped")
        << bytes({0, 0, 1}) + sps + bytes({0, 0, 0, 0, 0, 1}) + idr + bytes({0, 0})
        << QList<QByteArray>{sps, idr};
    QTest::newRow("bytes before the first start code ignored")
        << bytes({0x12, 0x34, 0, 0, 1}) + idr << QList<QByteArray>{idr};
    QTest::newRow("no start code") << bytes({0x65, 0x88}) << QList<QByteArray>{};
    QTest::newRow("empty") << QByteArray() << QList<QByteArray>{};
}

void TstAvcConfig::splitAnnexB() {
    QFETCH(QByteArray, stream);
    QFETCH(QList<QByteArray>, nals);
    QList<QByteArray> actual;
    for (ByteSpan nal : avc::splitAnnexB(span(stream))) {
        actual << toQByteArray(nal);
    }
    QCOMPARE(actual, nals);
}

void TstAvcConfig::toLengthPrefixedWritesFourByteLengths() {
    const QByteArray stream = bytes({0, 0, 0, 1, 0x67, 0x42, 0, 0, 1, 0x65, 0x88, 0x84});
    const auto out = toLengthPrefixed(span(stream));
    QCOMPARE(toQByteArray(out), bytes({0, 0, 0, 2, 0x67, 0x42, 0, 0, 0, 3, 0x65, 0x88, 0x84}));
    auto nals = splitLengthPrefixed(out);
    QVERIFY(nals);
    QCOMPARE(nals->size(), size_t(2));
    QCOMPARE(nalType((*nals)[1]), int(NalType::Idr));
}

void TstAvcConfig::splitLengthPrefixedRefusesOverrun() {
    const QByteArray broken = bytes({0, 0, 0, 2, 0x67, 0x42, 0, 0, 0, 9, 0x65});
    auto nals = splitLengthPrefixed(span(broken));
    QVERIFY(!nals);
    QCOMPARE(nals.error().code(), ErrorCode::Parse);
}

void TstAvcConfig::codecString_data() {
    QTest::addColumn<QByteArray>("sps");
    QTest::addColumn<QString>("expected");
    QTest::newRow("real high profile level 3.1 SPS")
        << QByteArray(reinterpret_cast<const char*>(kHighSps.data()), qsizetype(kHighSps.size()))
        << "avc1.64001f";
    QTest::newRow("constrained baseline level 3.0")
        << bytes({0x67, 0x42, 0xc0, 0x1e, 0xda}) << "avc1.42c01e";
    QTest::newRow("main level 4.0") << bytes({0x67, 0x4d, 0x40, 0x28, 0xec}) << "avc1.4d4028";
}

void TstAvcConfig::codecString() {
    QFETCH(QByteArray, sps);
    QFETCH(QString, expected);
    auto text = avc::codecString(span(sps));
    QVERIFY2(text, text ? "" : text.error().toString().c_str());
    QCOMPARE(QString::fromStdString(*text), expected);
}

void TstAvcConfig::codecStringRefusesNonSps() {
    QVERIFY(!avc::codecString(kHighPps));
    QVERIFY(!avc::codecString(ByteSpan()));
}

void TstAvcConfig::highProfileSpsIsParsed() {
    auto info = parseSps(kHighSps);
    QVERIFY(info);
    QCOMPARE(info->profileIdc, 100);
    QCOMPARE(info->levelIdc, 31);
    QCOMPARE(info->chromaFormatIdc, 1);
    QCOMPARE(info->bitDepthLuma, 8);
    QCOMPARE(info->bitDepthChroma, 8);
}

void TstAvcConfig::avcDecoderConfigRoundTrips() {
    auto avcC = buildAvcDecoderConfig(kHighSps, kHighPps);
    QVERIFY(avcC);
    // version 1, profile 100, compatibility 0, level 31, 4-byte lengths, 1 SPS of 26 bytes.
    QCOMPARE(toQByteArray(ByteSpan(*avcC).first(8)),
             bytes({1, 0x64, 0x00, 0x1f, 0xff, 0xe1, 0, 26}));
    // High profile extension: chroma 4:2:0, 8-bit luma and chroma, no SPS extensions.
    QCOMPARE(toQByteArray(ByteSpan(*avcC).last(4)), bytes({0xfd, 0xf8, 0xf8, 0x00}));
    QCOMPARE(avcC->size(), size_t(6 + 2 + 26 + 1 + 2 + 4 + 4));

    auto parsed = parseAvcDecoderConfig(*avcC);
    QVERIFY(parsed);
    QCOMPARE(parsed->version, 1);
    QCOMPARE(parsed->profileIdc, 100);
    QCOMPARE(parsed->levelIdc, 31);
    QCOMPARE(parsed->nalLengthSize, 4);
    QCOMPARE(parsed->sps, std::vector<std::vector<uint8_t>>{kHighSps});
    QCOMPARE(parsed->pps, std::vector<std::vector<uint8_t>>{kHighPps});

    QVERIFY(!parseAvcDecoderConfig(ByteSpan(*avcC).first(12)));
}

QTEST_GUILESS_MAIN(TstAvcConfig)
#include "tst_avc_config.moc"

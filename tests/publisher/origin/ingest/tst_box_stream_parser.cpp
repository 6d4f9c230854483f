#include <QTemporaryDir>
#include <QTest>

#include <string>
#include <vector>

#include "ingest_test_support.h"
#include "publisher/mp4/box_reader.h"
#include "publisher/origin/ingest/box_stream_parser.h"

using podium::ErrorCode;
using podium::publisher::origin::BoxStreamParser;
using podium::publisher::origin::StreamBox;

Q_DECLARE_METATYPE(podium::ErrorCode)
namespace test = podium::publisher::origin::test;

namespace {

struct Collected {
    std::vector<std::string> types;
    std::vector<uint64_t> offsets;
    std::vector<std::vector<uint8_t>> bytes;
};

BoxStreamParser collector(Collected& out,
                          uint64_t maxBoxSize = BoxStreamParser::kDefaultMaxBoxSize) {
    return BoxStreamParser(
        [&out](StreamBox&& box) -> podium::Result<void> {
            out.types.push_back(box.type.toString());
            out.offsets.push_back(box.offset);
            out.bytes.push_back(std::move(box.bytes));
            return podium::ok();
        },
        maxBoxSize);
}

podium::Result<void> feedInChunks(BoxStreamParser& parser, const std::vector<uint8_t>& bytes,
                                  size_t chunk) {
    for (size_t at = 0; at < bytes.size(); at += chunk) {
        const size_t n = std::min(chunk, bytes.size() - at);
        if (auto fed = parser.feed(std::span<const uint8_t>(bytes).subspan(at, n)); !fed) {
            return fed;
        }
    }
    return parser.finish();
}

std::vector<uint8_t> header(uint32_t size, const char* type) {
    return {uint8_t(size >> 24), uint8_t(size >> 16), uint8_t(size >> 8), uint8_t(size),
            uint8_t(type[0]),    uint8_t(type[1]),    uint8_t(type[2]),   uint8_t(type[3])};
}

}  // namespace

class TstBoxStreamParser : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void anyChunkingGivesTheSameBoxes_data();
    void anyChunkingGivesTheSameBoxes();
    void largesizeBoxIsSplitCorrectly();
    void badInputIsAParseError_data();
    void badInputIsAParseError();
    void callbackErrorStopsParsing();

private:
    QTemporaryDir dir_;
    std::vector<uint8_t> file_;
};

void TstBoxStreamParser::initTestCase() {
    if (!test::haveFfmpeg()) {
        QSKIP("ffmpeg not installed");
    }
    const QString path = dir_.filePath(QStringLiteral("in.ismv"));
    const QString error = test::runFfmpeg(
        test::lavfiInputs(2, QStringLiteral("200k"), QStringLiteral("64k")) +
        QStringList{QStringLiteral("-movflags"), QStringLiteral("isml+frag_keyframe"),
                    QStringLiteral("-f"), QStringLiteral("ismv"), path});
    QVERIFY2(error.isEmpty(), qPrintable(error));
    file_ = test::readBytes(path);
    QVERIFY(file_.size() > 1000);
}

void TstBoxStreamParser::anyChunkingGivesTheSameBoxes_data() {
    QTest::addColumn<int>("chunk");
    QTest::newRow("one byte at a time") << 1;
    QTest::newRow("seven bytes") << 7;
    QTest::newRow("4 KiB network reads") << 4096;
    QTest::newRow("whole body at once") << (1 << 30);
}

void TstBoxStreamParser::anyChunkingGivesTheSameBoxes() {
    QFETCH(int, chunk);
    const auto reference = podium::publisher::mp4::BoxReader::parse(file_);
    QVERIFY(reference.has_value());
    Collected got;
    auto parser = collector(got);
    const auto fed = feedInChunks(parser, file_, size_t(chunk));
    QVERIFY2(fed.has_value(), fed ? "" : fed.error().toString().c_str());
    QCOMPARE(got.types.size(), reference->size());
    for (size_t i = 0; i < got.types.size(); ++i) {
        const auto& box = (*reference)[i];
        QCOMPARE(got.types[i], box.type.toString());
        QCOMPARE(got.offsets[i], box.offset);
        QVERIFY(std::equal(got.bytes[i].begin(), got.bytes[i].end(),
                           file_.begin() + std::ptrdiff_t(box.offset)));
        QCOMPARE(got.bytes[i].size(), size_t(box.size));
    }
    QCOMPARE(parser.position(), uint64_t(file_.size()));
    QCOMPARE(got.types.front(), std::string("ftyp"));
    QCOMPARE(got.types.back(), std::string("mfra"));
}

void TstBoxStreamParser::largesizeBoxIsSplitCorrectly() {
    // 'free' with a 64-bit largesize of 20 (16 header + 4 payload), then an 8-byte 'skip'.
    std::vector<uint8_t> bytes = {0, 0, 0, 1, 'f', 'r', 'e', 'e', 0, 0,
                                  0, 0, 0, 0, 0,   20,  1,   2,   3, 4};
    const auto skip = header(8, "skip");
    bytes.insert(bytes.end(), skip.begin(), skip.end());
    Collected got;
    auto parser = collector(got);
    QVERIFY(feedInChunks(parser, bytes, 3).has_value());
    QCOMPARE(got.types, (std::vector<std::string>{"free", "skip"}));
    QCOMPARE(got.bytes[0].size(), size_t(20));
}

void TstBoxStreamParser::badInputIsAParseError_data() {
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<QString>("expected");  // a piece of the message
    QTest::addColumn<ErrorCode>("code");
    const auto asBytes = [](const std::vector<uint8_t>& v) {
        return QByteArray(reinterpret_cast<const char*>(v.data()), qsizetype(v.size()));
    };
    QTest::newRow("box larger than the limit")
        << asBytes(header(0x7fffffff, "mdat")) << QStringLiteral("'mdat'")
        << ErrorCode::LimitExceeded;
    QTest::newRow("size below the header")
        << asBytes(header(4, "moof")) << QStringLiteral("size 4") << ErrorCode::Parse;
    QTest::newRow("size 0 runs to the end")
        << asBytes(header(0, "mdat")) << QStringLiteral("size 0") << ErrorCode::Parse;
    QTest::newRow("largesize below 16")
        << asBytes({0, 0, 0, 1, 'm', 'd', 'a', 't', 0, 0, 0, 0, 0, 0, 0, 9})
        << QStringLiteral("largesize 9") << ErrorCode::Parse;
    auto truncated = header(100, "moov");
    truncated.resize(50);
    QTest::newRow("body ends inside a box")
        << asBytes(truncated) << QStringLiteral("50 of 100 bytes") << ErrorCode::Parse;
    QTest::newRow("body ends inside a header")
        << asBytes({0, 0, 1}) << QStringLiteral("truncated box header") << ErrorCode::Parse;
}

void TstBoxStreamParser::badInputIsAParseError() {
    QFETCH(QByteArray, input);
    QFETCH(QString, expected);
    QFETCH(ErrorCode, code);
    const std::vector<uint8_t> bytes(input.begin(), input.end());
    Collected got;
    auto parser = collector(got, 1024 * 1024);
    const auto result = feedInChunks(parser, bytes, 1);
    QVERIFY(!result.has_value());
    QCOMPARE(result.error().code(), code);
    QVERIFY2(QString::fromStdString(result.error().message()).contains(expected),
             result.error().message().c_str());
    QVERIFY(got.types.empty());
    // Sticky: later bytes keep failing.
    QVERIFY(!parser.feed(bytes).has_value());
}

void TstBoxStreamParser::callbackErrorStopsParsing() {
    int calls = 0;
    BoxStreamParser parser([&calls](StreamBox&&) -> podium::Result<void> {
        ++calls;
        return podium::makeError(ErrorCode::FailedPrecondition, "no");
    });
    const auto result = parser.feed(file_);
    QVERIFY(!result.has_value());
    QCOMPARE(result.error().code(), ErrorCode::FailedPrecondition);
    QCOMPARE(calls, 1);
}

QTEST_GUILESS_MAIN(TstBoxStreamParser)
#include "tst_box_stream_parser.moc"

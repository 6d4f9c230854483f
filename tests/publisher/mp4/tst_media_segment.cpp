#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include "publisher/mp4/box_reader.h"
#include "publisher/mp4/init_segment.h"
#include "publisher/mp4/media_segment.h"
#include "test_support.h"

using namespace podium;
using namespace podium::publisher::mp4;

namespace {

const std::vector<uint8_t> kIdr{0, 0, 0, 1, 0x65};
const std::vector<uint8_t> kP{0, 0, 0, 1, 0x41, 0x9a};
const std::vector<uint8_t> kB{0, 0, 0, 2, 0x01, 0x9e};

// I P B in decode order, 2 B-frame-like reordering: cto 3000, 6000, -3000 (decode shift 3000).
std::vector<Sample> threeSamples() {
    return {{3000, true, 3000, kIdr}, {3000, false, 6000, kP}, {3000, false, -3000, kB}};
}

ChunkConfig firstChunkOfSegment() {
    ChunkConfig config;
    config.sequenceNumber = 5;
    config.trackId = 1;
    config.baseDecodeTime = 180000;
    config.stypBrands = segmentStypBrands();
    return config;
}

// Minimal H.264 elementary stream handling for the ffprobe check: Annex B NAL units grouped
// into access units (a VCL NAL with first_mb_in_slice == 0 starts a new one).
struct AccessUnits {
    std::vector<uint8_t> sps, pps;
    std::vector<std::vector<uint8_t>> samples;  ///< 4-byte length-prefixed NALs
    std::vector<bool> isKey;
};

std::vector<std::span<const uint8_t>> splitAnnexB(const QByteArray& bytes) {
    std::vector<std::span<const uint8_t>> nals;
    const auto* data = reinterpret_cast<const uint8_t*>(bytes.constData());
    const size_t size = size_t(bytes.size());
    size_t start = 0;
    bool inNal = false;
    for (size_t i = 0; i + 3 <= size; ++i) {
        if (data[i] == 0 && data[i + 1] == 0 && data[i + 2] == 1) {
            if (inNal) {
                size_t end = i;
                while (end > start && data[end - 1] == 0)
                    --end;
                nals.emplace_back(data + start, end - start);
            }
            start = i + 3;
            inNal = true;
            i += 2;
        }
    }
    if (inNal && start < size) {
        nals.emplace_back(data + start, size - start);
    }
    return nals;
}

AccessUnits toAccessUnits(const QByteArray& annexB) {
    AccessUnits out;
    bool unitHasSlice = false;
    for (std::span<const uint8_t> nal : splitAnnexB(annexB)) {
        const int type = nal[0] & 0x1f;
        if (type == 7 && out.sps.empty())
            out.sps.assign(nal.begin(), nal.end());
        if (type == 8 && out.pps.empty())
            out.pps.assign(nal.begin(), nal.end());
        if (type != 1 && type != 5 && type != 6) {
            continue;  // parameter sets live in avcC; AUDs are not needed
        }
        const bool isSlice = type == 1 || type == 5;
        const bool firstSlice = isSlice && (nal[1] & 0x80);  // first_mb_in_slice == 0
        if (out.samples.empty() || (unitHasSlice && (type == 6 || firstSlice))) {
            out.samples.emplace_back();
            out.isKey.push_back(false);
            unitHasSlice = false;
        }
        unitHasSlice = unitHasSlice || isSlice;
        if (type == 5) {
            out.isKey.back() = true;
        }
        auto& sample = out.samples.back();
        const uint32_t n = uint32_t(nal.size());
        sample.insert(sample.end(),
                      {uint8_t(n >> 24), uint8_t(n >> 16), uint8_t(n >> 8), uint8_t(n)});
        sample.insert(sample.end(), nal.begin(), nal.end());
    }
    return out;
}

std::vector<uint8_t> avcConfigFrom(const std::vector<uint8_t>& sps,
                                   const std::vector<uint8_t>& pps) {
    std::vector<uint8_t> c = {
        1, sps[1], sps[2], sps[3], 0xff, 0xe1, uint8_t(sps.size() >> 8), uint8_t(sps.size())};
    c.insert(c.end(), sps.begin(), sps.end());
    c.insert(c.end(), {1, uint8_t(pps.size() >> 8), uint8_t(pps.size())});
    c.insert(c.end(), pps.begin(), pps.end());
    return c;
}

}  // namespace

class TstMediaSegment : public QObject {
    Q_OBJECT
private slots:
    void goldenChunk();
    void dataOffsetPointsAtFirstSample();
    void sampleFieldsReadBack();
    void noStypInsideASegment();
    void ffprobeReadsRealH264();
};

void TstMediaSegment::goldenChunk() {
    const auto samples = threeSamples();
    QVERIFY(
        test::matchesGolden("video_chunk_3_samples", buildChunk(firstChunkOfSegment(), samples)));
}

void TstMediaSegment::dataOffsetPointsAtFirstSample() {
    const auto samples = threeSamples();
    const auto bytes = buildChunk(firstChunkOfSegment(), samples);
    auto boxes = BoxReader::parse(bytes);
    QVERIFY(boxes.has_value());
    const Box* moof = findBox(*boxes, "moof");
    const Box* mdat = findBox(*boxes, "mdat");
    QVERIFY(moof && mdat);
    const Trun trun = readTrun(*findBox(*boxes, "moof/traf/trun")).value();
    QVERIFY(trun.dataOffset.has_value());
    QCOMPARE(uint64_t(moof->offset + uint64_t(*trun.dataOffset)), mdat->offset + mdat->headerSize);
    QCOMPARE(mdat->payload.size(), kIdr.size() + kP.size() + kB.size());
    QCOMPARE(mdat->offset + mdat->size, uint64_t(bytes.size()));
    QCOMPARE(std::vector<uint8_t>(mdat->payload.begin(), mdat->payload.begin() + 5), kIdr);
    const Tfhd tfhd = readTfhd(*findBox(*boxes, "moof/traf/tfhd")).value();
    QCOMPARE(tfhd.flags, 0x020000u);
    QCOMPARE(tfhd.trackId, 1u);
}

void TstMediaSegment::sampleFieldsReadBack() {
    const auto samples = threeSamples();
    const auto bytes = buildChunk(firstChunkOfSegment(), samples);  // the tree points into it
    auto boxes = BoxReader::parse(bytes).value();
    const Trun trun = readTrun(*findBox(boxes, "moof/traf/trun")).value();
    QCOMPARE(trun.version, uint8_t(1));
    QCOMPARE(trun.flags, 0x000f01u);
    QCOMPARE(trun.samples.size(), size_t(3));
    const uint32_t flags[] = {0x02000000, 0x01010000, 0x01010000};
    for (size_t i = 0; i < 3; ++i) {
        QCOMPARE(trun.samples[i].duration, samples[i].duration);
        QCOMPARE(trun.samples[i].size, uint32_t(samples[i].data.size()));
        QCOMPARE(trun.samples[i].flags, flags[i]);
        QCOMPARE(trun.samples[i].compositionOffset, int64_t(samples[i].compositionOffset));
    }
    QCOMPARE(readTfdt(*findBox(boxes, "moof/traf/tfdt")).value(), uint64_t(180000));
    QCOMPARE(readMfhd(*findBox(boxes, "moof/mfhd")).value(), 5u);
    const Box* styp = findBox(boxes, "styp");
    QVERIFY(styp != nullptr);
    const std::string text = dumpTree(boxes);
    QVERIFY2(text.starts_with("styp [size 32] major=msdh minor=0 compatible=msdh,cmfs,cmfl,iso6\n"),
             text.c_str());
}

void TstMediaSegment::noStypInsideASegment() {
    const auto samples = threeSamples();
    ChunkConfig config = firstChunkOfSegment();
    config.stypBrands.clear();
    const auto bytes = buildChunk(config, samples);
    auto boxes = BoxReader::parse(bytes).value();
    QCOMPARE(boxes.size(), size_t(2));
    QCOMPARE(boxes[0].type.toString(), std::string("moof"));
}

void TstMediaSegment::ffprobeReadsRealH264() {
    const QString ffmpeg = QStandardPaths::findExecutable("ffmpeg");
    const QString ffprobe = QStandardPaths::findExecutable("ffprobe");
    if (ffmpeg.isEmpty() || ffprobe.isEmpty()) {
        QSKIP("ffmpeg/ffprobe not installed");
    }
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString h264 = dir.filePath("in.h264");
    QProcess encode;
    encode.start(ffmpeg, {"-v",
                          "error",
                          "-f",
                          "lavfi",
                          "-i",
                          "testsrc=s=160x120:r=30",
                          "-frames:v",
                          "60",
                          "-pix_fmt",
                          "yuv420p",
                          "-c:v",
                          "libx264",
                          "-g",
                          "30",
                          "-keyint_min",
                          "30",
                          "-sc_threshold",
                          "0",
                          "-bf",
                          "0",
                          "-f",
                          "h264",
                          h264});
    QVERIFY(encode.waitForFinished(60000));
    QVERIFY2(encode.exitCode() == 0, encode.readAllStandardError().constData());
    QFile in(h264);
    QVERIFY(in.open(QIODevice::ReadOnly));
    const AccessUnits units = toAccessUnits(in.readAll());
    QCOMPARE(units.samples.size(), size_t(60));

    TrackInfo track = test::videoTrack(0, "120p", 160, 120);
    track.avcDecoderConfig = avcConfigFrom(units.sps, units.pps);
    std::vector<uint8_t> file = buildInitSegment(track);
    for (int chunk = 0; chunk < 2; ++chunk) {
        std::vector<Sample> samples;
        for (size_t i = size_t(chunk) * 30; i < size_t(chunk + 1) * 30; ++i) {
            samples.push_back({3000, bool(units.isKey[i]), 0, units.samples[i]});
        }
        ChunkConfig config;
        config.sequenceNumber = uint32_t(chunk + 1);
        config.baseDecodeTime = uint64_t(chunk) * 90000;
        config.stypBrands = segmentStypBrands();
        const auto bytes = buildChunk(config, samples);
        file.insert(file.end(), bytes.begin(), bytes.end());
    }
    const QString mp4 = dir.filePath("out.mp4");
    QFile out(mp4);
    QVERIFY(out.open(QIODevice::WriteOnly));
    out.write(reinterpret_cast<const char*>(file.data()), qint64(file.size()));
    out.close();

    QProcess probe;
    probe.start(ffprobe, {"-v", "error", "-show_streams", "-show_packets", "-of", "json", mp4});
    QVERIFY(probe.waitForFinished(60000));
    const QByteArray errors = probe.readAllStandardError();
    QVERIFY2(probe.exitCode() == 0 && errors.isEmpty(), errors.constData());
    const QJsonObject json = QJsonDocument::fromJson(probe.readAllStandardOutput()).object();
    const QJsonObject stream = json["streams"].toArray().at(0).toObject();
    QCOMPARE(stream["codec_name"].toString(), QString("h264"));
    QCOMPARE(stream["width"].toInt(), 160);
    QCOMPARE(stream["height"].toInt(), 120);
    const QJsonArray packets = json["packets"].toArray();
    QCOMPARE(packets.size(), 60);
    for (int i = 0; i < packets.size(); ++i) {
        const QJsonObject p = packets.at(i).toObject();
        const bool key = p["flags"].toString().startsWith('K');
        QVERIFY2(key == (i % 30 == 0), qPrintable(QString("packet %1").arg(i)));
        QCOMPARE(p["pts"].toInteger(), qint64(i) * 3000);
    }
}

QTEST_GUILESS_MAIN(TstMediaSegment)
#include "tst_media_segment.moc"

#include <QtTest>

#include <QProcess>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QTemporaryFile>

#include <cstring>
#include <string>
#include <vector>

#include "channel_fixture.h"
#include "golden_text.h"
#include "publisher/manifest/smooth_fragment.h"
#include "publisher/manifest/smooth_manifest.h"
#include "publisher/mp4/box_reader.h"

using namespace podium;
using namespace podium::publisher;
using namespace podium::publisher::manifest;
using podium::publisher::manifest::test::ChannelScenario;
using podium::publisher::manifest::test::makeChannel;

namespace {

constexpr int kLookahead = 2;
constexpr uint8_t kTfxd[16] = {0x6D, 0x1D, 0x9B, 0x05, 0x42, 0xD5, 0x44, 0xE6,
                               0x80, 0xE2, 0x14, 0x1D, 0xAF, 0xF7, 0x57, 0xB2};
constexpr uint8_t kTfrf[16] = {0xD4, 0x80, 0x7E, 0xF2, 0xCA, 0x39, 0x46, 0x95,
                               0x8E, 0x54, 0x26, 0xCB, 0x9E, 0x46, 0xA7, 0x9F};

manifest::ChannelViewPtr liveView() {
    ChannelScenario s;
    s.discontinuityAt = 8.0;
    return makeChannel(s)->view();
}

uint64_t readU64(std::span<const uint8_t> p, size_t at) {
    uint64_t v = 0;
    for (size_t i = 0; i < 8; ++i) {
        v = (v << 8) | p[at + i];
    }
    return v;
}

const mp4::Box* uuidChild(const mp4::Box& traf, const uint8_t (&uuid)[16]) {
    for (const auto& c : traf.children) {
        if (c.type == mp4::FourCC{"uuid"} && std::memcmp(c.userType.data(), uuid, 16) == 0) {
            return &c;
        }
    }
    return nullptr;
}

std::vector<const manifest::StoredSegment*> complete(const manifest::TrackView& t) {
    std::vector<const manifest::StoredSegment*> out;
    for (const auto& s : t.segments) {
        if (s.isComplete()) {
            out.push_back(&s);
        }
    }
    return out;
}

/// Sample payloads of a stored CMAF segment, in order (all its chunks).
std::vector<uint8_t> samplePayloads(const std::vector<uint8_t>& bytes) {
    std::vector<uint8_t> out;
    const auto boxes = mp4::BoxReader::parse(bytes).value();
    for (const auto* mdat : mp4::findAllBoxes(boxes, "mdat")) {
        out.insert(out.end(), mdat->payload.begin(), mdat->payload.end());
    }
    return out;
}

}  // namespace

class TstSmooth : public QObject {
    Q_OBJECT

private slots:
    void manifestMatchesGolden_data();
    void manifestMatchesGolden();
    void manifestHoldsBackLookahead();
    void fragmentRebuiltWithTfxdAndTfrf_data();
    void fragmentRebuiltWithTfxdAndTfrf();
    void unannouncedFragmentIsPreconditionFailed();
    void unknownFragmentIsNotFound();
    void fragmentPathAndTrackLookup_data();
    void fragmentPathAndTrackLookup();
    void wellFormedXml();
};

void TstSmooth::manifestMatchesGolden_data() {
    QTest::addColumn<QString>("golden");
    QTest::addColumn<bool>("ended");
    QTest::newRow("live ladder, lookahead 2") << "smooth_live.ismc" << false;
    QTest::newRow("ended stream lists every fragment") << "smooth_ended.ismc" << true;
}

void TstSmooth::manifestMatchesGolden() {
    QFETCH(QString, golden);
    QFETCH(bool, ended);
    ChannelScenario s;
    s.discontinuityAt = 8.0;
    s.ended = ended;
    PODIUM_COMPARE_GOLDEN(golden, renderSmoothManifest(*makeChannel(s)->view(), kLookahead));
}

void TstSmooth::manifestHoldsBackLookahead() {
    const auto v = liveView();
    const QString text = QString::fromStdString(renderSmoothManifest(*v, kLookahead));
    QVERIFY(text.contains("MajorVersion=\"2\""));
    QVERIFY(text.contains("IsLive=\"TRUE\""));
    QVERIFY(text.contains("LookAheadFragmentCount=\"2\""));
    for (const char* type : {"video", "audio"}) {
        const int at = text.indexOf(QString("<StreamIndex Type=\"%1\"").arg(type));
        const QString index = text.mid(at, text.indexOf("</StreamIndex>", at) - at);
        const auto& first = *v->track(type == std::string("video") ? "720p" : "audio");
        const auto done = complete(first);
        QRegularExpression c("<c(?: t=\"(\\d+)\")? d=\"(\\d+)\"/>");
        std::vector<std::pair<QString, qint64>> entries;
        for (auto it = c.globalMatch(index); it.hasNext();) {
            const auto m = it.next();
            entries.push_back({m.captured(1), m.captured(2).toLongLong()});
        }
        QCOMPARE(entries.size(), done.size() - kLookahead);
        QCOMPARE(entries.front().first.toLongLong(), done.front()->start.value);  // explicit t
        for (size_t i = 0; i < entries.size(); ++i) {
            QCOMPARE(entries[i].second, done[i]->duration.value);
        }
        QVERIFY(index.contains(QString("Chunks=\"%1\"").arg(entries.size())));
        QVERIFY(index.contains(QString("TimeScale=\"%1\"").arg(first.info.timescale)));
    }
    // SPS/PPS in Annex B from avcC; the ASC as is.
    QVERIFY(
        text.contains("CodecPrivateData=\"00000001"
                      "6764001F"
                      "0000000168EE3C80\""));
    QVERIFY(text.contains("CodecPrivateData=\"1190\""));
}

void TstSmooth::fragmentRebuiltWithTfxdAndTfrf_data() {
    QTest::addColumn<QString>("track");
    QTest::newRow("video 720p") << "720p";
    QTest::newRow("video 360p") << "360p";
    QTest::newRow("audio") << "audio";
}

void TstSmooth::fragmentRebuiltWithTfxdAndTfrf() {
    QFETCH(QString, track);
    const auto v = liveView();
    const auto& t = *v->track(track.toStdString());
    const auto done = complete(t);
    const auto& segment = *done[1];  // has >= lookahead successors
    const auto built = buildSmoothFragment(t, segment.start.value, kLookahead);
    QVERIFY2(built.has_value(), built ? "" : built.error().toString().c_str());
    const auto boxes = mp4::BoxReader::parse(*built);
    QVERIFY(boxes.has_value());
    QCOMPARE(boxes->size(), size_t(2));  // moof + mdat, no styp
    QCOMPARE((*boxes)[0].type, mp4::FourCC{"moof"});
    QCOMPARE((*boxes)[1].type, mp4::FourCC{"mdat"});
    const mp4::Box* traf = mp4::findBox(*boxes, "moof/traf");
    QVERIFY(traf);

    const mp4::Box* tfxd = uuidChild(*traf, kTfxd);
    QVERIFY(tfxd);
    QCOMPARE(tfxd->payload[0], uint8_t(1));  // version 1: 64-bit
    QCOMPARE(int64_t(readU64(tfxd->payload, 4)), segment.start.value);
    QCOMPARE(int64_t(readU64(tfxd->payload, 12)), segment.duration.value);

    const mp4::Box* tfrf = uuidChild(*traf, kTfrf);
    QVERIFY(tfrf);
    QCOMPARE(tfrf->payload[0], uint8_t(1));
    QCOMPARE(int(tfrf->payload[4]), kLookahead);
    for (int i = 0; i < kLookahead; ++i) {
        QCOMPARE(int64_t(readU64(tfrf->payload, 5 + 16 * size_t(i))), done[2 + i]->start.value);
        QCOMPARE(int64_t(readU64(tfrf->payload, 13 + 16 * size_t(i))), done[2 + i]->duration.value);
    }

    // One trun with every sample of the segment's parts; durations add up; data offset lands
    // on the mdat payload, which holds the stored samples in order.
    const auto trun = mp4::readTrun(*mp4::findBox(*boxes, "moof/traf/trun")).value();
    const auto original = mp4::BoxReader::parse(*segment.bytes).value();
    size_t originalSamples = 0;
    for (const auto* r : mp4::findAllBoxes(original, "moof/traf/trun")) {
        originalSamples += mp4::readTrun(*r).value().samples.size();
    }
    QCOMPARE(mp4::findAllBoxes(original, "moof").size(), segment.parts.size());
    QCOMPARE(trun.samples.size(), originalSamples);
    int64_t total = 0;
    uint64_t bytes = 0;
    for (const auto& s : trun.samples) {
        total += s.duration;
        bytes += s.size;
    }
    QCOMPARE(total, segment.duration.value);
    QCOMPARE(uint64_t(trun.dataOffset.value()), (*boxes)[0].size + 8);
    QCOMPARE(bytes, uint64_t((*boxes)[1].payload.size()));
    const std::vector<uint8_t> payload((*boxes)[1].payload.begin(), (*boxes)[1].payload.end());
    QCOMPARE(payload, samplePayloads(*segment.bytes));
    QCOMPARE(mp4::readTfdt(*mp4::findBox(*boxes, "moof/traf/tfdt")).value(),
             uint64_t(segment.start.value));
    if (t.info.kind == TrackKind::Video) {
        QCOMPARE(trun.samples.front().flags, uint32_t(0x02000000));  // starts on the IDR
    }
}

void TstSmooth::unannouncedFragmentIsPreconditionFailed() {
    const auto v = liveView();
    const auto& t = *v->track("720p");
    const auto done = complete(t);
    for (int i = 1; i <= kLookahead; ++i) {
        const auto r =
            buildSmoothFragment(t, done[done.size() - size_t(i)]->start.value, kLookahead);
        QVERIFY(!r);
        QCOMPARE(r.error().code(), ErrorCode::FailedPrecondition);
    }
    // The in-progress segment and a future time: not available yet either.
    const auto inProgress = buildSmoothFragment(t, t.segments.back().start.value, kLookahead);
    QCOMPARE(inProgress.error().code(), ErrorCode::FailedPrecondition);
    const auto future = buildSmoothFragment(t, t.segments.back().start.value + 180000, kLookahead);
    QCOMPARE(future.error().code(), ErrorCode::FailedPrecondition);
    // Once the stream ended, the newest fragments are served with shorter tfrf lists.
    ChannelScenario s;
    s.ended = true;
    const auto ended = makeChannel(s)->view();
    const auto& et = *ended->track("720p");
    const auto last = buildSmoothFragment(et, et.segments.back().start.value, kLookahead, true);
    QVERIFY(last.has_value());
}

void TstSmooth::unknownFragmentIsNotFound() {
    const auto v = liveView();
    const auto& t = *v->track("720p");
    for (int64_t time : {int64_t(0), t.segments.front().start.value + 1}) {
        const auto r = buildSmoothFragment(t, time, kLookahead);
        QVERIFY(!r);
        QCOMPARE(r.error().code(), ErrorCode::NotFound);
    }
}

void TstSmooth::fragmentPathAndTrackLookup_data() {
    QTest::addColumn<QString>("path");
    QTest::addColumn<bool>("valid");
    QTest::addColumn<QString>("track");  // expected track id, "" = none
    QTest::newRow("video 720p") << "QualityLevels(2500000)/Fragments(video=360000)" << true
                                << "720p";
    QTest::newRow("video 360p with custom attributes")
        << "QualityLevels(600000,Foo=bar)/Fragments(video=0)" << true << "360p";
    QTest::newRow("audio") << "QualityLevels(128000)/Fragments(audio=96000)" << true << "audio";
    QTest::newRow("unknown bitrate") << "QualityLevels(1234)/Fragments(video=0)" << true << "";
    QTest::newRow("audio bitrate under video type")
        << "QualityLevels(128000)/Fragments(video=0)" << true << "";
    QTest::newRow("missing time") << "QualityLevels(128000)/Fragments(audio=)" << false << "";
    QTest::newRow("negative time") << "QualityLevels(128000)/Fragments(audio=-5)" << false << "";
    QTest::newRow("not a fragment") << "Manifest" << false << "";
    QTest::newRow("unclosed") << "QualityLevels(128000/Fragments(audio=0)" << false << "";
}

void TstSmooth::fragmentPathAndTrackLookup() {
    QFETCH(QString, path);
    QFETCH(bool, valid);
    QFETCH(QString, track);
    const auto v = liveView();
    const auto parsed = parseSmoothFragmentPath(path.toStdString());
    QCOMPARE(parsed.has_value(), valid);
    if (!valid) {
        QCOMPARE(parsed.error().code(), ErrorCode::InvalidArgument);
        return;
    }
    const auto* found = findSmoothTrack(*v, parsed->typeName, parsed->bitrate);
    QCOMPARE(found ? QString::fromStdString(found->info.id) : QString(), track);
}

void TstSmooth::wellFormedXml() {
    const QString xmllint = QStandardPaths::findExecutable("xmllint");
    if (xmllint.isEmpty()) {
        QSKIP("xmllint not installed (apt-get install libxml2-utils)");
    }
    const std::string text = renderSmoothManifest(*liveView(), kLookahead);
    QTemporaryFile file;
    QVERIFY(file.open());
    file.write(text.data(), qint64(text.size()));
    file.close();
    QProcess lint;
    lint.start(xmllint, {"--noout", file.fileName()});
    QVERIFY(lint.waitForFinished(30000));
    QVERIFY2(lint.exitCode() == 0, lint.readAllStandardError().constData());
}

QTEST_GUILESS_MAIN(TstSmooth)
#include "tst_smooth.moc"

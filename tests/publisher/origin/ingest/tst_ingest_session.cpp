#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QTest>

#include <string>
#include <vector>

#include "ingest_test_support.h"
#include "publisher/mp4/box_reader.h"
#include "publisher/origin/ingest/ingest_session.h"
#include "publisher/origin/ingest/lsm_parser.h"

using podium::ErrorCode;
using podium::TrackKind;
using namespace podium::publisher::origin;
using namespace podium::publisher::manifest;
namespace mp4 = podium::publisher::mp4;
namespace test = podium::publisher::origin::test;

namespace {

ChannelConfig defaults() {
    ChannelConfig config;
    config.dvrWindow = podium::MediaTime{600 * 90000, 90000};
    return config;
}

// Feeds `bytes` in chunks of `chunk` bytes, then finishes the body.
podium::Result<void> feedAll(IngestSession& session, const std::vector<uint8_t>& bytes,
                             size_t chunk = 1009) {
    for (size_t at = 0; at < bytes.size(); at += chunk) {
        const size_t n = std::min(chunk, bytes.size() - at);
        if (auto fed = session.feed(std::span<const uint8_t>(bytes).subspan(at, n)); !fed) {
            return fed;
        }
    }
    return session.finish();
}

// The file's bytes from its first top-level box of `type` to the end (or just that box).
std::vector<uint8_t> fromBox(const std::vector<uint8_t>& file, const char* type,
                             bool onlyThat = false) {
    const auto boxes = mp4::BoxReader::parse(file);
    for (const auto& b : *boxes) {
        if (b.type.toString() == type) {
            const auto end = onlyThat ? b.offset + b.size : file.size();
            return {file.begin() + std::ptrdiff_t(b.offset), file.begin() + std::ptrdiff_t(end)};
        }
    }
    return {};
}

// ffprobe on init + every segment of a track: "codec width height duration".
QJsonObject probe(const QString& path) {
    QProcess p;
    p.start(QStringLiteral("ffprobe"),
            {QStringLiteral("-v"), QStringLiteral("error"), QStringLiteral("-show_entries"),
             QStringLiteral("stream=codec_name,width,height:format=duration"),
             QStringLiteral("-of"), QStringLiteral("json"), path});
    p.waitForFinished(60000);
    return QJsonDocument::fromJson(p.readAllStandardOutput()).object();
}

std::vector<uint8_t> trackFile(const TrackView& track) {
    std::vector<uint8_t> out = track.init->bytes;
    for (const auto& s : track.segments) {
        out.insert(out.end(), s.bytes->begin(), s.bytes->end());
    }
    return out;
}

}  // namespace

class TstIngestSession : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void ingestsRealEncoderOutput_data();
    void ingestsRealEncoderOutput();
    void emptyProbeCreatesNothing();
    void headerOnlyDeclaresTracks();
    void reconnectDropsDuplicates();
    void restartedEncoderMarksADiscontinuity();
    void mediaBeforeHeaderIsRefused();
    void randomBytesAreAParseError();
    void unsupportedCodecIsRefused();
    void utf16LiveServerManifestIsAccepted();
    void lsmParserReadsTracks();
    void newerConnectionSupersedesOlder();
    void separatePostsBuildOneChannel();
    void fragmentIsStoredWhenItsLastByteArrives();

private:
    QString make(const QString& name, const QStringList& args);

    QTemporaryDir dir_;
    std::vector<uint8_t> smooth_;
    std::vector<uint8_t> cmaf_;
    std::vector<uint8_t> restart_;
    std::vector<uint8_t> mpeg4_;
};

QString TstIngestSession::make(const QString& name, const QStringList& args) {
    const QString path = dir_.filePath(name);
    const QString error = test::runFfmpeg(args + QStringList{path});
    return error.isEmpty() ? path : QString();
}

void TstIngestSession::initTestCase() {
    if (!test::haveFfmpeg()) {
        QSKIP("ffmpeg/ffprobe not installed");
    }
    const QStringList ismv{QStringLiteral("-movflags"), QStringLiteral("isml+frag_keyframe"),
                           QStringLiteral("-f"), QStringLiteral("ismv")};
    const QStringList cmaf{QStringLiteral("-write_prft"),
                           QStringLiteral("wallclock"),
                           QStringLiteral("-movflags"),
                           QStringLiteral("cmaf+empty_moov+separate_moof+default_base_moof+"
                                          "frag_keyframe"),
                           QStringLiteral("-f"),
                           QStringLiteral("mp4")};
    smooth_ = test::readBytes(
        make(QStringLiteral("smooth.ismv"), test::lavfiInputs(6, "300k", "64k") + ismv));
    cmaf_ = test::readBytes(
        make(QStringLiteral("cmaf.mp4"), test::lavfiInputs(6, "300k", "64k") + cmaf));
    restart_ = test::readBytes(
        make(QStringLiteral("restart.ismv"), test::lavfiInputs(4, "250k", "96k") + ismv));
    mpeg4_ = test::readBytes(
        make(QStringLiteral("mpeg4.ismv"), {"-f", "lavfi", "-i", "testsrc2=size=320x240:rate=25",
                                            "-t", "2", "-c:v", "mpeg4", "-f", "ismv"}));
    QVERIFY(!smooth_.empty() && !cmaf_.empty() && !restart_.empty() && !mpeg4_.empty());
}

void TstIngestSession::ingestsRealEncoderOutput_data() {
    QTest::addColumn<bool>("isSmooth");
    QTest::newRow("FFmpeg ismv (Smooth, tfxd, wrapped negative AAC time)") << true;
    QTest::newRow("FFmpeg CMAF (tfdt, default-base-is-moof, prft)") << false;
}

void TstIngestSession::ingestsRealEncoderOutput() {
    QFETCH(bool, isSmooth);
    ChannelStore store(defaults());
    IngestSession session(store, "ch", "enc");
    const auto fed = feedAll(session, isSmooth ? smooth_ : cmaf_);
    QVERIFY2(fed.has_value(), fed ? "" : fed.error().toString().c_str());
    QCOMPARE(session.format(), isSmooth ? IngestFormat::Smooth : IngestFormat::Cmaf);
    // Normalising rewrites each trun entry as 16 bytes: stored bytes stay near what was sent
    // (each fragment is checked against IngestSession::kMaxExpansion x its own bytes).
    const auto& stats = session.stats();
    qInfo("stored %llu bytes from %llu received (x%.3f)", (unsigned long long)stats.bytesStored,
          (unsigned long long)stats.bytesIn, double(stats.bytesStored) / double(stats.bytesIn));
    QVERIFY(stats.bytesStored <= stats.bytesIn + stats.bytesIn / 10);
    const auto view = store.find("ch")->view();
    QCOMPARE(view->tracks.size(), size_t(2));
    const TrackView& video = view->tracks[0];
    const TrackView& audio = view->tracks[1];
    QCOMPARE(video.info.id, std::string("enc_video"));
    QCOMPARE(audio.info.id, std::string("enc_audio"));
    QVERIFY(QString::fromStdString(video.info.codecString).startsWith("avc1.64"));
    QCOMPARE(video.info.width, 320);
    QCOMPARE(video.info.height, 240);
    QCOMPARE(video.info.fpsNum / video.info.fpsDen, 25);
    QCOMPARE(audio.info.codecString, std::string("mp4a.40.2"));
    QCOMPARE(audio.info.sampleRate, 48000);
    if (isSmooth) {
        QCOMPARE(video.info.bitrateBps, 300000);       // from the Live Server Manifest
        QVERIFY(session.stats().samplesClamped >= 1);  // the AAC priming frame
    }
    for (const TrackView* track : {&video, &audio}) {
        QVERIFY(track->segments.size() >= 3);
        QCOMPARE(track->segments.front().start.value, int64_t(0));
        for (size_t i = 0; i < track->segments.size(); ++i) {
            const auto& s = track->segments[i];
            QVERIFY(s.start.value >= 0);
            QVERIFY(!s.discontinuity);
            if (i + 1 < track->segments.size()) {
                QCOMPARE((s.start + s.duration).value, track->segments[i + 1].start.value);
            }
            std::vector<uint8_t> whole = track->init->bytes;
            whole.insert(whole.end(), s.bytes->begin(), s.bytes->end());
            const auto boxes = mp4::BoxReader::parse(whole);
            QVERIFY(boxes.has_value());
            const auto* tfdt = mp4::findBox(*boxes, "moof/traf/tfdt");
            QVERIFY(tfdt);
            QCOMPARE(int64_t(*mp4::readTfdt(*tfdt)), s.start.value);
            if (track == &video) {
                const auto trun = mp4::readTrun(*mp4::findBox(*boxes, "moof/traf/trun"));
                QVERIFY(trun.has_value());
                QCOMPARE(trun->samples.front().flags & 0x00010000u, 0u);  // sync first
                QVERIFY(s.parts.front().isIndependent);
            }
        }
    }
    const QString videoPath = dir_.filePath(QStringLiteral("video.mp4"));
    QVERIFY(test::writeBytes(videoPath, trackFile(video)));
    const QJsonObject probed = probe(videoPath);
    const QJsonObject stream = probed["streams"].toArray().at(0).toObject();
    QCOMPARE(stream["codec_name"].toString(), QStringLiteral("h264"));
    QCOMPARE(stream["width"].toInt(), 320);
    QCOMPARE(stream["height"].toInt(), 240);
    QVERIFY(qAbs(probed["format"].toObject()["duration"].toString().toDouble() - 6.0) < 0.2);
    const QString audioPath = dir_.filePath(QStringLiteral("audio.mp4"));
    QVERIFY(test::writeBytes(audioPath, trackFile(audio)));
    const QJsonObject audioProbe = probe(audioPath);
    QCOMPARE(audioProbe["streams"].toArray().at(0).toObject()["codec_name"].toString(),
             QStringLiteral("aac"));
    QVERIFY(qAbs(audioProbe["format"].toObject()["duration"].toString().toDouble() - 6.0) < 0.2);
}

void TstIngestSession::emptyProbeCreatesNothing() {
    ChannelStore store(defaults());
    IngestSession session(store, "probe", "enc");
    QVERIFY(session.finish().has_value());
    QVERIFY(!session.sawHeader());
    QVERIFY(store.find("probe") == nullptr);
}

void TstIngestSession::headerOnlyDeclaresTracks() {
    ChannelStore store(defaults());
    IngestSession session(store, "ch", "enc");
    const auto header = std::vector<uint8_t>(
        smooth_.begin(), smooth_.end() - std::ptrdiff_t(fromBox(smooth_, "moof").size()));
    QVERIFY(feedAll(session, header, 1).has_value());
    QVERIFY(session.sawHeader());
    const auto view = store.find("ch")->view();
    QCOMPARE(view->tracks.size(), size_t(2));
    QVERIFY(view->tracks[0].init != nullptr);
    QVERIFY(view->tracks[0].segments.empty());
}

void TstIngestSession::reconnectDropsDuplicates() {
    ChannelStore store(defaults());
    {
        IngestSession first(store, "ch", "enc");
        QVERIFY(feedAll(first, smooth_).has_value());
    }
    const auto before = store.find("ch")->view();
    IngestSession again(store, "ch", "enc");
    QVERIFY(feedAll(again, smooth_, 4096).has_value());
    const auto after = store.find("ch")->view();
    for (size_t t = 0; t < 2; ++t) {
        QCOMPARE(after->tracks[t].segments.size(), before->tracks[t].segments.size());
        for (const auto& s : after->tracks[t].segments) {
            QVERIFY(!s.discontinuity);
        }
    }
    QCOMPARE(again.stats().segmentsAdded, uint64_t(0));
    QVERIFY(again.stats().duplicatesDropped >= 6);
}

void TstIngestSession::restartedEncoderMarksADiscontinuity() {
    ChannelStore store(defaults());
    {
        IngestSession first(store, "ch", "enc");
        QVERIFY(feedAll(first, smooth_).has_value());
    }
    const size_t before = store.find("ch")->view()->tracks[0].segments.size();
    IngestSession restarted(store, "ch", "enc");
    QVERIFY(feedAll(restarted, restart_).has_value());
    const auto view = store.find("ch")->view();
    for (const auto& track : view->tracks) {
        QVERIFY(track.segments.size() > before);
        QVERIFY(track.segments[before].discontinuity);
        QCOMPARE(track.segments[before].start.value, int64_t(0));
        QCOMPARE(track.segments[before].sequence, track.segments[before - 1].sequence + 1);
    }
}

void TstIngestSession::mediaBeforeHeaderIsRefused() {
    ChannelStore store(defaults());
    IngestSession session(store, "ch", "enc");
    const auto result = feedAll(session, fromBox(smooth_, "moof"));
    QVERIFY(!result.has_value());
    QCOMPARE(result.error().code(), ErrorCode::FailedPrecondition);
    QVERIFY(store.find("ch") == nullptr);
}

void TstIngestSession::randomBytesAreAParseError() {
    ChannelStore store(defaults());
    for (quint32 seed = 1; seed <= 20; ++seed) {
        QRandomGenerator random(seed);
        std::vector<uint8_t> noise(5000);
        for (auto& b : noise) {
            b = uint8_t(random.bounded(256));
        }
        IngestSession session(store, "noise", "enc");
        const auto result = feedAll(session, noise, 333);
        QVERIFY(!result.has_value());
        QCOMPARE(result.error().code(), ErrorCode::Parse);
    }
    QVERIFY(store.find("noise") == nullptr);
}

void TstIngestSession::unsupportedCodecIsRefused() {
    ChannelStore store(defaults());
    IngestSession session(store, "ch", "enc");
    const auto result = feedAll(session, mpeg4_);
    QVERIFY(!result.has_value());
    QCOMPARE(result.error().code(), ErrorCode::Unsupported);
    QVERIFY2(result.error().toString().find("mp4v") != std::string::npos,
             result.error().toString().c_str());
}

void TstIngestSession::utf16LiveServerManifestIsAccepted() {
    // Re-encode FFmpeg's UTF-8 LSM as UTF-16LE with a BOM (as MS-SSTR's example declares).
    const auto lsm = fromBox(smooth_, "uuid", true);
    const std::string xml(lsm.begin() + 28, lsm.end());
    std::vector<uint8_t> box = {0, 0, 0, 0};
    box.insert(box.end(), lsm.begin() + 4, lsm.begin() + 28);
    box.push_back(0xFF);
    box.push_back(0xFE);
    for (const char c : xml) {
        box.push_back(uint8_t(c));
        box.push_back(0);
    }
    const uint32_t size = uint32_t(box.size());
    box[0] = uint8_t(size >> 24), box[1] = uint8_t(size >> 16), box[2] = uint8_t(size >> 8),
    box[3] = uint8_t(size);
    std::vector<uint8_t> body = fromBox(smooth_, "ftyp", true);
    body.insert(body.end(), box.begin(), box.end());
    const auto rest = fromBox(smooth_, "moov");
    body.insert(body.end(), rest.begin(), rest.end());

    ChannelStore store(defaults());
    IngestSession session(store, "ch", "enc");
    QVERIFY(feedAll(session, body).has_value());
    const auto view = store.find("ch")->view();
    QCOMPARE(view->tracks[0].info.bitrateBps, 300000);
    QCOMPARE(view->tracks[1].info.bitrateBps, 64000);
    QVERIFY(!view->tracks[0].segments.empty());
}

void TstIngestSession::lsmParserReadsTracks() {
    const std::u16string xml =
        u"<?xml version=\"1.0\" encoding=\"utf-16\"?><smil xmlns=\"http://www.w3.org/2001/"
        u"SMIL20/Language\"><body><switch><video systemBitrate=\"1500000\"><param "
        u"name=\"trackID\" value=\"2\" valuetype=\"data\"/><param name=\"trackName\" "
        u"value=\"video_\u00e9\"/></video><audio systemBitrate=\"128000\"><param "
        u"name=\"trackID\" value=\"1\"/></audio></switch></body></smil>";
    std::vector<uint8_t> be = {0xFE, 0xFF};
    for (const char16_t c : xml) {
        be.push_back(uint8_t(c >> 8));
        be.push_back(uint8_t(c));
    }
    const auto tracks = LsmParser::parse(be);
    QVERIFY2(tracks.has_value(), tracks ? "" : tracks.error().toString().c_str());
    QCOMPARE(tracks->size(), size_t(2));
    QCOMPARE((*tracks)[0].kind, std::string("video"));
    QCOMPARE((*tracks)[0].trackId, 2u);
    QCOMPARE((*tracks)[0].systemBitrate, 1500000);
    QCOMPARE((*tracks)[0].trackName, std::string("video_\xC3\xA9"));
    QCOMPARE((*tracks)[1].trackId, 1u);
    QCOMPARE((*tracks)[1].systemBitrate, 128000);
    const std::vector<uint8_t> notXml = {'h', 'e', 'l', 'l', 'o'};
    QCOMPARE(LsmParser::parse(notXml).error().code(), ErrorCode::Parse);
}

void TstIngestSession::newerConnectionSupersedesOlder() {
    ChannelStore store(defaults());
    IngestRegistry registry;
    const auto header = std::vector<uint8_t>(
        smooth_.begin(), smooth_.end() - std::ptrdiff_t(fromBox(smooth_, "moof").size()));
    const auto media = fromBox(smooth_, "moof");
    IngestSession older(store, "ch", "enc", &registry);
    QVERIFY(older.feed(header).has_value());
    IngestSession newer(store, "ch", "enc", &registry);
    QVERIFY(newer.feed(header).has_value());
    QVERIFY(older.superseded());
    QVERIFY(!newer.superseded());
    QVERIFY(older.feed(media).has_value());  // accepted on the wire, ignored
    QVERIFY(older.stats().ignoredSuperseded > 0);
    QCOMPARE(older.stats().segmentsAdded, uint64_t(0));
    QVERIFY(newer.feed(media).has_value());
    QVERIFY(newer.stats().segmentsAdded > 0);
}

void TstIngestSession::separatePostsBuildOneChannel() {
    // The CMAF file's two tracks, posted as if by two encoders' Streams(): each POST has one
    // track after a remux; here: the same two-track body under two ids gives four tracks.
    ChannelStore store(defaults());
    IngestSession a(store, "ch", "video_300");
    IngestSession b(store, "ch", "alt");
    QVERIFY(feedAll(a, cmaf_).has_value());
    QVERIFY(feedAll(b, smooth_).has_value());
    const auto view = store.find("ch")->view();
    QCOMPARE(view->tracks.size(), size_t(4));
    std::vector<int> indexes;
    for (const auto& t : view->tracks) {
        indexes.push_back(t.info.trackIndex);
        QVERIFY(!t.segments.empty());
    }
    std::sort(indexes.begin(), indexes.end());
    QCOMPARE(indexes, (std::vector<int>{0, 1, 2, 3}));
    QCOMPARE(view->tracks[0].info.kind, TrackKind::Video);
    QCOMPARE(view->tracks[3].info.kind, TrackKind::Audio);
}

void TstIngestSession::fragmentIsStoredWhenItsLastByteArrives() {
    // Latency: a fragment is visible as soon as its mdat is complete, not at the end of the body.
    const auto boxes = mp4::BoxReader::parse(smooth_);
    QVERIFY(boxes.has_value());
    uint64_t firstMdatEnd = 0;
    for (const auto& b : *boxes) {
        if (b.type.toString() == "mdat") {
            firstMdatEnd = b.offset + b.size;
            break;
        }
    }
    ChannelStore store(defaults());
    IngestSession session(store, "ch", "enc");
    const std::span<const uint8_t> all(smooth_);
    QVERIFY(session.feed(all.first(size_t(firstMdatEnd - 1))).has_value());
    const auto segmentCount = [&] {
        size_t n = 0;
        for (const auto& t : store.find("ch")->view()->tracks) {
            n += t.segments.size();
        }
        return n;
    };
    QCOMPARE(segmentCount(), size_t(0));
    QVERIFY(session.feed(all.subspan(size_t(firstMdatEnd - 1), 1)).has_value());
    QCOMPARE(segmentCount(), size_t(1));
}

QTEST_GUILESS_MAIN(TstIngestSession)
#include "tst_ingest_session.moc"

#include <QTest>

#include "publisher/mp4/box_reader.h"
#include "publisher/mp4/byte_reader.h"
#include "publisher/mp4/init_segment.h"
#include "test_support.h"

using namespace podium;
using namespace podium::publisher::mp4;

class TstInitSegment : public QObject {
    Q_OBJECT
private slots:
    void goldenVideoInit();
    void goldenAudioInit();
    void videoHeaderFields();
    void audioHeaderFields();
    void deterministic();
};

void TstInitSegment::goldenVideoInit() {
    QVERIFY(
        test::matchesGolden("video_init", buildInitSegment(test::videoTrack(0, "240p", 320, 240))));
}

void TstInitSegment::goldenAudioInit() {
    QVERIFY(test::matchesGolden("audio_init", buildInitSegment(test::audioTrack(2))));
}

void TstInitSegment::videoHeaderFields() {
    const TrackInfo track = test::videoTrack(1, "240p", 320, 240);
    const auto bytes = buildInitSegment(track);
    auto boxes = BoxReader::parse(bytes);
    QVERIFY(boxes.has_value());
    const std::string text = dumpTree(*boxes);
    QVERIFY2(text.find("ftyp [size 32] major=iso6 minor=0 compatible=iso6,cmfc,dash,mp41") == 0,
             text.c_str());
    QVERIFY2(text.find("timescale=1000 duration=0 next_track_id=3") != std::string::npos,
             text.c_str());
    QVERIFY2(text.find("tkhd [size 92] v0 flags=0x000003 track_id=2 duration=0 volume=0x0000 "
                       "width=320 height=240") != std::string::npos,
             text.c_str());
    QVERIFY2(text.find("timescale=90000 duration=0 language=und") != std::string::npos,
             text.c_str());
    QVERIFY2(text.find("handler=vide") != std::string::npos, text.c_str());
    QVERIFY2(text.find("avc1 [size") != std::string::npos &&
                 text.find("width=320 height=240 resolution=0x00480000 depth=0x0018") !=
                     std::string::npos,
             text.c_str());
    QVERIFY2(text.find("profile=100") != std::string::npos, text.c_str());
    QVERIFY2(text.find("btrt [size 20] buffer_size=0 max_bitrate=900000 avg_bitrate=600000") !=
                 std::string::npos,
             text.c_str());
    QVERIFY2(text.find("trex [size 32] v0 flags=0x000000 track_id=2 "
                       "default_sample_description_index=1") != std::string::npos,
             text.c_str());
    for (const char* table : {"stts", "stsc", "stco"}) {
        QVERIFY2(text.find(std::string(table) + " [size 16] v0 flags=0x000000 entry_count=0") !=
                     std::string::npos,
                 table);
    }
}

void TstInitSegment::audioHeaderFields() {
    const auto bytes = buildInitSegment(test::audioTrack(2));
    auto boxes = BoxReader::parse(bytes);
    QVERIFY(boxes.has_value());
    const std::string text = dumpTree(*boxes);
    QVERIFY2(text.find("volume=0x0100 width=0 height=0") != std::string::npos, text.c_str());
    QVERIFY2(text.find("handler=soun") != std::string::npos, text.c_str());
    QVERIFY2(text.find("smhd") != std::string::npos, text.c_str());
    QVERIFY2(text.find("channels=2 sample_size=16 sample_rate=48000") != std::string::npos,
             text.c_str());
    QVERIFY2(text.find("object_type=0x40 stream_type=5 buffer_size=1536 max_bitrate=128000 "
                       "avg_bitrate=128000 dsi=1190 sl_predefined=2") != std::string::npos,
             text.c_str());
    const Box* esds = findBox(*boxes, "moov/trak/mdia/minf/stbl/stsd/mp4a/esds");
    QVERIFY(esds != nullptr);
    QVERIFY(findBox(*boxes, "moov/trak/mdia/minf/stbl/stsd/mp4a/btrt") != nullptr);
}

void TstInitSegment::deterministic() {
    const TrackInfo track = test::videoTrack(0, "240p", 320, 240);
    QCOMPARE(buildInitSegment(track), buildInitSegment(track));
}

QTEST_GUILESS_MAIN(TstInitSegment)
#include "tst_init_segment.moc"

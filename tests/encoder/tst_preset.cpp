#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

#include <nlohmann/json.hpp>

#include "encoder/preset.h"

using namespace podium;
using namespace podium::encoder;
using nlohmann::json;

namespace {

/// A valid preset; the bad rows each break one thing in it.
json validPreset() {
    return json::parse(R"({
        "name": "Test", "description": "d",
        "canvasWidth": 1280, "canvasHeight": 720, "fpsNum": 30, "fpsDen": 1,
        "segmentSeconds": 2, "partSeconds": 0.5,
        "x264Preset": "veryfast", "x264Profile": "high", "x264Tune": "",
        "audioBitrateKbps": 128, "audioSampleRate": 48000, "audioChannels": 2,
        "renditions": [
            {"id": "720p", "width": 1280, "height": 720, "bitrateKbps": 2500, "maxBitrateKbps": 2500},
            {"id": "480p", "width": 854, "height": 480, "bitrateKbps": 1000, "maxBitrateKbps": 1000},
            {"id": "360p", "width": 640, "height": 360, "bitrateKbps": 600, "maxBitrateKbps": 600}
        ]})");
}

QString withChange(const std::function<void(json&)>& change) {
    json preset = validPreset();
    change(preset);
    return QString::fromStdString(preset.dump(4));
}

QString errorText(const Result<Preset>& result) {
    return result ? QString("(no error)") : QString::fromStdString(result.error().toString());
}

}  // namespace

class TstPreset : public QObject {
    Q_OBJECT

private slots:
    void validPresetParses();
    void builtinsAllParse();
    void builtinsMatchTheirFiles();
    void defaultIsUserGroup720p();
    void interactiveIsTheDefaultTunedForLatency();
    void badPresetIsRefused_data();
    void badPresetIsRefused();
    void findByName_data();
    void findByName();
    void findByPath();
    void unknownNameListsAvailable();
    void missingFileIsNamed();
};

void TstPreset::validPresetParses() {
    auto preset = parsePreset(validPreset().dump(), "ok.json");
    QVERIFY2(preset, qPrintable(errorText(preset)));
    QCOMPARE(preset->sourceName, std::string("ok.json"));
    QCOMPARE(preset->renditions.size(), size_t(3));
    QCOMPARE(preset->segmentFrames(), 60);
    QCOMPARE(preset->partFrames(), 15);
}

void TstPreset::builtinsAllParse() {
    const auto presets = builtinPresets();
    QStringList names;
    for (const Preset& p : presets) {
        names << QString::fromStdString(p.name);
        QVERIFY(QString::fromStdString(p.sourceName).startsWith("built-in:"));
        QVERIFY(!p.renditions.empty());
        QVERIFY(p.renditions.front().width <= p.canvasWidth);
    }
    names.sort();
    QCOMPARE(names, QStringList({"IIS Smooth Streaming", "Interactive 720p", "Low bandwidth",
                                 "Talk + slides 1080p", "User group 720p"}));
}

void TstPreset::builtinsMatchTheirFiles() {
    // The embedded copies are regenerated from resources/presets/ at build time.
    const QDir dir(QStringLiteral(PODIUM_SOURCE_DIR "/resources/presets"));
    const QStringList files = dir.entryList({"*.json"}, QDir::Files);
    QCOMPARE(size_t(files.size()), builtinPresets().size());
    for (const QString& file : files) {
        auto fromDisk = findPreset(dir.filePath(file).toStdString());
        QVERIFY2(fromDisk, qPrintable(errorText(fromDisk)));
        auto builtIn = findPreset(QFileInfo(file).completeBaseName().toStdString());
        QVERIFY2(builtIn, qPrintable(errorText(builtIn)));
        QCOMPARE(builtIn->name, fromDisk->name);
        QCOMPARE(builtIn->renditions.size(), fromDisk->renditions.size());
    }
}

void TstPreset::defaultIsUserGroup720p() {
    QCOMPARE(defaultPresetName(), std::string("User group 720p"));
    auto preset = findPreset(defaultPresetName());
    QVERIFY2(preset, qPrintable(errorText(preset)));
    QCOMPARE(preset->canvasWidth, 1280);
    QCOMPARE(preset->canvasHeight, 720);
    QCOMPARE(preset->fpsNum, 30);
    QCOMPARE(preset->x264Preset, std::string("veryfast"));
    QCOMPARE(preset->audioBitrateKbps, 128);
    QCOMPARE(preset->audioSampleRate, 48000);
    QCOMPARE(preset->audioChannels, 2);
    QCOMPARE(preset->segmentDuration(), (MediaTime{180000, kVideoTimescale}));
    // LL-HLS parts of 10 frames (1/3 s, as in Apple's low-latency examples): hold-back 1 s.
    QCOMPARE(preset->partFrames(), 10);
    QCOMPARE(preset->partDuration(), (MediaTime{30000, kVideoTimescale}));
    QCOMPARE(preset->renditions.size(), size_t(3));
    const int expected[3][4] = {
        {1280, 720, 2500, 2500}, {854, 480, 1000, 1000}, {640, 360, 600, 600}};
    const char* ids[3] = {"720p", "480p", "360p"};
    for (int i = 0; i < 3; ++i) {
        const RenditionSpec& r = preset->renditions[size_t(i)];
        QCOMPARE(r.id, std::string(ids[i]));
        QCOMPARE(r.width, expected[i][0]);
        QCOMPARE(r.height, expected[i][1]);
        QCOMPARE(r.bitrateKbps, expected[i][2]);
        QCOMPARE(r.maxBitrateKbps, expected[i][3]);
    }
}

// Issue #12: the default's renditions, no lookahead or B-frames (x264's zerolatency), 200 ms
// parts in 1 s segments, PART-HOLD-BACK at the spec's minimum and a 1 s DASH target.
void TstPreset::interactiveIsTheDefaultTunedForLatency() {
    auto preset = findPreset("Interactive 720p");
    QVERIFY2(preset, qPrintable(errorText(preset)));
    auto fallback = findPreset(defaultPresetName());
    QVERIFY(fallback);
    QCOMPARE(preset->renditions, fallback->renditions);
    QCOMPARE(preset->x264Tune, std::string("zerolatency"));
    QCOMPARE(preset->partFrames(), 6);
    QCOMPARE(preset->segmentFrames(), 30);
    QCOMPARE(preset->partHoldBackParts, 2.0);
    QCOMPARE(preset->dashLatencyTargetSeconds, 1.0);
    QCOMPARE(fallback->partHoldBackParts, 3.0);  // not set: the spec's recommendation
    QCOMPARE(fallback->dashLatencyTargetSeconds, 0.0);
}

void TstPreset::badPresetIsRefused_data() {
    QTest::addColumn<QString>("jsonText");
    QTest::addColumn<QString>("expectedError");

    QTest::newRow("invalid JSON names line and column")
        << QString("{\n  \"name\": \"x\",\n  oops\n}")
        << "preset \"bad.json\": line 3, column 3: invalid JSON (";
    QTest::newRow("not an object")
        << QString("[1, 2]") << "preset \"bad.json\": must be a JSON object";
    QTest::newRow("missing field") << withChange([](json& j) { j.erase("canvasWidth"); })
                                   << "preset \"bad.json\": field \"canvasWidth\": is required";
    QTest::newRow("wrong type") << withChange([](json& j) { j["fpsNum"] = "30"; })
                                << "field \"fpsNum\": must be a positive integer (got \"30\")";
    QTest::newRow("lookahead out of range")
        << withChange([](json& j) { j["x264LookaheadFrames"] = 1000; })
        << "preset \"bad.json\": field \"x264LookaheadFrames\"";
    QTest::newRow("negative bitrate")
        << withChange([](json& j) { j["renditions"][1]["bitrateKbps"] = -5; })
        << "preset \"bad.json\": field \"renditions[1].bitrateKbps\": must be a positive integer "
           "(got -5)";
    QTest::newRow("unknown field (typo)") << withChange([](json& j) { j["canvasWidht"] = 1280; })
                                          << "field \"canvasWidht\": unknown field";
    QTest::newRow("unknown rendition field")
        << withChange([](json& j) { j["renditions"][0]["bitrate"] = 1; })
        << "field \"renditions[0].bitrate\": unknown field";
    QTest::newRow("odd size") << withChange([](json& j) { j["renditions"][1]["width"] = 853; })
                              << "field \"renditions[1].width\": must be even";
    QTest::newRow("canvas too large") << withChange([](json& j) { j["canvasWidth"] = 8192; })
                                      << "field \"canvasWidth\": must be in 16..4096 (got 8192)";
    QTest::newRow("rendition larger than canvas")
        << withChange([](json& j) { j["renditions"][0]["width"] = 1920; })
        << "field \"renditions[0].width\": rendition 1920x720 is larger than the canvas 1280x720";
    QTest::newRow("duplicate id") << withChange([](json& j) { j["renditions"][2]["id"] = "480p"; })
                                  << "field \"renditions[2].id\": duplicate id \"480p\"";
    QTest::newRow("id not URL-safe")
        << withChange([](json& j) { j["renditions"][0]["id"] = "7 20/p"; })
        << "field \"renditions[0].id\": must be a non-empty URL-safe name";
    QTest::newRow("not ordered highest first")
        << withChange([](json& j) { std::swap(j["renditions"][0], j["renditions"][1]); })
        << "field \"renditions[1].";
    QTest::newRow("bad x264 preset")
        << withChange([](json& j) { j["x264Preset"] = "superfastest"; })
        << "field \"x264Preset\": unknown x264 preset \"superfastest\" (known: ultrafast,";
    QTest::newRow("bad x264 profile") << withChange([](json& j) { j["x264Profile"] = "high10"; })
                                      << "field \"x264Profile\": must be baseline, main or high";
    QTest::newRow("bad x264 tune") << withChange([](json& j) { j["x264Tune"] = "slides"; })
                                   << "field \"x264Tune\": unknown x264 tune \"slides\"";
    QTest::newRow("fps out of range") << withChange([](json& j) { j["fpsNum"] = 150; })
                                      << "field \"fpsNum\": frame rate must be 1..120 fps";
    QTest::newRow("segment too long") << withChange([](json& j) { j["segmentSeconds"] = 12; })
                                      << "field \"segmentSeconds\": must be a number of seconds in";
    QTest::newRow("segment not whole frames")
        << withChange([](json& j) { j["segmentSeconds"] = 1.01; })
        << "field \"segmentSeconds\": must be a whole number of frames";
    QTest::newRow("part not dividing segment")
        << withChange([](json& j) { j["partSeconds"] = 0.6; })
        << "field \"partSeconds\": must divide the segment (60 frames)";
    QTest::newRow("part longer than segment")
        << withChange([](json& j) { j["partSeconds"] = 3; })
        << "field \"partSeconds\": must be a number of seconds in";
    QTest::newRow("hold back under the spec's minimum")
        << withChange([](json& j) { j["partHoldBackParts"] = 1.5; })
        << "field \"partHoldBackParts\": must be a number of part targets in 2";
    QTest::newRow("DASH target under two parts")
        << withChange([](json& j) { j["dashLatencyTargetSeconds"] = 0.4; })
        << "field \"dashLatencyTargetSeconds\": must be 0 (derived) or at least two parts";
    QTest::newRow("max below bitrate")
        << withChange([](json& j) { j["renditions"][0]["maxBitrateKbps"] = 2000; })
        << "field \"renditions[0].maxBitrateKbps\": must be >= bitrateKbps 2500 (got 2000)";
    QTest::newRow("empty renditions")
        << withChange([](json& j) { j["renditions"] = json::array(); })
        << "field \"renditions\": must be a non-empty array";
    QTest::newRow("audio bitrate out of range")
        << withChange([](json& j) { j["audioBitrateKbps"] = 16; })
        << "field \"audioBitrateKbps\": must be in 32..320 (got 16)";
    QTest::newRow("odd sample rate") << withChange([](json& j) { j["audioSampleRate"] = 44000; })
                                     << "field \"audioSampleRate\": must be 44100 or 48000";
    QTest::newRow("surround channels") << withChange([](json& j) { j["audioChannels"] = 6; })
                                       << "field \"audioChannels\": must be in 1..2 (got 6)";
}

void TstPreset::badPresetIsRefused() {
    QFETCH(QString, jsonText);
    QFETCH(QString, expectedError);
    auto preset = parsePreset(jsonText.toStdString(), "bad.json");
    QVERIFY(!preset);
    const QString error = errorText(preset);
    QVERIFY2(error.startsWith("preset \"bad.json\": "), qPrintable(error));
    QVERIFY2(error.contains(expectedError), qPrintable(error));
    QVERIFY2(!error.contains('\n'), qPrintable(error));
}

void TstPreset::findByName_data() {
    QTest::addColumn<QString>("query");
    QTest::addColumn<QString>("expectedName");
    QTest::newRow("exact name") << "Talk + slides 1080p"
                                << "Talk + slides 1080p";
    QTest::newRow("name, other case") << "user GROUP 720p"
                                      << "User group 720p";
    QTest::newRow("file stem") << "user-group-720p"
                               << "User group 720p";
    QTest::newRow("file stem, other case") << "IIS-Smooth-Streaming"
                                           << "IIS Smooth Streaming";
    QTest::newRow("low bandwidth") << "low-bandwidth"
                                   << "Low bandwidth";
}

void TstPreset::findByName() {
    QFETCH(QString, query);
    QFETCH(QString, expectedName);
    auto preset = findPreset(query.toStdString());
    QVERIFY2(preset, qPrintable(errorText(preset)));
    QCOMPARE(QString::fromStdString(preset->name), expectedName);
}

void TstPreset::findByPath() {
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath("mine.json");
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(
        QByteArray::fromStdString(withChange([](json& j) { j["name"] = "Mine"; }).toStdString()));
    file.close();
    auto preset = findPreset(path.toStdString());
    QVERIFY2(preset, qPrintable(errorText(preset)));
    QCOMPARE(preset->name, std::string("Mine"));
    QCOMPARE(preset->sourceName, path.toStdString());

    QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
    file.write("{\"name\": 5}");
    file.close();
    auto bad = findPreset(path.toStdString());
    QVERIFY(!bad);
    QVERIFY2(errorText(bad).contains("preset \"" + path + "\": field \"name\""),
             qPrintable(errorText(bad)));
}

void TstPreset::unknownNameListsAvailable() {
    auto preset = findPreset("Nope");
    QVERIFY(!preset);
    QCOMPARE(preset.error().code(), ErrorCode::NotFound);
    const QString error = errorText(preset);
    QVERIFY2(error.contains("unknown preset \"Nope\""), qPrintable(error));
    for (const char* name : {"\"User group 720p\"", "\"Talk + slides 1080p\"", "\"Low bandwidth\"",
                             "\"IIS Smooth Streaming\""}) {
        QVERIFY2(error.contains(name), qPrintable(error));
    }
}

void TstPreset::missingFileIsNamed() {
    auto preset = findPreset("/nonexistent/folder/studio.json");
    QVERIFY(!preset);
    QCOMPARE(preset.error().code(), ErrorCode::NotFound);
    QVERIFY2(errorText(preset).contains("/nonexistent/folder/studio.json"),
             qPrintable(errorText(preset)));
}

QTEST_GUILESS_MAIN(TstPreset)
#include "tst_preset.moc"

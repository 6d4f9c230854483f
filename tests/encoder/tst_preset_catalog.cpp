// The user's own presets: written as JSON the loader reads back unchanged, kept in the user's
// config folder, found by name like the built-ins, renamed and deleted; bad ones refused with the
// loader's words.
#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

#include "encoder/preset_catalog.h"

using namespace podium;
using namespace podium::encoder;

namespace {

Preset myTalk() {
    Preset p = *findPreset(defaultPresetName());
    p.name = "My talk 540p";
    p.description = "two rungs for the venue's uplink";
    p.canvasWidth = 960;
    p.canvasHeight = 540;
    p.fpsNum = 25;
    p.segmentSeconds = 2;
    p.partSeconds = 0.4;
    p.renditions = {{"540p", 960, 540, 1800, 2000}, {"270p", 480, 270, 500, 500}};
    return p;
}

QString errorText(const Result<Preset>& r) {
    return r ? QString("(no error)") : QString::fromStdString(r.error().toString());
}

}  // namespace

class TstPresetCatalog : public QObject {
    Q_OBJECT
private slots:
    void init();
    void folderFollowsXdgConfigHome();
    void everyBuiltinRoundTripsThroughJson_data();
    void everyBuiltinRoundTripsThroughJson();
    void savedPresetIsFoundByNameAndStem();
    void badPresetIsRefusedWithTheLoadersWords_data();
    void badPresetIsRefusedWithTheLoadersWords();
    void renameReplacesTheFile();
    void deleteRemovesOnlyUserPresets();
    void brokenFileIsReportedNotFatal();

private:
    QTemporaryDir config_;
    QString folder() const { return config_.filePath("podium/presets"); }
};

void TstPresetCatalog::init() {
    QVERIFY(config_.isValid());
    QDir(folder()).removeRecursively();
    qputenv("XDG_CONFIG_HOME", config_.path().toUtf8());
}

void TstPresetCatalog::folderFollowsXdgConfigHome() {
    QCOMPARE(QString::fromStdString(userPresetFolder()), folder());
    qputenv("XDG_CONFIG_HOME", "relative/is/ignored");  // XDG spec: only absolute paths count
    QCOMPARE(QString::fromStdString(userPresetFolder()),
             QDir::homePath() + "/.config/podium/presets");
}

void TstPresetCatalog::everyBuiltinRoundTripsThroughJson_data() {
    QTest::addColumn<QString>("name");
    for (const auto& p : builtinPresets()) {
        QTest::newRow(p.name.c_str()) << QString::fromStdString(p.name);
    }
}

void TstPresetCatalog::everyBuiltinRoundTripsThroughJson() {
    QFETCH(QString, name);
    const Preset original = *findPreset(name.toStdString());
    auto again = parsePreset(presetToJson(original), original.sourceName);
    QVERIFY2(again, qPrintable(errorText(again)));
    QVERIFY(*again == original);  // every field, the part length's last digit included
}

void TstPresetCatalog::savedPresetIsFoundByNameAndStem() {
    auto path = saveUserPreset(myTalk());
    QVERIFY2(path, path ? "" : path.error().toString().c_str());
    QCOMPARE(QString::fromStdString(*path), folder() + "/my-talk-540p.json");
    QVERIFY(QFile::exists(QString::fromStdString(*path)));

    for (const char* name : {"My talk 540p", "my TALK 540p", "my-talk-540p"}) {
        auto found = findPreset(name);
        QVERIFY2(found, qPrintable(errorText(found)));
        QCOMPARE(found->renditions.size(), size_t(2));
        QCOMPARE(found->fpsNum, 25);
        QVERIFY(!isBuiltin(*found));
    }
    const auto user = loadUserPresets();
    QCOMPARE(user.presets.size(), size_t(1));
    QVERIFY(user.problems.empty());
    // The unknown-name message lists the user's presets too.
    QVERIFY(errorText(findPreset("nope")).contains("\"My talk 540p\""));
}

void TstPresetCatalog::badPresetIsRefusedWithTheLoadersWords_data() {
    QTest::addColumn<int>("change");
    QTest::addColumn<QString>("words");
    QTest::newRow("odd rendition width") << 0 << R"(field "renditions[1].width": must be even)";
    QTest::newRow("empty name") << 1 << R"(field "name": must not be empty)";
    QTest::newRow("part does not divide the segment")
        << 2 << R"(field "partSeconds": must divide the segment)";
    QTest::newRow("rendition above the canvas") << 3 << "is larger than the canvas 960x540";
    QTest::newRow("name of a built-in") << 4 << R"(a built-in preset is already called)";
    QTest::newRow("ladder not highest first") << 5 << "must be ordered highest first";
}

void TstPresetCatalog::badPresetIsRefusedWithTheLoadersWords() {
    QFETCH(int, change);
    QFETCH(QString, words);
    Preset p = myTalk();
    switch (change) {
        case 0:
            p.renditions[1].width = 481;
            break;
        case 1:
            p.name.clear();
            break;
        case 2:
            p.partSeconds = 0.6;
            break;
        case 3:
            p.renditions[0].width = 1280;
            break;
        case 4:
            p.name = "low BANDWIDTH";
            break;
        case 5:
            std::swap(p.renditions[0], p.renditions[1]);
            break;
    }
    const auto checked = validateUserPreset(p);
    QVERIFY(!checked);
    QVERIFY2(errorText(checked).contains(words), qPrintable(errorText(checked)));
    QVERIFY(!saveUserPreset(p));
    QVERIFY(!QDir(folder()).exists() || QDir(folder()).isEmpty());
}

void TstPresetCatalog::renameReplacesTheFile() {
    const auto first = saveUserPreset(myTalk());
    QVERIFY(first);
    Preset renamed = myTalk();
    renamed.name = "Venue 540p";
    // Saving the same preset again under its own file is not a name clash.
    QVERIFY(saveUserPreset(myTalk(), *first));
    const auto second = saveUserPreset(renamed, *first);
    QVERIFY2(second, second ? "" : second.error().toString().c_str());
    QVERIFY(!QFile::exists(QString::fromStdString(*first)));
    QCOMPARE(QDir(folder()).entryList(QDir::Files), QStringList{"venue-540p.json"});
    QVERIFY(findPreset("Venue 540p"));
    QVERIFY(!findPreset("My talk 540p"));
    // A second preset may not take the first one's name.
    Preset other = myTalk();
    other.name = "venue 540P";
    QVERIFY(errorText(validateUserPreset(other)).contains("your preset"));
}

void TstPresetCatalog::deleteRemovesOnlyUserPresets() {
    const auto path = saveUserPreset(myTalk());
    QVERIFY(path);
    QVERIFY(!deleteUserPreset("built-in:user-group-720p.json"));
    QVERIFY(!deleteUserPreset(config_.filePath("elsewhere.json").toStdString()));
    QVERIFY(deleteUserPreset(*path));
    QVERIFY(!QFile::exists(QString::fromStdString(*path)));
    QVERIFY(!findPreset("My talk 540p"));
}

void TstPresetCatalog::brokenFileIsReportedNotFatal() {
    QVERIFY(saveUserPreset(myTalk()));
    QFile broken(folder() + "/broken.json");
    QVERIFY(broken.open(QIODevice::WriteOnly));
    broken.write(R"({"name": "Broken", "canvasWidth": 7})");
    broken.close();
    const auto user = loadUserPresets();
    QCOMPARE(user.presets.size(), size_t(1));
    QCOMPARE(user.problems.size(), size_t(1));
    QVERIFY2(QString::fromStdString(user.problems[0].toString()).contains("broken.json"),
             user.problems[0].toString().c_str());
    QVERIFY(findPreset("My talk 540p"));
}

QTEST_GUILESS_MAIN(TstPresetCatalog)
#include "tst_preset_catalog.moc"

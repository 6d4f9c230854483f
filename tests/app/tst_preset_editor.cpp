// "Duplicate and edit" a preset in the real panel and editor: a bad value shows the JSON
// loader's own words and disables Save; a good one is saved as JSON in the user's config
// folder, listed next to the built-ins, found by `podium-cli`, renamed and deleted.
#include <QAbstractItemView>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QLabel>
#include <QLineEdit>
#include <QProcess>
#include <QPushButton>
#include <QSpinBox>
#include <QTemporaryDir>
#include <QtTest>

#include "app/gui/ladder_edit_model.h"
#include "app/gui/preset_editor.h"
#include "app/gui/preset_panel.h"
#include "encoder/preset_catalog.h"

using namespace podium;
using namespace podium::gui;

namespace {

template <typename T>
T* child(QWidget* parent, const char* name) {
    T* found = parent->findChild<T*>(name);
    if (!found) {
        qWarning("no %s", name);
    }
    return found;
}

QString cliPath() {
    return QString(PODIUM_BINARY_DIR) + "/app/podium-cli";
}

}  // namespace

class TstPresetEditor : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void init();
    void badValueShowsTheLoadersWordsAndDisablesSave_data();
    void badValueShowsTheLoadersWordsAndDisablesSave();
    void customPresetRoundTripsThroughEditorFileAndCli();
    void renameAndDelete();

private:
    QTemporaryDir config_;
};

void TstPresetEditor::initTestCase() {
    QVERIFY(config_.isValid());
    qputenv("XDG_CONFIG_HOME", config_.path().toUtf8());
}

void TstPresetEditor::init() {
    QDir(config_.filePath("podium")).removeRecursively();
}

void TstPresetEditor::badValueShowsTheLoadersWordsAndDisablesSave_data() {
    QTest::addColumn<QString>("field");
    QTest::addColumn<int>("value");
    QTest::addColumn<QString>("words");
    QTest::newRow("odd canvas width")
        << "canvasWidth" << 1279
        << R"(field "canvasWidth": must be even for 4:2:0 video (got 1279))";
    QTest::newRow("segment of no whole frames at 29.97")
        << "fpsDen" << 1001 << R"(field "segmentSeconds": must be a whole number of frames)";
    QTest::newRow("part that does not divide the segment")
        << "partFrames" << 7 << R"(field "partSeconds": must divide the segment (60 frames))";
    QTest::newRow("rendition wider than the canvas")
        << "canvasHeight" << 480 << "is larger than the canvas 1280x480";
}

void TstPresetEditor::badValueShowsTheLoadersWordsAndDisablesSave() {
    QFETCH(QString, field);
    QFETCH(int, value);
    QFETCH(QString, words);
    PresetPanel panel;
    panel.setCurrentPreset(QString::fromStdString(encoder::defaultPresetName()));
    PresetEditor* editor = panel.openEditor(true);
    QVERIFY(editor);
    QVERIFY(QTest::qWaitForWindowExposed(editor));
    QPushButton* save = child<QPushButton>(editor, "savePreset");
    QLabel* verdict = child<QLabel>(editor, "presetProblem");
    QVERIFY(save && verdict);
    QVERIFY2(save->isEnabled(), qPrintable(verdict->text()));  // the copy itself is fine

    if (field == "fpsDen") {
        // 30000/1001 fps (29.97): typed like a user, into the denominator's field.
        auto* num = child<QSpinBox>(editor, "fpsNum");
        num->setValue(30000);
    }
    auto* box = child<QSpinBox>(editor, qPrintable(field));
    QVERIFY(box);
    box->selectAll();
    QTest::keyClicks(box, QString::number(value));
    QTest::keyClick(box, Qt::Key_Tab);
    QCOMPARE(box->value(), value);
    QVERIFY2(verdict->text().contains(words), qPrintable(verdict->text()));
    QVERIFY(!save->isEnabled());

    // The same words the JSON loader gives for the same preset on disk.
    const auto loaded =
        encoder::parsePreset(encoder::presetToJson(editor->preset()), editor->preset().name);
    QVERIFY(!loaded);
    QCOMPARE(verdict->text(), QString::fromStdString(loaded.error().toString()));
    editor->reject();
}

void TstPresetEditor::customPresetRoundTripsThroughEditorFileAndCli() {
    PresetPanel panel;
    QSignalSpy chosen(&panel, &PresetPanel::presetChanged);
    panel.setCurrentPreset(QString::fromStdString(encoder::defaultPresetName()));
    PresetEditor* editor = panel.openEditor(true);
    QVERIFY(editor);
    QVERIFY(QTest::qWaitForWindowExposed(editor));
    auto* name = child<QLineEdit>(editor, "presetName");
    name->selectAll();
    QTest::keyClicks(name, "Venue uplink 540p");
    child<QSpinBox>(editor, "canvasWidth")->setValue(960);
    child<QSpinBox>(editor, "canvasHeight")->setValue(540);
    child<QSpinBox>(editor, "fpsNum")->setValue(25);
    child<QSpinBox>(editor, "partFrames")->setValue(10);  // 0.4 s at 25 fps
    // The ladder, edited in its table: two rungs that fit the 960x540 canvas.
    auto* ladder =
        qobject_cast<LadderEditModel*>(child<QAbstractItemView>(editor, "ladderEditor")->model());
    QVERIFY(ladder);
    ladder->removeRow(0);
    QVERIFY(ladder->setData(ladder->index(0, LadderEditModel::Id), "540p"));
    QVERIFY(ladder->setData(ladder->index(0, LadderEditModel::Width), 960));
    QVERIFY(ladder->setData(ladder->index(0, LadderEditModel::Height), 540));
    QVERIFY(ladder->setData(ladder->index(0, LadderEditModel::Bitrate), 1500));
    QVERIFY(ladder->setData(ladder->index(0, LadderEditModel::MaxBitrate), 1500));
    auto* save = child<QPushButton>(editor, "savePreset");
    QVERIFY2(save->isEnabled(), qPrintable(child<QLabel>(editor, "presetProblem")->text()));
    QTest::mouseClick(save, Qt::LeftButton);

    // The JSON file in the user's config folder, read back by the loader.
    const QString file = config_.filePath("podium/presets/venue-uplink-540p.json");
    QVERIFY2(QFile::exists(file), qPrintable(file));
    auto loaded = encoder::findPreset(file.toStdString());
    QVERIFY2(loaded, loaded ? "" : loaded.error().toString().c_str());
    QCOMPARE(loaded->name, std::string("Venue uplink 540p"));
    QCOMPARE(loaded->canvasWidth, 960);
    QCOMPARE(loaded->fpsNum, 25);
    QCOMPARE(loaded->partSeconds, 0.4);
    QCOMPARE(loaded->renditions.size(), size_t(2));
    QCOMPARE(loaded->renditions[0].id, std::string("540p"));
    QCOMPARE(loaded->x264Preset, std::string("veryfast"));  // the rest came from the original

    // Listed next to the built-ins, and chosen.
    QCOMPARE(panel.currentPreset(), QString("Venue uplink 540p"));
    QCOMPARE(chosen.last().at(0).toString(), QString("Venue uplink 540p"));
    auto* combo = panel.findChild<QComboBox*>("presetCombo");
    QCOMPARE(combo->count(), int(encoder::builtinPresets().size()) + 1);
    QVERIFY(combo->currentText().contains("(yours)"));

    // podium-cli finds it by name: listed, and streamed with.
    if (!QFile::exists(cliPath())) {
        QSKIP("podium-cli is not built");
    }
    QProcess cli;
    cli.start(cliPath(), {"presets"});
    QVERIFY(cli.waitForFinished(30000));
    const QString listing = cli.readAllStandardOutput();
    QVERIFY2(listing.contains("Venue uplink 540p (yours)"), qPrintable(listing));
    QVERIFY(listing.contains(file));
    cli.start(cliPath(), {"stream", "--preset", "venue uplink 540p", "--duration", "1"});
    QVERIFY(cli.waitForFinished(60000));
    const QString streamed = cli.readAllStandardOutput() + cli.readAllStandardError();
    QVERIFY2(cli.exitCode() == 0, qPrintable(streamed));
    QVERIFY2(streamed.contains("preset \"Venue uplink 540p\""), qPrintable(streamed));
}

void TstPresetEditor::renameAndDelete() {
    encoder::Preset mine = *encoder::findPreset("Low bandwidth");
    mine.name = "Hall Wi-Fi";
    QVERIFY(encoder::saveUserPreset(mine));
    PresetPanel panel;
    panel.setCurrentPreset("Hall Wi-Fi");
    QCOMPARE(panel.currentPreset(), QString("Hall Wi-Fi"));
    QVERIFY(panel.findChild<QPushButton*>("deletePreset")->isEnabled());

    // A name a built-in has is refused with the same words as in the editor.
    const auto clash = panel.renameCurrent("user group 720P");
    QVERIFY(!clash);
    QVERIFY(QString::fromStdString(clash.error().toString()).contains("a built-in preset"));
    QVERIFY(panel.renameCurrent("Hall Wi-Fi 2"));
    QCOMPARE(panel.currentPreset(), QString("Hall Wi-Fi 2"));
    QVERIFY(QFile::exists(config_.filePath("podium/presets/hall-wi-fi-2.json")));
    QVERIFY(!QFile::exists(config_.filePath("podium/presets/hall-wi-fi.json")));

    QVERIFY(panel.deleteCurrent());
    QCOMPARE(panel.currentPreset(), QString::fromStdString(encoder::defaultPresetName()));
    QVERIFY(!panel.findChild<QPushButton*>("deletePreset")->isEnabled());  // built-ins stay
    QVERIFY(!panel.deleteCurrent());
    QVERIFY(QDir(config_.filePath("podium/presets")).isEmpty());
}

QTEST_MAIN(TstPresetEditor)
#include "tst_preset_editor.moc"

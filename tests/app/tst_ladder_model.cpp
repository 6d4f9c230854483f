#include <QAbstractItemModelTester>
#include <QtTest>

#include "app/gui/ladder_model.h"

using podium::gui::LadderModel;

class TstLadderModel : public QObject {
    Q_OBJECT
private slots:
    void showsEveryRenditionOfThePreset_data();
    void showsEveryRenditionOfThePreset();
    void switchingPresetsResetsRows();
};

void TstLadderModel::showsEveryRenditionOfThePreset_data() {
    QTest::addColumn<QString>("preset");
    for (const auto& p : podium::encoder::builtinPresets()) {
        QTest::newRow(p.name.c_str()) << QString::fromStdString(p.name);
    }
}

void TstLadderModel::showsEveryRenditionOfThePreset() {
    QFETCH(QString, preset);
    const auto p = podium::encoder::findPreset(preset.toStdString());
    QVERIFY(p);
    LadderModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setPreset(*p);
    QCOMPARE(model.rowCount(), int(p->renditions.size()));
    QCOMPARE(model.columnCount(), int(LadderModel::ColumnCount));
    for (int row = 0; row < model.rowCount(); ++row) {
        const auto& r = p->renditions[size_t(row)];
        QCOMPARE(model.index(row, LadderModel::Rendition).data().toString(),
                 QString::fromStdString(r.id));
        QCOMPARE(model.index(row, LadderModel::Size).data().toString(),
                 QString("%1×%2").arg(r.width).arg(r.height));
        QCOMPARE(model.index(row, LadderModel::Bitrate).data().toString(),
                 QString("%1 kb/s").arg(r.bitrateKbps));
    }
    QCOMPARE(model.headerData(LadderModel::Bitrate, Qt::Horizontal).toString(), QString("Bitrate"));
}

void TstLadderModel::switchingPresetsResetsRows() {
    LadderModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
    model.setPreset(*podium::encoder::findPreset(podium::encoder::defaultPresetName()));
    QCOMPARE(model.rowCount(), 3);  // 720p, 480p, 360p
    QCOMPARE(model.index(0, LadderModel::Size).data().toString(), QString("1280×720"));
    QCOMPARE(model.index(0, LadderModel::Bitrate).data().toString(), QString("2500 kb/s"));
    model.setPreset({});
    QCOMPARE(model.rowCount(), 0);
    QCOMPARE(reset.count(), 2);
}

QTEST_GUILESS_MAIN(TstLadderModel)
#include "tst_ladder_model.moc"

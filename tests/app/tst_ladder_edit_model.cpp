// The preset editor's ladder table: every cell editable, rungs added and removed, always a
// consistent model (QAbstractItemModelTester).
#include <QAbstractItemModelTester>
#include <QtTest>

#include "app/gui/ladder_edit_model.h"

using podium::encoder::RenditionSpec;
using podium::gui::LadderEditModel;

class TstLadderEditModel : public QObject {
    Q_OBJECT
private slots:
    void editsEveryField_data();
    void editsEveryField();
    void addedRungIsHalfTheOneAbove();
    void removesRungs();
    void refusesWhatIsNotANumber();
};

void TstLadderEditModel::editsEveryField_data() {
    QTest::addColumn<int>("column");
    QTest::addColumn<QVariant>("value");
    QTest::newRow("rendition id") << int(LadderEditModel::Id) << QVariant("540p");
    QTest::newRow("width") << int(LadderEditModel::Width) << QVariant(960);
    QTest::newRow("height") << int(LadderEditModel::Height) << QVariant(540);
    QTest::newRow("bitrate") << int(LadderEditModel::Bitrate) << QVariant(1800);
    QTest::newRow("peak bitrate") << int(LadderEditModel::MaxBitrate) << QVariant(2400);
    QTest::newRow("odd width is the loader's business")
        << int(LadderEditModel::Width) << QVariant(853);
}

void TstLadderEditModel::editsEveryField() {
    QFETCH(int, column);
    QFETCH(QVariant, value);
    LadderEditModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setRenditions({{"720p", 1280, 720, 2500, 2500}, {"360p", 640, 360, 600, 600}});
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    const QModelIndex cell = model.index(0, column);
    QVERIFY(model.flags(cell) & Qt::ItemIsEditable);
    QVERIFY(model.setData(cell, value));
    QCOMPARE(changed.count(), 1);
    QCOMPARE(model.data(cell, Qt::EditRole), value);
    QCOMPARE(model.index(1, column).data(Qt::EditRole),
             model.index(1, column).data(Qt::DisplayRole));  // the other row is untouched
    QCOMPARE(model.renditions()[1].width, 640);
}

void TstLadderEditModel::addedRungIsHalfTheOneAbove() {
    LadderEditModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setRenditions({{"720p", 1280, 720, 2500, 3000}});
    QVERIFY(model.insertRow(1));
    QCOMPARE(model.rowCount(), 2);
    const RenditionSpec& added = model.renditions()[1];
    QCOMPARE(added.width, 640);
    QCOMPARE(added.height, 360);
    QCOMPARE(added.bitrateKbps, 1250);
    QCOMPARE(added.maxBitrateKbps, 1500);
    QVERIFY(added.id != model.renditions()[0].id);
    QVERIFY(model.insertRow(0));  // at the top: a default rung
    QCOMPARE(model.rowCount(), 3);
    QVERIFY(!model.insertRow(9));
}

void TstLadderEditModel::removesRungs() {
    LadderEditModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setRenditions({{"a", 64, 64, 3, 3}, {"b", 32, 32, 2, 2}, {"c", 16, 16, 1, 1}});
    QVERIFY(model.removeRow(1));
    QCOMPARE(model.rowCount(), 2);
    QCOMPARE(model.index(1, LadderEditModel::Id).data().toString(), QString("c"));
    QVERIFY(!model.removeRows(1, 5));
    QVERIFY(model.removeRows(0, 2));
    QCOMPARE(model.rowCount(), 0);
}

void TstLadderEditModel::refusesWhatIsNotANumber() {
    LadderEditModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setRenditions({{"720p", 1280, 720, 2500, 2500}});
    QVERIFY(!model.setData(model.index(0, LadderEditModel::Width), "wide"));
    QCOMPARE(model.renditions()[0].width, 1280);
    QVERIFY(!model.setData(model.index(0, LadderEditModel::Width), 1, Qt::DisplayRole));
}

QTEST_GUILESS_MAIN(TstLadderEditModel)
#include "tst_ladder_edit_model.moc"

#include <QAbstractItemModelTester>
#include <QLineEdit>
#include <QtTest>

#include "app/gui/destination_model.h"
#include "app/gui/destination_validator.h"

using podium::gui::DestinationModel;
using podium::gui::parseDestination;

class TstDestinationModel : public QObject {
    Q_OBJECT
private slots:
    void addCheckRemove();
    void validatorRefusesMalformedUrls_data();
    void validatorRefusesMalformedUrls();
};

void TstDestinationModel::addCheckRemove() {
    DestinationModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy changed(&model, &DestinationModel::destinationsChanged);
    model.add(parseDestination("https://u:p@iis.example.com/live/a.isml").destination);
    model.add(parseDestination("dash=https://cdn.example.com/up/").destination);
    QCOMPARE(model.rowCount(), 2);
    QCOMPARE(model.index(0, DestinationModel::Protocol).data().toString(), QString("Smooth"));
    QCOMPARE(model.index(0, DestinationModel::User).data().toString(), QString("u"));
    QCOMPARE(model.index(1, DestinationModel::Protocol).data().toString(), QString("DASH"));
    QCOMPARE(model.index(1, DestinationModel::Url).data().toString(),
             QString("https://cdn.example.com/up/"));
    QCOMPARE(model.index(1, DestinationModel::Url).data(Qt::CheckStateRole).toInt(),
             int(Qt::Checked));
    QVERIFY(
        model.setData(model.index(1, DestinationModel::Url), Qt::Unchecked, Qt::CheckStateRole));
    QVERIFY(!model.destinations()[1].enabled);
    model.remove(0);
    model.remove(7);  // out of range: ignored
    QCOMPARE(model.rowCount(), 1);
    QCOMPARE(changed.count(), 4);
}

void TstDestinationModel::validatorRefusesMalformedUrls_data() {
    QTest::addColumn<QString>("text");
    QTest::addColumn<bool>("acceptable");
    QTest::newRow("Smooth publishing point") << "http://h.example.com/live/x.isml" << true;
    QTest::newRow("half typed") << "http://h.exa" << false;
    QTest::newRow("not a URL") << "my server" << false;
}

void TstDestinationModel::validatorRefusesMalformedUrls() {
    QFETCH(QString, text);
    QFETCH(bool, acceptable);
    QLineEdit edit;  // the form: Enter only fires for an acceptable URL
    edit.setValidator(new podium::gui::DestinationValidator(&edit));
    edit.setText(text);
    QCOMPARE(edit.hasAcceptableInput(), acceptable);
}

QTEST_MAIN(TstDestinationModel)
#include "tst_destination_model.moc"

#include <QtTest>

#include "core/status.h"

using namespace podium;

class TstStatus : public QObject {
    Q_OBJECT
private slots:
    void contextReadsOutermostFirst();
    void resultCarriesError();
};

void TstStatus::contextReadsOutermostFirst() {
    const Status s = Status(ErrorCode::Io, "disk full").withContext("segment 42").withContext("archive");
    QCOMPARE(QString::fromStdString(s.toString()), QString("archive: segment 42: disk full"));
    QCOMPARE(s.code(), ErrorCode::Io);
}

void TstStatus::resultCarriesError() {
    auto fails = []() -> Result<int> { return makeError(ErrorCode::NotFound, "no such preset"); };
    const auto r = fails();
    QVERIFY(!r);
    QCOMPARE(r.error().code(), ErrorCode::NotFound);
    QCOMPARE(QString::fromStdString(r.error().message()), QString("no such preset"));
}

QTEST_GUILESS_MAIN(TstStatus)
#include "tst_status.moc"

#include <QtTest>

#include "core/status.h"

using namespace podium;

class TstStatus : public QObject {
    Q_OBJECT
private slots:
    void contextReadsOutermostFirst();
    void resultCarriesError();
    void innermostSubjectWins();
};

void TstStatus::contextReadsOutermostFirst() {
    const Status s =
        Status(ErrorCode::Io, "disk full").withContext("segment 42").withContext("archive");
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

void TstStatus::innermostSubjectWins() {
    const Status plain(ErrorCode::NotFound, "no such device");
    QCOMPARE(plain.subject(), Subject::None);
    // The capture layer knew it was the picture-in-picture camera; the session then tags
    // everything from the source as the screen it opened: the camera stays.
    const Status tagged =
        plain.withSubject(Subject::Camera).withContext("webcam").withSubject(Subject::Screen);
    QCOMPARE(tagged.subject(), Subject::Camera);
    QCOMPARE(tagged.code(), ErrorCode::NotFound);
    QCOMPARE(QString::fromStdString(tagged.toString()), QString("webcam: no such device"));
    QCOMPARE(QString(subjectName(Subject::Archive)), QString("archive"));
}

QTEST_GUILESS_MAIN(TstStatus)
#include "tst_status.moc"

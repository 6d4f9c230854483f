#include <QtTest>

#include "app/gui/problem_text.h"

using namespace podium::gui;

class TstProblemText : public QObject {
    Q_OBJECT
private slots:
    void sinkProblems_data();
    void sinkProblems();
    void sessionErrors_data();
    void sessionErrors();
    void drops();
};

void TstProblemText::sinkProblems_data() {
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("state");
    QTest::addColumn<QString>("error");
    QTest::addColumn<QString>("expected");
    QTest::newRow("healthy destination says nothing") << "origin live"
                                                      << "live"
                                                      << ""
                                                      << "";
    QTest::newRow("finished cleanly says nothing") << "archive /x"
                                                   << "finished"
                                                   << ""
                                                   << "";
    QTest::newRow("wrong password")
        << "push https://h.example.com/live/a.isml"
        << "failed"
        << "PermissionDenied: HTTP 401 from https://h.example.com/live/a.isml"
        << "the publishing point https://h.example.com/live/a.isml refused the password.";
    QTest::newRow("unknown publishing point") << "push https://h/x"
                                              << "live"
                                              << "NotFound: HTTP 404"
                                              << "does not know this address";
    QTest::newRow("server down") << "push https://h/x"
                                 << "live"
                                 << "Unavailable: connection refused"
                                 << "cannot be reached";
    QTest::newRow("full disk") << "archive /media/usb"
                               << "failed"
                               << "Io: write seg_3.m4s: No space left on device"
                               << "the archive folder ran out of disk space.";
    QTest::newRow("other archive failure") << "archive /a"
                                           << "failed"
                                           << "Io: rename failed"
                                           << "the archive folder stopped working";
}

void TstProblemText::sinkProblems() {
    QFETCH(QString, name);
    QFETCH(QString, state);
    QFETCH(QString, error);
    QFETCH(QString, expected);
    const QString words = describeSinkProblem(name, state, error);
    if (expected.isEmpty()) {
        QVERIFY2(words.isEmpty(), qPrintable(words));
    } else {
        QVERIFY2(words.contains(expected), qPrintable(words));
    }
}

void TstProblemText::sessionErrors_data() {
    QTest::addColumn<QString>("error");
    QTest::addColumn<QString>("expected");
    QTest::newRow("port taken") << "origin: Io: bind 127.0.0.1:8080: Address already in use"
                                << "port is taken";
    QTest::newRow("camera missing") << "camera /dev/video9: NotFound: no such device"
                                    << "camera could not be opened";
    QTest::newRow("anything else") << "Codec: x264 refused"
                                   << "The broadcast stopped";
}

void TstProblemText::sessionErrors() {
    QFETCH(QString, error);
    QFETCH(QString, expected);
    const QString words = describeSessionError(error);
    QVERIFY2(words.contains(expected), qPrintable(words));
}

void TstProblemText::drops() {
    QVERIFY(describeDrops(0, 0.5).isEmpty());
    QVERIFY(describeDrops(12, 0.5).contains("12 frames dropped"));
    QVERIFY(describeDrops(12, 0.5).contains("lighter preset"));
}

QTEST_GUILESS_MAIN(TstProblemText)
#include "tst_problem_text.moc"

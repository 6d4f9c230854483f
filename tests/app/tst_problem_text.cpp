#include <QtTest>

#include <map>

#include "app/gui/problem_text.h"

using namespace podium::gui;

class TstProblemText : public QObject {
    Q_OBJECT
private slots:
    void sinkProblems_data();
    void sinkProblems();
    void sessionErrors_data();
    void sessionErrors();
    void sourceProblems_data();
    void sourceProblems();
    void stopProgress_data();
    void stopProgress();
    void drops();
};

void TstProblemText::sinkProblems_data() {
    using Kind = podium::app::DestinationKind;
    using State = podium::app::DestinationState;
    using podium::ErrorCode;
    QTest::addColumn<int>("kind");
    QTest::addColumn<QString>("where");
    QTest::addColumn<int>("state");
    QTest::addColumn<int>("code");  // 0 = no error
    QTest::addColumn<int>("http");  // the last HTTP answer; 0 = none
    QTest::addColumn<QString>("error");
    QTest::addColumn<QString>("expected");
    QTest::newRow("healthy destination says nothing")
        << int(Kind::Origin) << "live" << int(State::Live) << 0 << 0 << ""
        << "";
    QTest::newRow("finished cleanly says nothing")
        << int(Kind::Archive) << "/x" << int(State::Finished) << 0 << 0 << ""
        << "";
    QTest::newRow("wrong password")
        << int(Kind::Push) << "https://h.example.com/live/a.isml" << int(State::Failed)
        << int(ErrorCode::PermissionDenied) << 401
        << "permission denied: HTTP 401 from https://h.example.com/live/a.isml"
        << "the publishing point https://h.example.com/live/a.isml refused the password.";
    QTest::newRow("unknown publishing point")
        << int(Kind::Push) << "https://h/x" << int(State::Retrying) << int(ErrorCode::NotFound)
        << 404 << "not found: HTTP 404"
        << "does not know this address";
    QTest::newRow("server down") << int(Kind::Push) << "https://h/x" << int(State::Retrying)
                                 << int(ErrorCode::Unavailable) << 0
                                 << "unavailable: connection refused"
                                 << "cannot be reached";
    QTest::newRow("full disk") << int(Kind::Archive) << "/media/usb" << int(State::Failed)
                               << int(ErrorCode::NoSpace) << 0
                               << "no space left: write seg_3.m4s: No space left on device"
                               << "the archive folder ran out of disk space.";
    QTest::newRow("other archive failure") << int(Kind::Archive) << "/a" << int(State::Failed)
                                           << int(ErrorCode::Io) << 0 << "I/O error: rename failed"
                                           << "the archive folder stopped working: I/O error";
    QTest::newRow("a word in the details is not a cause")  // classified by code, not by text
        << int(Kind::Push) << "https://h/401-forbidden" << int(State::Failed)
        << int(ErrorCode::Internal) << 0 << "internal error: 401 forbidden not found"
        << "stopped working: internal error";
    QTest::newRow("untrusted certificate is not a password")
        << int(Kind::Push) << "https://h/x" << int(State::Failed)
        << int(ErrorCode::PermissionDenied) << 0 << "permission denied: SSL certificate problem"
        << "could not be verified (TLS certificate)";
    QTest::newRow("server error is not unreachable")
        << int(Kind::Push) << "https://h/x" << int(State::Retrying) << int(ErrorCode::Unavailable)
        << 503 << "unavailable: HTTP 503"
        << "answered with a server error (HTTP 503)";
    QTest::newRow("unwritable archive is not a password")
        << int(Kind::Archive) << "/a" << int(State::Failed) << int(ErrorCode::PermissionDenied) << 0
        << "permission denied: /a is not writable"
        << "cannot be written to";
}

void TstProblemText::sinkProblems() {
    QFETCH(int, kind);
    QFETCH(QString, where);
    QFETCH(int, state);
    QFETCH(int, code);
    QFETCH(int, http);
    QFETCH(QString, error);
    QFETCH(QString, expected);
    podium::app::DestinationStatus destination;
    destination.kind = podium::app::DestinationKind(kind);
    destination.where = where.toStdString();
    destination.state = podium::app::DestinationState(state);
    if (code != 0) {
        destination.errorCode = podium::ErrorCode(code);
    }
    destination.lastError = error.toStdString();
    destination.lastHttpStatus = http;
    const QString words = describeDestinationProblem(destination);
    if (expected.isEmpty()) {
        QVERIFY2(words.isEmpty(), qPrintable(words));
    } else {
        QVERIFY2(words.contains(expected), qPrintable(words));
    }
}

namespace {

podium::Status statusOf(int code, const QString& message, int subject) {
    return podium::Status(podium::ErrorCode(code), message.toStdString())
        .withSubject(podium::Subject(subject));
}

}  // namespace

void TstProblemText::sessionErrors_data() {
    using podium::ErrorCode;
    using podium::Subject;
    QTest::addColumn<int>("subject");
    QTest::addColumn<int>("code");
    QTest::addColumn<QString>("message");
    QTest::addColumn<QString>("expected");
    QTest::newRow("port taken") << int(Subject::Origin) << int(ErrorCode::Unavailable)
                                << "cannot listen on 127.0.0.1:8080: Address already in use"
                                << "port is taken";
    QTest::newRow("origin, something else")
        << int(Subject::Origin) << int(ErrorCode::InvalidArgument) << "bad address"
        << "local origin could not start";
    QTest::newRow("camera missing")
        << int(Subject::Camera) << int(ErrorCode::NotFound) << "/dev/video9: no such device"
        << "camera could not be opened";
    QTest::newRow("archive folder full")
        << int(Subject::Archive) << int(ErrorCode::NoSpace) << "/data: no space left"
        << "ran out of disk space";
    QTest::newRow("archive folder taken")
        << int(Subject::Archive) << int(ErrorCode::InvalidArgument)
        << "archive folder /data already holds an archive"
        << "archive folder cannot be used";
    // The words come from the subject, not from what the message happens to mention.
    QTest::newRow("an encoder error naming a camera")
        << int(Subject::Encoder) << int(ErrorCode::Codec) << "x264 refused the camera's size"
        << "preset cannot be encoded";
    QTest::newRow("anything else") << int(Subject::None) << int(ErrorCode::Codec) << "x264 refused"
                                   << "The broadcast stopped";
}

void TstProblemText::sessionErrors() {
    QFETCH(int, subject);
    QFETCH(int, code);
    QFETCH(QString, message);
    QFETCH(QString, expected);
    const QString words = describeSessionError(statusOf(code, message, subject));
    QVERIFY2(words.contains(expected), qPrintable(words));
}

void TstProblemText::sourceProblems_data() {
    using podium::ErrorCode;
    using podium::Subject;
    QTest::addColumn<int>("subject");
    QTest::addColumn<QString>("message");
    QTest::addColumn<QString>("expected");
    QTest::newRow("no camera") << int(Subject::Camera) << "/dev/video0: no such device"
                               << "The camera could not be opened";
    QTest::newRow("screen refused") << int(Subject::Screen) << ":0: cannot open display"
                                    << "The screen could not be captured";
    QTest::newRow("broken file") << int(Subject::File) << "\"x.mp4\": invalid data"
                                 << "The file could not be played";
    QTest::newRow("file whose path names a window and a camera")
        << int(Subject::File) << "\"/tmp/window-camera/x.mp4\": cannot open: No such file"
        << "The file could not be played";
    QTest::newRow("no microphone") << int(Subject::Microphone) << "pulse: connection refused"
                                   << "The microphone could not be opened";
    QTest::newRow("anything else") << int(Subject::None) << "out of memory"
                                   << "cannot be shown";
}

void TstProblemText::sourceProblems() {
    QFETCH(int, subject);
    QFETCH(QString, message);
    QFETCH(QString, expected);
    const QString words =
        describeSourceProblem(statusOf(int(podium::ErrorCode::Unavailable), message, subject));
    QVERIFY2(words.contains(expected), qPrintable(words));
    QVERIFY2(words.contains(message), qPrintable(words));  // the details stay for the curious
}

void TstProblemText::stopProgress_data() {
    QTest::addColumn<int>("phase");
    QTest::addColumn<QStringList>("sinkStates");  // "name=state"
    QTest::addColumn<double>("secondsLeft");
    QTest::addColumn<QString>("expected");
    using Phase = podium::app::StopProgress::Phase;
    QTest::newRow("not stopping") << int(Phase::Running) << QStringList() << 0.0 << QString();
    QTest::newRow("encoders flushing")
        << int(Phase::Encoders) << QStringList() << 0.0 << "encoders finish the last segments";
    QTest::newRow("archive still writing")
        << int(Phase::Sinks) << QStringList{"archive /a=live", "origin live=finished"} << 12.0
        << "Stopping: finishing the archive (at most 12 s more)";
    QTest::newRow("two pushes draining")
        << int(Phase::Sinks)
        << QStringList{"archive /a=finished", "push https://a/x=retrying", "push https://b/y=live",
                       "push https://c/z=failed"}
        << 25.4 << "Stopping: 2 destinations sending the last segments (at most 26 s more)";
    QTest::newRow("one push draining") << int(Phase::Sinks) << QStringList{"push https://a/x=live"}
                                       << 3.0 << "1 destination sending the last segments";
    QTest::newRow("done") << int(Phase::Done) << QStringList() << 0.0 << "Stopped.";
}

void TstProblemText::stopProgress() {
    QFETCH(int, phase);
    QFETCH(QStringList, sinkStates);
    QFETCH(double, secondsLeft);
    QFETCH(QString, expected);
    podium::app::StopProgress progress;
    progress.phase = podium::app::StopProgress::Phase(phase);
    progress.secondsLeft = secondsLeft;
    // "name=state": the kind from the name's first word, the state from its word.
    using Kind = podium::app::DestinationKind;
    using State = podium::app::DestinationState;
    const std::map<QString, State> states = {{"live", State::Live},
                                             {"retrying", State::Retrying},
                                             {"failed", State::Failed},
                                             {"finished", State::Finished}};
    for (const QString& s : sinkStates) {
        podium::app::DestinationStatus sink;
        const QString name = s.section('=', 0, 0);
        sink.name = name.toStdString();
        sink.kind = name.startsWith("archive")  ? Kind::Archive
                    : name.startsWith("origin") ? Kind::Origin
                                                : Kind::Push;
        sink.state = states.at(s.section('=', 1));
        progress.sinks.push_back(sink);
    }
    const QString words = describeStopProgress(progress);
    if (expected.isEmpty()) {
        QVERIFY2(words.isEmpty(), qPrintable(words));
    } else {
        QVERIFY2(words.contains(expected), qPrintable(words));
    }
}

void TstProblemText::drops() {
    QVERIFY(describeDrops(0, 0.5).isEmpty());
    QVERIFY(describeDrops(12, 0.5).contains("12 frames dropped"));
    QVERIFY(describeDrops(12, 0.5).contains("lighter preset"));
}

QTEST_GUILESS_MAIN(TstProblemText)
#include "tst_problem_text.moc"

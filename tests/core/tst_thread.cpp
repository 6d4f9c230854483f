#include <QtTest>

#include <pthread.h>

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>

#include "core/thread.h"

using namespace podium;

// A thread started by startThread() must never take the process down: whatever its body
// throws reaches the owner as a Status, and the thread carries its name for top/gdb.
class TstThread : public QObject {
    Q_OBJECT
private slots:
    void bodyRunsWithItsName();
    void thrownExceptionReachesTheOwner_data();
    void thrownExceptionReachesTheOwner();
    void stopTokenEndsTheBody();
    void runGuardedReportsWithoutThreads();
};

void TstThread::bodyRunsWithItsName() {
    std::string seen;
    auto thread = startThread("encode 1080p-and-more", [&](std::stop_token) {
        char name[32] = {};
        pthread_getname_np(pthread_self(), name, sizeof(name));
        seen = name;
    });
    QVERIFY(thread);
    thread->join();
    // Linux keeps 15 bytes of a thread's name.
    QCOMPARE(QString::fromStdString(seen), QString("encode 1080p-an"));
}

void TstThread::thrownExceptionReachesTheOwner_data() {
    QTest::addColumn<int>("kind");
    QTest::addColumn<QString>("expected");
    QTest::newRow("std::runtime_error") << 0 << "worker: unexpected exception: disk on fire";
    QTest::newRow("std::bad_alloc") << 1 << "worker: unexpected exception: out of memory";
    QTest::newRow("not an exception type") << 2 << "worker: unexpected exception: unknown exception";
}

void TstThread::thrownExceptionReachesTheOwner() {
    QFETCH(int, kind);
    QFETCH(QString, expected);
    std::optional<Status> failure;
    auto thread = startThread(
        "worker",
        [kind](std::stop_token) {
            if (kind == 0) {
                throw std::runtime_error("disk on fire");
            }
            if (kind == 1) {
                throw std::bad_alloc();
            }
            throw 42;
        },
        [&](const Status& s) { failure = s; });
    QVERIFY(thread);
    thread->join();
    QVERIFY(failure.has_value());
    QCOMPARE(failure->code(), ErrorCode::Internal);
    QCOMPARE(QString::fromStdString(failure->message()), expected);
}

void TstThread::stopTokenEndsTheBody() {
    std::atomic<bool> sawStop{false};
    auto thread = startThread("loop", [&](std::stop_token stop) {
        std::mutex m;
        std::condition_variable_any cv;
        std::unique_lock lock(m);
        cv.wait(lock, stop, [] { return false; });
        sawStop = stop.stop_requested();
    });
    QVERIFY(thread);
    thread->request_stop();
    thread->join();
    QVERIFY(sawStop);
}

void TstThread::runGuardedReportsWithoutThreads() {
    int failures = 0;
    QVERIFY(runGuarded("io", [] {}, [&](const Status&) { ++failures; }));
    QVERIFY(!runGuarded("io", [] { throw std::logic_error("bug"); },
                        [&](const Status&) { ++failures; }));
    QCOMPARE(failures, 1);
}

QTEST_GUILESS_MAIN(TstThread)
#include "tst_thread.moc"

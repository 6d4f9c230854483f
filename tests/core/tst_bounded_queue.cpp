#include <QtTest>

#include <thread>

#include "core/bounded_queue.h"

using namespace podium;

class TstBoundedQueue : public QObject {
    Q_OBJECT
private slots:
    void dropOldestKeepsNewest();
    void dropOldestSkipsProtected();
    void allProtectedRefusesUnprotectedNewcomer();
    void rejectNewest();
    void blockWaitsForRoom();
    void closeWakesBlockedProducerAndDrains();
};

void TstBoundedQueue::dropOldestKeepsNewest() {
    BoundedQueue<int> q(3, OverflowPolicy::DropOldest, "test");
    for (int i = 0; i < 5; ++i) {
        q.push(i);
    }
    QCOMPARE(q.droppedCount(), quint64(2));
    QCOMPARE(*q.tryPop(), 2);
    QCOMPARE(*q.tryPop(), 3);
    QCOMPARE(*q.tryPop(), 4);
    QVERIFY(!q.tryPop());
}

void TstBoundedQueue::dropOldestSkipsProtected() {
    // Even numbers stand for segment-start frames: they must survive any overflow.
    BoundedQueue<int> q(3, OverflowPolicy::DropOldest, "frames", [](const int& v) { return v % 2 == 0; });
    q.push(0);
    q.push(1);
    q.push(3);
    QCOMPARE(q.push(5), PushOutcome::AcceptedDroppedOldest);  // drops 1, not 0
    QCOMPARE(*q.tryPop(), 0);
    QCOMPARE(*q.tryPop(), 3);
    QCOMPARE(*q.tryPop(), 5);
}

void TstBoundedQueue::allProtectedRefusesUnprotectedNewcomer() {
    BoundedQueue<int> q(2, OverflowPolicy::DropOldest, "frames", [](const int& v) { return v % 2 == 0; });
    q.push(0);
    q.push(2);
    QCOMPARE(q.push(3), PushOutcome::Rejected);
    QCOMPARE(q.push(4), PushOutcome::Accepted);  // protected: the queue stretches
    QCOMPARE(q.size(), size_t(3));
    QCOMPARE(q.droppedCount(), quint64(1));
}

void TstBoundedQueue::rejectNewest() {
    BoundedQueue<int> q(1, OverflowPolicy::RejectNewest, "test");
    QCOMPARE(q.push(1), PushOutcome::Accepted);
    QCOMPARE(q.push(2), PushOutcome::Rejected);
    QCOMPARE(*q.tryPop(), 1);
}

void TstBoundedQueue::blockWaitsForRoom() {
    BoundedQueue<int> q(1, OverflowPolicy::Block, "test");
    q.push(1);
    std::atomic<bool> pushed{false};
    std::thread producer([&] {
        q.push(2);
        pushed = true;
    });
    QCOMPARE(*q.pop(), 1);  // makes room; the producer's push can now complete
    QCOMPARE(*q.pop(), 2);
    producer.join();
    QVERIFY(pushed);
    QCOMPARE(q.droppedCount(), quint64(0));
}

void TstBoundedQueue::closeWakesBlockedProducerAndDrains() {
    BoundedQueue<int> q(1, OverflowPolicy::Block, "test");
    q.push(1);
    PushOutcome outcome = PushOutcome::Accepted;
    std::thread producer([&] { outcome = q.push(2); });
    // Whether the producer is already blocked or not yet in push, close() must make it return.
    q.close();
    producer.join();
    QCOMPARE(outcome, PushOutcome::Closed);
    QCOMPARE(*q.pop(), 1);  // what was queued before close is still delivered
    QVERIFY(!q.pop());
}

QTEST_GUILESS_MAIN(TstBoundedQueue)
#include "tst_bounded_queue.moc"

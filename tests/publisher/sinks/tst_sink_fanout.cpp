#include <QtTest>

#include <condition_variable>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <thread>

#include "publisher/sinks/sink_fanout.h"

using namespace podium;
using namespace podium::publisher;

namespace {

/// Sinks whose close() each wait for the others' close() to have started.
struct Rendezvous {
    std::mutex mutex;
    std::condition_variable changed;
    int arrived = 0;
    int expected = 0;

    bool arriveAndWait() {
        std::unique_lock lock(mutex);
        ++arrived;
        changed.notify_all();
        return changed.wait_for(lock, std::chrono::seconds(20),
                                [&] { return arrived >= expected; });
    }
};

/// What a FakeSink saw, and the switches the test flips. Shared by the test and the sink.
struct Probe {
    std::mutex mutex;
    std::condition_variable changed;
    std::vector<SinkItem> received;
    int closeCalls = 0;
    bool gateOpen = true;  // false: deliver() waits until the test opens it
    bool insideDeliver = false;
    int64_t failOnSegment = -1;   // deliver() of this segment number returns an error
    int64_t throwOnSegment = -1;  // deliver() of this segment number throws
    bool failOpen = false;
    std::thread::id deliverThread;  // the thread of the last deliver()
    /// close() waits until this many closes have started (shared between probes), or 20 s.
    std::shared_ptr<struct Rendezvous> closeTogether;

    void waitUntilBlocked() {
        std::unique_lock lock(mutex);
        changed.wait(lock, [&] { return insideDeliver && !gateOpen; });
    }
    void openGate() {
        {
            std::lock_guard lock(mutex);
            gateOpen = true;
        }
        changed.notify_all();
    }
    std::vector<SinkItem> items() {
        std::lock_guard lock(mutex);
        return received;
    }
};

class FakeSink final : public SegmentSink {
public:
    FakeSink(std::string name, std::shared_ptr<Probe> probe, bool chunks = false)
        : name_(std::move(name)), probe_(std::move(probe)), chunks_(chunks) {}

    std::string name() const override { return name_; }
    bool wantsChunks() const override { return chunks_; }
    Result<void> open(const StreamDescription&) override {
        if (probe_->failOpen) {
            return makeError(ErrorCode::PermissionDenied, "folder is read-only");
        }
        return ok();
    }
    Result<void> deliver(const SinkItem& item) override {
        std::unique_lock lock(probe_->mutex);
        probe_->insideDeliver = true;
        probe_->changed.notify_all();
        probe_->changed.wait(lock, [&] { return probe_->gateOpen; });
        probe_->insideDeliver = false;
        probe_->deliverThread = std::this_thread::get_id();
        if (const auto* s = std::get_if<SegmentPtr>(&item)) {
            if ((*s)->number == probe_->failOnSegment) {
                return makeError(ErrorCode::Io, "disk full");
            }
            if ((*s)->number == probe_->throwOnSegment) {
                throw std::runtime_error("boom");
            }
        }
        probe_->received.push_back(item);
        return ok();
    }
    Result<void> close() override {
        if (probe_->closeTogether && !probe_->closeTogether->arriveAndWait()) {
            return makeError(ErrorCode::Unavailable, "the other sinks never closed");
        }
        std::lock_guard lock(probe_->mutex);
        ++probe_->closeCalls;
        return ok();
    }
    SinkStats stats() const override { return {}; }

private:
    std::string name_;
    std::shared_ptr<Probe> probe_;
    bool chunks_;
};

InitSegmentPtr makeInit(int trackIndex) {
    auto init = std::make_shared<InitSegment>();
    init->track.trackIndex = trackIndex;
    init->track.id = "t" + std::to_string(trackIndex);
    init->bytes = {'i', 'n', 'i', 't'};
    return init;
}

SegmentPtr makeSegment(int trackIndex, int64_t number) {
    auto s = std::make_shared<Segment>();
    s->trackIndex = trackIndex;
    s->number = number;
    s->start = MediaTime{number * 180000, 90000};
    s->duration = MediaTime{180000, 90000};
    s->bytes.assign(100, uint8_t(number));
    return s;
}

ChunkPtr makeChunk(int trackIndex, int64_t number, int part) {
    auto c = std::make_shared<Chunk>();
    c->trackIndex = trackIndex;
    c->segmentNumber = number;
    c->partIndex = part;
    c->bytes.assign(10, uint8_t(part));
    return c;
}

std::vector<int64_t> segmentNumbers(const std::vector<SinkItem>& items) {
    std::vector<int64_t> out;
    for (const auto& item : items) {
        if (const auto* s = std::get_if<SegmentPtr>(&item)) {
            out.push_back((*s)->number);
        }
    }
    return out;
}

int countInits(const std::vector<SinkItem>& items) {
    return int(std::count_if(items.begin(), items.end(), [](const SinkItem& i) {
        return std::holds_alternative<InitSegmentPtr>(i);
    }));
}

const SinkStatus& statusOf(const std::vector<SinkStatus>& all, const std::string& name) {
    for (const auto& s : all) {
        if (s.name == name) {
            return s;
        }
    }
    throw std::logic_error("no sink " + name);
}

}  // namespace

class TstSinkFanout : public QObject {
    Q_OBJECT

private slots:
    void slowSinkDropsWholeSegmentsButNeverInits();
    void chunkSinkNeverGetsHalfASegment();
    void failingSinkStopsAloneWithItsReason_data();
    void failingSinkStopsAloneWithItsReason();
    void sinkThatCannotOpenIsRefused();
    void finishJoinsAndClosesEverySink();
    void sinkMissingTheDeadlineIsAbandoned();
    void lateSinkReceivesTheInits();
    void sinkThatQueuesItselfIsCalledOnTheProducersThread();
    void sinksThatQueueThemselvesCloseTogether();
    void sinkThatQueuesItselfFailsAlone();
};

void TstSinkFanout::slowSinkDropsWholeSegmentsButNeverInits() {
    auto fast = std::make_shared<Probe>();
    auto slow = std::make_shared<Probe>();
    slow->gateOpen = false;
    SinkFanout fanout({});
    QVERIFY(fanout.addSink(std::make_unique<FakeSink>("fast", fast), SinkQueuePolicy::lossless()));
    QVERIFY(fanout.addSink(std::make_unique<FakeSink>("slow", slow),
                           SinkQueuePolicy::dropOldestSegment(3)));

    fanout.onInitSegment(makeInit(0));
    slow->waitUntilBlocked();  // the slow sink holds init 0; everything else queues
    fanout.onInitSegment(makeInit(1));
    for (int64_t n = 0; n < 10; ++n) {
        fanout.onSegment(makeSegment(0, n));
    }
    fanout.onEndOfStream();
    QCOMPARE(statusOf(fanout.stats(), "slow").itemsDropped, uint64_t(9));  // seen while stuck
    slow->openGate();
    const auto final = fanout.finish(std::chrono::seconds(30));

    QCOMPARE(countInits(fast->items()), 2);
    QCOMPARE(segmentNumbers(fast->items()), (std::vector<int64_t>{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}));
    QCOMPARE(countInits(slow->items()), 2);
    QCOMPARE(segmentNumbers(slow->items()), std::vector<int64_t>{9});  // the freshest survives
    const auto& slowStatus = statusOf(final, "slow");
    QCOMPARE(slowStatus.segmentsDropped, uint64_t(9));
    QCOMPARE(slowStatus.state, SinkState::Finished);
    QCOMPARE(slowStatus.itemsQueued, uint64_t(0));
    QCOMPARE(slowStatus.bytesQueued, uint64_t(0));
    QCOMPARE(statusOf(final, "fast").segmentsDropped, uint64_t(0));
    QCOMPARE(statusOf(final, "fast").bytesDelivered, uint64_t(2 * 4 + 10 * 100));
}

void TstSinkFanout::chunkSinkNeverGetsHalfASegment() {
    auto slow = std::make_shared<Probe>();
    slow->gateOpen = false;
    SinkFanout fanout({});
    QVERIFY(fanout.addSink(std::make_unique<FakeSink>("chunky", slow, true),
                           SinkQueuePolicy::dropOldestSegment(5)));
    fanout.onInitSegment(makeInit(0));
    slow->waitUntilBlocked();
    for (int64_t n = 0; n < 6; ++n) {
        for (int part = 0; part < 3; ++part) {
            fanout.onChunk(makeChunk(0, n, part));
        }
        fanout.onSegment(makeSegment(0, n));
    }
    slow->openGate();
    fanout.onEndOfStream();
    const auto final = fanout.finish(std::chrono::seconds(30));

    std::map<int64_t, int> chunksPerSegment;
    for (const auto& item : slow->items()) {
        if (const auto* c = std::get_if<ChunkPtr>(&item)) {
            ++chunksPerSegment[(*c)->segmentNumber];
        }
    }
    const auto delivered = segmentNumbers(slow->items());
    QVERIFY(!delivered.empty());
    QVERIFY(delivered.size() < 6);
    for (const auto& [number, count] : chunksPerSegment) {
        QVERIFY2(std::count(delivered.begin(), delivered.end(), number) == 1,
                 qPrintable(QString("chunks of segment %1 delivered without it").arg(number)));
        QCOMPARE(count, 3);
    }
    QCOMPARE(final.front().segmentsDropped, uint64_t(6 - delivered.size()));
}

void TstSinkFanout::failingSinkStopsAloneWithItsReason_data() {
    QTest::addColumn<bool>("throws");
    QTest::addColumn<QString>("reason");
    QTest::newRow("deliver returns an error") << false << "disk full";
    QTest::newRow("deliver throws") << true << "deliver() threw: boom";
}

void TstSinkFanout::failingSinkStopsAloneWithItsReason() {
    QFETCH(bool, throws);
    QFETCH(QString, reason);
    auto good = std::make_shared<Probe>();
    auto bad = std::make_shared<Probe>();
    (throws ? bad->throwOnSegment : bad->failOnSegment) = 2;
    SinkFanout fanout({});
    QVERIFY(fanout.addSink(std::make_unique<FakeSink>("good", good), SinkQueuePolicy::lossless(2)));
    QVERIFY(fanout.addSink(std::make_unique<FakeSink>("bad", bad), SinkQueuePolicy::lossless(2)));
    fanout.onInitSegment(makeInit(0));
    for (int64_t n = 0; n < 20; ++n) {  // far more than the queues hold: must not block
        fanout.onSegment(makeSegment(0, n));
    }
    fanout.onEndOfStream();
    const auto final = fanout.finish(std::chrono::seconds(30));

    QCOMPARE(segmentNumbers(good->items()).size(), size_t(20));
    QCOMPARE(statusOf(final, "good").state, SinkState::Finished);
    const auto& badStatus = statusOf(final, "bad");
    QCOMPARE(badStatus.state, SinkState::Failed);
    QVERIFY(badStatus.lastError.has_value());
    QCOMPARE(QString::fromStdString(badStatus.lastError->toString()), reason);
    QCOMPARE(segmentNumbers(bad->items()), (std::vector<int64_t>{0, 1}));
    QCOMPARE(bad->closeCalls, 0);  // a failed sink is not finished as if complete
}

void TstSinkFanout::sinkThatCannotOpenIsRefused() {
    auto probe = std::make_shared<Probe>();
    probe->failOpen = true;
    SinkFanout fanout({});
    const auto added =
        fanout.addSink(std::make_unique<FakeSink>("archive", probe), SinkQueuePolicy::lossless());
    QVERIFY(!added);
    QCOMPARE(QString::fromStdString(added.error().toString()),
             QStringLiteral("sink archive: folder is read-only"));
    QVERIFY(fanout.stats().empty());
}

void TstSinkFanout::finishJoinsAndClosesEverySink() {
    auto a = std::make_shared<Probe>();
    auto b = std::make_shared<Probe>();
    SinkFanout fanout({});
    QVERIFY(fanout.addSink(std::make_unique<FakeSink>("a", a), SinkQueuePolicy::lossless()));
    QVERIFY(
        fanout.addSink(std::make_unique<FakeSink>("b", b), SinkQueuePolicy::dropOldestSegment(64)));
    fanout.onInitSegment(makeInit(0));
    fanout.onSegment(makeSegment(0, 0));
    // No onEndOfStream: finish() alone must still close the sinks.
    const auto final = fanout.finish(std::chrono::seconds(30));
    QCOMPARE(final.size(), size_t(2));
    for (const auto& s : final) {
        QCOMPARE(s.state, SinkState::Finished);
        QCOMPARE(s.itemsDelivered, uint64_t(2));
    }
    QCOMPARE(a->closeCalls, 1);
    QCOMPARE(b->closeCalls, 1);
    fanout.onSegment(makeSegment(0, 1));  // after finish: ignored
    QCOMPARE(segmentNumbers(a->items()).size(), size_t(1));
    QCOMPARE(fanout.finish(std::chrono::seconds(1)).size(), size_t(2));  // idempotent
}

void TstSinkFanout::sinkMissingTheDeadlineIsAbandoned() {
    auto stuck = std::make_shared<Probe>();
    stuck->gateOpen = false;
    SinkFanout fanout({});
    QVERIFY(
        fanout.addSink(std::make_unique<FakeSink>("stuck", stuck), SinkQueuePolicy::lossless()));
    fanout.onInitSegment(makeInit(0));
    stuck->waitUntilBlocked();
    const auto final = fanout.finish(std::chrono::milliseconds(50));
    QCOMPARE(final.front().state, SinkState::Failed);
    QCOMPARE(final.front().lastError->code(), ErrorCode::Cancelled);
    stuck->openGate();  // lets the abandoned thread end on its own
}

void TstSinkFanout::lateSinkReceivesTheInits() {
    auto late = std::make_shared<Probe>();
    SinkFanout fanout({});
    fanout.onInitSegment(makeInit(0));
    fanout.onInitSegment(makeInit(1));
    QVERIFY(fanout.addSink(std::make_unique<FakeSink>("late", late), SinkQueuePolicy::lossless()));
    fanout.onSegment(makeSegment(1, 0));
    fanout.onEndOfStream();
    fanout.finish(std::chrono::seconds(30));
    QCOMPARE(countInits(late->items()), 2);
    QCOMPARE(segmentNumbers(late->items()), std::vector<int64_t>{0});
}

void TstSinkFanout::sinkThatQueuesItselfIsCalledOnTheProducersThread() {
    // A push keeps its own spool: the fan-out adds no queue and no thread in front of it.
    auto probe = std::make_shared<Probe>();
    SinkFanout fanout({});
    QVERIFY(
        fanout.addSink(std::make_unique<FakeSink>("push", probe), SinkQueuePolicy::sinkQueues()));
    fanout.onInitSegment(makeInit(0));
    fanout.onSegment(makeSegment(0, 0));
    // Delivered before the calls returned, here: nothing waits anywhere in between.
    QCOMPARE(probe->items().size(), size_t(2));
    QVERIFY(probe->deliverThread == std::this_thread::get_id());
    const SinkStatus live = fanout.stats().front();
    QCOMPARE(live.itemsQueued, uint64_t(0));
    QCOMPARE(live.itemsDelivered, uint64_t(2));
    fanout.onEndOfStream();
    const auto final = fanout.finish(std::chrono::seconds(30));
    QCOMPARE(final.front().state, SinkState::Finished);
    QCOMPARE(probe->closeCalls, 1);
    fanout.onSegment(makeSegment(0, 1));  // after finish: not delivered
    QCOMPARE(segmentNumbers(probe->items()), std::vector<int64_t>{0});
}

void TstSinkFanout::sinksThatQueueThemselvesCloseTogether() {
    // Each close() waits (bounded) for its spool to drain: they run at once, so one slow
    // destination does not eat the others' share of the shutdown deadline. Here each close()
    // returns only once every close() has started: closed one after the other, they would fail.
    auto together = std::make_shared<Rendezvous>();
    together->expected = 3;
    SinkFanout fanout({});
    std::vector<std::shared_ptr<Probe>> probes;
    for (int i = 0; i < 3; ++i) {
        probes.push_back(std::make_shared<Probe>());
        probes.back()->closeTogether = together;
        QVERIFY(
            fanout.addSink(std::make_unique<FakeSink>("push" + std::to_string(i), probes.back()),
                           SinkQueuePolicy::sinkQueues()));
    }
    fanout.onInitSegment(makeInit(0));
    fanout.onEndOfStream();
    for (const auto& s : fanout.finish(std::chrono::seconds(60))) {
        QCOMPARE(s.state, SinkState::Finished);
    }
    for (const auto& p : probes) {
        QCOMPARE(p->closeCalls, 1);
    }
}

void TstSinkFanout::sinkThatQueuesItselfFailsAlone() {
    auto failing = std::make_shared<Probe>();
    failing->failOnSegment = 1;
    auto healthy = std::make_shared<Probe>();
    SinkFanout fanout({});
    QVERIFY(fanout.addSink(std::make_unique<FakeSink>("failing", failing),
                           SinkQueuePolicy::sinkQueues()));
    QVERIFY(fanout.addSink(std::make_unique<FakeSink>("healthy", healthy),
                           SinkQueuePolicy::sinkQueues()));
    fanout.onInitSegment(makeInit(0));
    for (int64_t n = 0; n < 4; ++n) {
        fanout.onSegment(makeSegment(0, n));
    }
    const SinkStatus failed = statusOf(fanout.stats(), "failing");
    QCOMPARE(failed.state, SinkState::Failed);
    QVERIFY(failed.lastError);
    QCOMPARE(failed.lastError->code(), ErrorCode::Io);
    QCOMPARE(segmentNumbers(failing->items()), std::vector<int64_t>{0});  // nothing after it
    QCOMPARE(segmentNumbers(healthy->items()), (std::vector<int64_t>{0, 1, 2, 3}));
    fanout.onEndOfStream();
    const auto final = fanout.finish(std::chrono::seconds(30));
    QCOMPARE(statusOf(final, "failing").state, SinkState::Failed);
    QCOMPARE(statusOf(final, "healthy").state, SinkState::Finished);
    QCOMPARE(failing->closeCalls, 0);  // a failed sink is not closed
}

QTEST_GUILESS_MAIN(TstSinkFanout)
#include "tst_sink_fanout.moc"

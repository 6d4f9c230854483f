#include <QtTest>

#include <atomic>
#include <thread>

#include "encoder/frame_fanout.h"

using namespace podium;
using namespace podium::encoder;

class TstFrameFanout : public QObject {
    Q_OBJECT
private slots:
    void dropsTheSameFrameInEveryRendition();
    void neverDropsASegmentStart();
    void slowRenditionDoesNotLoseFramesItsSiblingsKept();
    void blockPolicyLosesNothing();
    void closeReleasesEveryone();
};

namespace {
ScheduledFrame frameAt(int64_t sequence, bool startsSegment = false) {
    auto f = std::make_shared<VideoFrame>();
    f->sequence = sequence;
    f->pts = MediaTime{sequence * 3000, 90000};
    return ScheduledFrame{f, startsSegment};
}

std::vector<int64_t> drain(FrameFanout& fanout, int index) {
    std::vector<int64_t> out;
    while (fanout.queuedFrames(index) > 0) {
        out.push_back(fanout.pop(index)->frame->sequence);
    }
    return out;
}
}  // namespace

void TstFrameFanout::dropsTheSameFrameInEveryRendition() {
    FrameFanout fanout(3, 3, FanoutPolicy::DropOldestCommon, "test");
    for (int64_t i = 0; i < 6; ++i) {
        fanout.push(frameAt(i, i == 0));
    }
    QCOMPARE(fanout.droppedFrames(), quint64(3));
    const auto first = drain(fanout, 0);
    QCOMPARE(first, (std::vector<int64_t>{0, 4, 5}));  // frame 0 starts a segment: kept
    QCOMPARE(drain(fanout, 1), first);
    QCOMPARE(drain(fanout, 2), first);
}

void TstFrameFanout::neverDropsASegmentStart() {
    FrameFanout fanout(2, 2, FanoutPolicy::DropOldestCommon, "test");
    fanout.push(frameAt(0, true));
    fanout.push(frameAt(1, true));
    QVERIFY(!fanout.push(frameAt(2)));       // only segment starts queued: the newcomer goes
    QVERIFY(fanout.push(frameAt(3, true)));  // a segment start is always accepted
    QCOMPARE(drain(fanout, 0), (std::vector<int64_t>{0, 1, 3}));
    QCOMPARE(drain(fanout, 1), (std::vector<int64_t>{0, 1, 3}));
}

void TstFrameFanout::slowRenditionDoesNotLoseFramesItsSiblingsKept() {
    // Rendition 0 is fast and has taken frames 0..2; rendition 1 still holds them. A drop must
    // pick a frame neither has started on, so both end up encoding the same set of frames.
    FrameFanout fanout(2, 3, FanoutPolicy::DropOldestCommon, "test");
    std::vector<int64_t> encoded0;
    for (int64_t i = 0; i < 3; ++i) {
        fanout.push(frameAt(i, i == 0));
        encoded0.push_back(fanout.pop(0)->frame->sequence);
    }
    for (int64_t i = 3; i < 6; ++i) {
        fanout.push(frameAt(i));
    }
    auto rest0 = drain(fanout, 0);
    encoded0.insert(encoded0.end(), rest0.begin(), rest0.end());
    QCOMPARE(encoded0, drain(fanout, 1));
    QVERIFY(fanout.droppedFrames() > 0);
}

void TstFrameFanout::blockPolicyLosesNothing() {
    FrameFanout fanout(2, 2, FanoutPolicy::Block, "test");
    std::thread producer([&] {
        for (int64_t i = 0; i < 50; ++i) {
            fanout.push(frameAt(i, i % 10 == 0));
        }
        fanout.close();
    });
    std::vector<int64_t> got0, got1;
    std::thread consumer1([&] {
        while (auto f = fanout.pop(1)) {
            got1.push_back(f->frame->sequence);
        }
    });
    while (auto f = fanout.pop(0)) {
        got0.push_back(f->frame->sequence);
    }
    producer.join();
    consumer1.join();
    QCOMPARE(got0.size(), size_t(50));
    QCOMPARE(got0, got1);
    QCOMPARE(fanout.droppedFrames(), quint64(0));
}

void TstFrameFanout::closeReleasesEveryone() {
    FrameFanout fanout(2, 1, FanoutPolicy::Block, "test");
    fanout.push(frameAt(0));
    // Rendition 0 never pops, so the producer stays blocked until close(); rendition 1 takes
    // frame 0 and then waits for more until close().
    std::atomic<int> producerResult{-1};
    std::atomic<int64_t> consumerFirst{-1};
    std::atomic<bool> consumerSawEnd{false};
    std::thread blockedProducer([&] { producerResult = fanout.push(frameAt(1)) ? 1 : 0; });
    std::thread waitingConsumer([&] {
        consumerFirst = fanout.pop(1)->frame->sequence;
        consumerSawEnd = !fanout.pop(1).has_value();
    });
    fanout.close();
    blockedProducer.join();
    waitingConsumer.join();
    QCOMPARE(producerResult.load(), 0);
    QCOMPARE(consumerFirst.load(), int64_t(0));
    QVERIFY(consumerSawEnd);
}

QTEST_GUILESS_MAIN(TstFrameFanout)
#include "tst_frame_fanout.moc"

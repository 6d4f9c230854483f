#include <QtTest>

#include <atomic>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <mutex>
#include <numbers>
#include <vector>

#include "capture/test_pattern_source.h"

using namespace podium;
using namespace podium::capture;

namespace {

double meanLuma(const VideoFrame& f) {
    double sum = 0;
    const uint8_t* y = f.plane(0);
    for (int i = 0; i < f.width * f.height; ++i) {
        sum += y[i];
    }
    return sum / (f.width * f.height);
}

/// Power of `hz` in channel 0 of samples [from, from+count) (Goertzel), normalised by count.
double goertzel(const AudioFrame& a, int from, int count, double hz) {
    const double k = 2.0 * std::cos(2.0 * std::numbers::pi * hz / a.sampleRate);
    double s1 = 0;
    double s2 = 0;
    for (int i = from; i < from + count; ++i) {
        const double s0 = a.samples[size_t(i) * a.channels] + k * s1 - s2;
        s2 = s1;
        s1 = s0;
    }
    return (s1 * s1 + s2 * s2 - k * s1 * s2) / (double(count) * count);
}

TestPatternConfig config(int w, int h, bool audio = true) {
    TestPatternConfig c;
    c.width = w;
    c.height = h;
    c.withAudio = audio;
    c.title = "tst";
    return c;
}

/// Collects what a running source delivers; the test thread waits for a count.
struct Collector {
    std::mutex mutex;
    std::condition_variable changed;
    std::vector<VideoFramePtr> video;
    std::vector<AudioFramePtr> audio;
    std::vector<double> orderSeconds;     ///< pts of every callback, in call order
    std::vector<MediaTime> clockAtVideo;  ///< clock reading when each frame arrived
    std::atomic<bool> stopReturned{false};
    std::atomic<int> lateCallbacks{0};
    const Clock* clock = nullptr;

    SourceCallbacks callbacks() {
        SourceCallbacks cb;
        cb.onVideo = [this](VideoFramePtr f) {
            lateCallbacks += stopReturned ? 1 : 0;
            std::lock_guard lock(mutex);
            orderSeconds.push_back(f->pts.seconds());
            clockAtVideo.push_back(clock->now());
            video.push_back(std::move(f));
            changed.notify_all();
        };
        cb.onAudio = [this](AudioFramePtr a) {
            lateCallbacks += stopReturned ? 1 : 0;
            std::lock_guard lock(mutex);
            orderSeconds.push_back(a->pts.seconds());
            audio.push_back(std::move(a));
            changed.notify_all();
        };
        return cb;
    }
    bool waitForVideo(size_t count) {
        std::unique_lock lock(mutex);
        return changed.wait_for(lock, std::chrono::seconds(20),
                                [&] { return video.size() >= count; });
    }
};

}  // namespace

class TstTestPatternSource : public QObject {
    Q_OBJECT
private slots:
    void frameIsCanvasSizedI420_data();
    void frameIsCanvasSizedI420();
    void counterChangesThePicture();
    void flashFramesAreBright_data();
    void flashFramesAreBright();
    void beepOnlyDuringFlash();
    void beepOnsetEqualsFlashOnset();
    void runningDeliversExactTimeline_data();
    void runningDeliversExactTimeline();
    void stopInterruptsALongWait();
    void aThrowInTheLoopReachesOnError();
    void renderSpeed1080p();
};

void TstTestPatternSource::frameIsCanvasSizedI420_data() {
    QTest::addColumn<int>("width");
    QTest::addColumn<int>("height");
    QTest::newRow("720p") << 1280 << 720;
    QTest::newRow("1080p") << 1920 << 1080;
    QTest::newRow("tiny odd-sized") << 161 << 91;
}

void TstTestPatternSource::frameIsCanvasSizedI420() {
    QFETCH(int, width);
    QFETCH(int, height);
    ManualClock clock;
    TestPatternSource source(config(width, height), clock, Pacing::AsFastAsPossible);
    const auto frame = source.renderFrame(7);
    QCOMPARE(frame->width, width);
    QCOMPARE(frame->height, height);
    QCOMPARE(frame->format, PixelFormat::I420);
    const size_t chroma = size_t((width + 1) / 2) * ((height + 1) / 2);
    QCOMPARE(frame->data.size(), size_t(width) * height + 2 * chroma);
    QCOMPARE(frame->sequence, qint64(7));
    QCOMPARE(frame->pts, (MediaTime{7 * 3000, kVideoTimescale}));
    QCOMPARE(source.format().width, width);
    QVERIFY(source.describe().find("test pattern") != std::string::npos);
}

void TstTestPatternSource::counterChangesThePicture() {
    ManualClock clock;
    TestPatternSource source(config(640, 360), clock, Pacing::AsFastAsPossible);
    const auto a = source.renderFrame(10);
    const auto b = source.renderFrame(11);
    const auto again = source.renderFrame(10);
    QVERIFY(a->data != b->data);
    QVERIFY2(a->data == again->data, "rendering is deterministic");
    // The counter plate (top-left) alone differs too, not just the moving parts.
    int differing = 0;
    for (int y = 0; y < 60; ++y) {
        for (int x = 0; x < 200; ++x) {
            differing += a->plane(0)[y * 640 + x] != b->plane(0)[y * 640 + x] ? 1 : 0;
        }
    }
    QVERIFY(differing > 20);
}

void TstTestPatternSource::flashFramesAreBright_data() {
    QTest::addColumn<int>("fpsNum");
    QTest::addColumn<int>("fpsDen");
    QTest::newRow("30 fps") << 30 << 1;
    QTest::newRow("25 fps") << 25 << 1;
    QTest::newRow("29.97 fps") << 30000 << 1001;
}

void TstTestPatternSource::flashFramesAreBright() {
    QFETCH(int, fpsNum);
    QFETCH(int, fpsDen);
    ManualClock clock;
    TestPatternConfig c = config(320, 180);
    c.fpsNum = fpsNum;
    c.fpsDen = fpsDen;
    TestPatternSource source(c, clock, Pacing::AsFastAsPossible);
    double brightestNormal = 0;
    double darkestFlash = 255;
    int flashes = 0;
    for (int64_t n = 0; n < 3 * fpsNum / fpsDen + 5; ++n) {
        const auto f = source.renderFrame(n);
        const double ms = f->pts.seconds() * 1000;
        const bool expectFlash = std::fmod(ms, 1000.0) < 100.0;
        QCOMPARE(TestPatternSource::isFlashTime(f->pts), expectFlash);
        if (expectFlash) {
            darkestFlash = std::min(darkestFlash, meanLuma(*f));
            ++flashes;
        } else {
            brightestNormal = std::max(brightestNormal, meanLuma(*f));
        }
    }
    QVERIFY(flashes >= 9);
    QVERIFY2(darkestFlash > brightestNormal + 50,
             qPrintable(QString("flash %1 vs normal %2").arg(darkestFlash).arg(brightestNormal)));
}

void TstTestPatternSource::beepOnlyDuringFlash() {
    ManualClock clock;
    TestPatternSource source(config(320, 180), clock, Pacing::AsFastAsPossible);
    const auto audio = source.renderAudio(0, 3 * 48000);
    QCOMPARE(audio->channels, 2);
    QCOMPARE(audio->sampleRate, 48000);
    QCOMPARE(audio->frameCount(), 3 * 48000);
    for (int second = 0; second < 3; ++second) {
        const int beepStart = second * 48000;
        const double inBeep = goertzel(*audio, beepStart, 4800, 1000);
        const double afterBeep = goertzel(*audio, beepStart + 4800, 4800, 1000);
        const double toneAfter = goertzel(*audio, beepStart + 4800, 4800, 440);
        QVERIFY2(inBeep > 1000 * afterBeep, qPrintable(QString::number(second)));
        QVERIFY2(toneAfter > 100 * afterBeep, "a quiet 440 Hz tone plays between beeps");
    }
}

void TstTestPatternSource::beepOnsetEqualsFlashOnset() {
    ManualClock clock;
    TestPatternSource source(config(320, 180), clock, Pacing::AsFastAsPossible);
    // Scan 1 ms windows (exactly one 1 kHz cycle) around the 2 s mark.
    const int from = 2 * 48000 - 960;
    const auto audio = source.renderAudio(from, 1920);
    QCOMPARE(audio->pts, (MediaTime{from, 48000}));
    int onsetSample = -1;
    for (int w = 0; w + 48 <= 1920; w += 48) {
        if (goertzel(*audio, w, 48, 1000) > 0.01) {
            onsetSample = from + w;
            break;
        }
    }
    int flashFrame = -1;
    for (int n = 40; n < 90; ++n) {  // the first flash after 1.3 s
        if (TestPatternSource::isFlashTime(source.renderFrame(n)->pts)) {
            flashFrame = n;
            break;
        }
    }
    QCOMPARE(flashFrame, 60);
    QCOMPARE(MediaTime(MediaTime{onsetSample, 48000}), source.videoPts(flashFrame));
    // And it lasts exactly 100 ms: 4800 samples.
    const auto tail = source.renderAudio(2 * 48000 + 4800 - 48, 96);
    QVERIFY(goertzel(*tail, 0, 48, 1000) > 0.01);
    QVERIFY(goertzel(*tail, 48, 48, 1000) < 0.001);
}

void TstTestPatternSource::runningDeliversExactTimeline_data() {
    QTest::addColumn<Pacing>("pacing");
    QTest::newRow("real time on a manual clock") << Pacing::RealTime;
    QTest::newRow("as fast as possible") << Pacing::AsFastAsPossible;
}

void TstTestPatternSource::runningDeliversExactTimeline() {
    QFETCH(Pacing, pacing);
    ManualClock clock;
    TestPatternSource source(config(320, 180), clock, pacing);
    Collector got;
    got.clock = &clock;
    QVERIFY(source.start(got.callbacks()).has_value());
    QVERIFY(!source.start(got.callbacks()).has_value());  // already running
    QVERIFY(got.waitForVideo(65));
    source.stop();
    got.stopReturned = true;
    source.stop();  // idempotent

    std::lock_guard lock(got.mutex);
    for (size_t i = 0; i < got.video.size(); ++i) {
        QCOMPARE(got.video[i]->sequence, qint64(i));
        QCOMPARE(got.video[i]->pts, (MediaTime{qint64(i) * 3000, kVideoTimescale}));
        if (pacing == Pacing::RealTime) {
            QVERIFY2(got.clockAtVideo[i] >= got.video[i]->pts, "never delivered early");
        }
    }
    QVERIFY(got.audio.size() >= 200);  // 2 s of video -> at least 2 s of 10 ms audio frames
    QCOMPARE(got.audio.front()->pts, (MediaTime{0, 48000}));
    for (size_t k = 0; k + 1 < got.audio.size(); ++k) {
        QCOMPARE(got.audio[k]->frameCount(), 480);
        QCOMPARE(got.audio[k + 1]->pts.value, got.audio[k]->pts.value + got.audio[k]->frameCount());
    }
    for (size_t i = 0; i + 1 < got.orderSeconds.size(); ++i) {
        QVERIFY2(got.orderSeconds[i] <= got.orderSeconds[i + 1], "timeline order");
    }
    QCOMPARE(got.lateCallbacks.load(), 0);
}

void TstTestPatternSource::stopInterruptsALongWait() {
    SteadyClock clock;
    TestPatternConfig c = config(160, 90, false);
    c.fpsNum = 1;
    c.fpsDen = 30;  // one frame every 30 s
    TestPatternSource source(c, clock, Pacing::RealTime);
    Collector got;
    got.clock = &clock;
    QVERIFY(source.start(got.callbacks()).has_value());
    QVERIFY(got.waitForVideo(1));
    QElapsedTimer timer;
    timer.start();
    source.stop();  // the source is now sleeping towards t = 30 s
    got.stopReturned = true;
    // Loose bound: the wait is sliced in 20 ms steps; anything near 30 s would be the bug.
    QVERIFY2(timer.elapsed() < 5000, qPrintable(QString::number(timer.elapsed())));
    QCOMPARE(got.video.size(), size_t(1));
    QCOMPARE(got.lateCallbacks.load(), 0);
}

void TstTestPatternSource::aThrowInTheLoopReachesOnError() {
    // Whatever throws on a source's thread (a library, a callback) ends the source and is
    // reported through onError, so the consumer shows the slate and says why; before, the
    // thread died with only a log line and the picture froze.
    ManualClock clock;
    TestPatternSource source(config(160, 90, false), clock, Pacing::AsFastAsPossible);
    std::mutex mutex;
    std::vector<std::string> errors;
    SourceCallbacks callbacks;
    callbacks.onVideo = [](VideoFramePtr frame) {
        if (frame->sequence == 3) {
            throw std::runtime_error("the device went away");
        }
    };
    callbacks.onError = [&](const Status& status) {
        std::lock_guard lock(mutex);
        errors.push_back(status.toString());
    };
    QVERIFY(source.start(callbacks).has_value());
    QTRY_VERIFY_WITH_TIMEOUT(([&] {
                                 std::lock_guard lock(mutex);
                                 return !errors.empty();
                             }()),
                             10000);
    source.stop();
    std::lock_guard lock(mutex);
    QCOMPARE(errors.size(), size_t(1));
    QVERIFY2(errors[0].find("the device went away") != std::string::npos, errors[0].c_str());
}

void TstTestPatternSource::renderSpeed1080p() {
    ManualClock clock;
    TestPatternSource source(config(1920, 1080), clock, Pacing::AsFastAsPossible);
    QElapsedTimer timer;
    timer.start();
    const int frames = 60;
    for (int n = 0; n < frames; ++n) {
        QVERIFY(source.renderFrame(n + 3)->width == 1920);  // informational timing only
    }
    qInfo("1920x1080 test pattern: %.2f ms/frame", double(timer.nsecsElapsed()) / 1e6 / frames);
}

QTEST_GUILESS_MAIN(TstTestPatternSource)
#include "tst_test_pattern_source.moc"

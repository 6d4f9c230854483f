#include <QtTest>

#include <atomic>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>

#include "capture/composite_source.h"
#include "capture/compositor.h"
#include "capture/test_pattern_source.h"

using namespace podium;
using namespace podium::capture;

namespace {

std::shared_ptr<VideoFrame> solid(int w, int h, uint8_t y, uint8_t u = 128, uint8_t v = 128) {
    auto f = std::make_shared<VideoFrame>(VideoFrame::makeI420(w, h));
    fillI420(*f, {0, 0, w, h}, y, u, v);
    return f;
}

uint8_t lumaAt(const VideoFrame& f, int x, int y) {
    return f.plane(0)[size_t(y) * f.width + x];
}

uint8_t uAt(const VideoFrame& f, int x, int y) {
    return f.plane(1)[size_t(y / 2) * f.chromaWidth() + x / 2];
}

/// A live source of one flat colour (every 5 ms), to see exactly what the compositor drew.
class SolidSource final : public MediaSource {
public:
    SolidSource(int w, int h, uint8_t luma) : frame_(solid(w, h, luma)) {}
    ~SolidSource() override { stop(); }
    std::string describe() const override { return "solid"; }
    SourceFormat format() const override { return {frame_->width, frame_->height}; }
    Result<void> start(SourceCallbacks cb) override {
        thread_ = std::jthread([this, cb](std::stop_token stop) {
            for (int64_t n = 0; !stop.stop_requested(); ++n) {
                auto f = std::make_shared<VideoFrame>(*frame_);
                f->sequence = n;
                cb.onVideo(f);
                std::this_thread::sleep_for(std::chrono::milliseconds(5));
            }
        });
        return ok();
    }
    void stop() override {
        if (thread_.joinable()) {
            thread_.request_stop();
            thread_.join();
        }
    }

private:
    std::shared_ptr<VideoFrame> frame_;
    std::jthread thread_;
};

/// Collects the newest output frame and waits (with a deadline) for one that passes a check.
struct LatestFrame {
    std::mutex mutex;
    std::condition_variable changed;
    VideoFramePtr frame;
    SourceCallbacks callbacks() {
        SourceCallbacks cb;
        cb.onVideo = [this](VideoFramePtr f) {
            std::lock_guard lock(mutex);
            frame = std::move(f);
            changed.notify_all();
        };
        return cb;
    }
    bool waitFor(const std::function<bool(const VideoFrame&)>& check) {
        std::unique_lock lock(mutex);
        return changed.wait_for(lock, std::chrono::seconds(20),
                                [&] { return frame && check(*frame); });
    }
};

}  // namespace

Q_DECLARE_METATYPE(CanvasRect)
Q_DECLARE_METATYPE(PipCorner)

class TstCompositor : public QObject {
    Q_OBJECT

private slots:
    void fitKeepsAspect_data() {
        QTest::addColumn<int>("srcW");
        QTest::addColumn<int>("srcH");
        QTest::addColumn<CanvasRect>("expected");
        QTest::newRow("16:9 into 16:9 fills") << 1920 << 1080 << CanvasRect{0, 0, 1280, 720};
        QTest::newRow("4:3 gets pillarbox bars") << 640 << 480 << CanvasRect{160, 0, 960, 720};
        QTest::newRow("ultrawide gets letterbox bars")
            << 2560 << 720 << CanvasRect{0, 180, 1280, 360};
        QTest::newRow("portrait phone") << 720 << 1280 << CanvasRect{438, 0, 404, 720};
    }
    void fitKeepsAspect() {
        QFETCH(int, srcW);
        QFETCH(int, srcH);
        QFETCH(CanvasRect, expected);
        const CanvasRect r = Compositor::fit(srcW, srcH, {0, 0, 1280, 720});
        QCOMPARE(r, expected);
    }

    void mainScaledWithBlackBars() {
        Compositor c({1280, 720, std::nullopt, ""});
        auto main = solid(640, 480, 200, 90, 160);
        const VideoFramePtr out = c.compose(main, nullptr);
        QCOMPARE(out->width, 1280);
        QCOMPARE(out->height, 720);
        QCOMPARE(lumaAt(*out, 50, 360), uint8_t(16));    // left bar black
        QCOMPARE(lumaAt(*out, 1230, 360), uint8_t(16));  // right bar black
        QCOMPARE(uAt(*out, 50, 360), uint8_t(128));
        QCOMPARE(lumaAt(*out, 640, 360), uint8_t(200));  // picture
        QCOMPARE(uAt(*out, 640, 360), uint8_t(90));
        QCOMPARE(lumaAt(*out, 162, 10), uint8_t(200));  // picture starts at x = 160
    }

    void canvasSizedMainPassesThrough() {
        Compositor c({1280, 720, std::nullopt, ""});
        auto main = solid(1280, 720, 100);
        main->sequence = 7;
        QCOMPARE(c.compose(main, nullptr).get(), main.get());
    }

    void pipCorner_data() {
        QTest::addColumn<PipCorner>("corner");
        QTest::addColumn<int>("expectX");
        QTest::addColumn<int>("expectY");
        // canvas 1280x720, PiP 25% = 320x180 from a 16:9 source, margin 24 + border 2
        QTest::newRow("top-left") << PipCorner::TopLeft << 26 << 26;
        QTest::newRow("top-right") << PipCorner::TopRight << 1280 - 26 - 320 << 26;
        QTest::newRow("bottom-left") << PipCorner::BottomLeft << 26 << 720 - 26 - 180;
        QTest::newRow("bottom-right")
            << PipCorner::BottomRight << 1280 - 26 - 320 << 720 - 26 - 180;
    }
    void pipCorner() {
        QFETCH(PipCorner, corner);
        QFETCH(int, expectX);
        QFETCH(int, expectY);
        PipLayout layout;
        layout.corner = corner;
        const CanvasRect r = Compositor::pipRect(layout, 640, 360, 1280, 720);
        QCOMPARE(r, (CanvasRect{expectX, expectY, 320, 180}));

        // On pixels: main mid-grey, PiP bright with distinct chroma, border white.
        Compositor c({1280, 720, layout, ""});
        const VideoFramePtr out = c.compose(solid(1280, 720, 60), solid(640, 360, 180, 60, 200));
        QCOMPARE(lumaAt(*out, r.x + r.width / 2, r.y + r.height / 2), uint8_t(180));
        QCOMPARE(uAt(*out, r.x + r.width / 2, r.y + r.height / 2), uint8_t(60));
        QCOMPARE(lumaAt(*out, r.x + 1, r.y + 1), uint8_t(180));
        QCOMPARE(lumaAt(*out, r.x - 1, r.y + 10), uint8_t(235));  // border
        QCOMPARE(lumaAt(*out, r.x + r.width, r.y + 10), uint8_t(235));
        QCOMPARE(lumaAt(*out, r.x - 6, r.y + 10), uint8_t(60));  // main around it
        // The opposite corner of the canvas is untouched main picture.
        const int ox = r.x < 640 ? 1270 : 10;
        const int oy = r.y < 360 ? 710 : 10;
        QCOMPARE(lumaAt(*out, ox, oy), uint8_t(60));
    }

    void pipWithoutSourceFrameIsNotDrawn() {
        Compositor c({1280, 720, PipLayout{}, ""});
        auto main = solid(1280, 720, 60);
        QCOMPARE(c.compose(main, nullptr).get(), main.get());
    }

    void compositeSourceCombinesSources() {
        ManualClock clock;
        TestPatternConfig mainConfig;
        mainConfig.width = 640;
        mainConfig.height = 480;  // 4:3 main on a 16:9 canvas
        TestPatternConfig pipConfig;
        pipConfig.width = 320;
        pipConfig.height = 180;
        pipConfig.withAudio = false;
        CompositeSource source(
            std::make_unique<TestPatternSource>(mainConfig, clock, Pacing::RealTime),
            std::make_unique<TestPatternSource>(pipConfig, clock, Pacing::RealTime), nullptr,
            {1280, 720, PipLayout{}, "Alice - Rust async"});
        QCOMPARE(source.format().width, 1280);
        QCOMPARE(source.format().height, 720);
        QVERIFY(source.format().hasAudio);  // the main source's audio
        std::mutex mutex;
        std::condition_variable cv;
        std::vector<VideoFramePtr> video;
        int audio = 0;
        SourceCallbacks cb;
        cb.onVideo = [&](VideoFramePtr f) {
            std::lock_guard lock(mutex);
            video.push_back(std::move(f));
            cv.notify_all();
        };
        cb.onAudio = [&](AudioFramePtr) {
            std::lock_guard lock(mutex);
            ++audio;
        };
        QVERIFY(source.start(cb));
        {
            std::unique_lock lock(mutex);
            QVERIFY(
                cv.wait_for(lock, std::chrono::seconds(30), [&] { return video.size() >= 20; }));
        }
        source.stop();
        QVERIFY(audio > 0);
        for (size_t i = 0; i < video.size(); ++i) {
            QCOMPARE(video[i]->width, 1280);
            QCOMPARE(video[i]->sequence, int64_t(i));  // the main source's timeline
        }
        QCOMPARE(lumaAt(*video.back(), 20, 20), uint8_t(16));  // pillarbox bar (no PiP there)
    }

    // The GUI changes the title and the webcam corner while live: the next frames show it.
    void sceneChangesWhileRunning() {
        CompositeSource source(std::make_unique<SolidSource>(1280, 720, 200), nullptr, nullptr,
                               {1280, 720, std::nullopt, ""});
        LatestFrame out;
        QVERIFY(source.start(out.callbacks()));
        const CanvasRect band = Compositor::titleBand(1280, 720);
        const int bandMiddle = band.y + band.height / 2;
        QVERIFY(
            out.waitFor([&](const VideoFrame& f) { return lumaAt(f, 1270, bandMiddle) == 200; }));

        source.setTitle("Alice - Rust async");
        QVERIFY(
            out.waitFor([&](const VideoFrame& f) { return lumaAt(f, 1270, bandMiddle) < 110; }));
        QCOMPARE(source.scene().title, std::string("Alice - Rust async"));

        PipLayout topLeft;
        topLeft.corner = PipCorner::TopLeft;
        topLeft.widthFraction = 0.25;
        QVERIFY(source.setPip(std::make_unique<SolidSource>(320, 180, 50), topLeft));
        const CanvasRect pip = Compositor::pipRect(topLeft, 320, 180, 1280, 720);
        const int px = pip.x + pip.width / 2;
        const int py = pip.y + pip.height / 2;
        QVERIFY(out.waitFor([&](const VideoFrame& f) { return lumaAt(f, px, py) == 50; }));
        QVERIFY(source.scene().pip.has_value());
        QVERIFY(source.describe().find("PiP") != std::string::npos);

        source.setTitle("");
        QVERIFY(source.setPip(nullptr, topLeft));
        QVERIFY(out.waitFor([&](const VideoFrame& f) {
            return lumaAt(f, px, py) == 200 && lumaAt(f, 1270, bandMiddle) == 200;
        }));
        QVERIFY(!source.scene().pip.has_value());
        source.stop();
    }

    void titleDrawnInLowerThird() {
        Compositor c({1280, 720, std::nullopt, "Alice - Rust async"});
        const VideoFramePtr out = c.compose(solid(1280, 720, 200), nullptr);
        const CanvasRect band = Compositor::titleBand(1280, 720);
        QVERIFY(band.y > 720 / 2);
        QVERIFY(band.y + band.height <= 720);
        // Above the band: untouched.
        QCOMPARE(lumaAt(*out, 640, band.y - 4), uint8_t(200));
        // The band is darkened (semi-transparent: darker than 200, not black).
        int darkened = 0;
        int text = 0;
        for (int y = band.y; y < band.y + band.height; ++y) {
            for (int x = 0; x < 1280; ++x) {
                const int l = lumaAt(*out, x, y);
                darkened += (l > 60 && l < 110) ? 1 : 0;
                text += l >= 220 ? 1 : 0;
            }
        }
        const int area = band.height * 1280;
        QVERIFY2(darkened > area / 2, qPrintable(QString::number(darkened)));
        QVERIFY2(text > 500, qPrintable(QString::number(text)));  // white glyph pixels
        // Text starts at the left: the right end of the band has no glyphs.
        QVERIFY(lumaAt(*out, 1270, band.y + band.height / 2) < 110);
    }
};

QTEST_GUILESS_MAIN(TstCompositor)
#include "tst_compositor.moc"

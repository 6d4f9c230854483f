#include <QtTest>

#include <chrono>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <vector>

#include <xcb/xcb.h>

#include "capture/screen_source.h"
#include "capture/source_catalog.h"

using namespace podium;
using namespace podium::capture;

namespace {

/// An Xvfb server owned by the test: started on a free display number, killed at the end.
struct Xvfb {
    QProcess process;
    QString display;

    bool start(int width, int height) {
        const QString exe = QStandardPaths::findExecutable("Xvfb");
        if (exe.isEmpty()) {
            return false;
        }
        int n = 91;
        while (std::filesystem::exists("/tmp/.X11-unix/X" + std::to_string(n)) ||
               std::filesystem::exists("/tmp/.X" + std::to_string(n) + "-lock")) {
            ++n;
        }
        display = ":" + QString::number(n);
        process.start(exe, {display, "-screen", "0", QString("%1x%2x24").arg(width).arg(height),
                            "-nolisten", "tcp", "-noreset"});
        if (!process.waitForStarted(5000)) {
            return false;
        }
        QDeadlineTimer deadline(15000);
        while (!deadline.hasExpired()) {  // the server is ready once a client can connect
            xcb_connection_t* c = xcb_connect(display.toUtf8().constData(), nullptr);
            const bool ok = !xcb_connection_has_error(c);
            xcb_disconnect(c);
            if (ok) {
                return true;
            }
            if (process.waitForFinished(50)) {
                return false;  // exited: display taken?
            }
        }
        return false;
    }
    ~Xvfb() {
        if (process.state() != QProcess::NotRunning) {
            process.terminate();  // SIGTERM: Xvfb removes its socket and lock file
            if (!process.waitForFinished(5000)) {
                process.kill();
                process.waitForFinished(5000);
            }
        }
    }
};

/// Checkerboard of 40-px squares in 8 colours; the colour of a square encodes its position
/// ((column + 3 * row + seed) % 8), so a shifted or mirrored capture does not match.
std::vector<uint8_t> checkerboard(int w, int h, int seed) {
    static const uint8_t kPalette[8][3] = {{0, 0, 255},     {0, 255, 0},   {255, 0, 0},
                                           {255, 255, 0},   {0, 255, 255}, {255, 0, 255},
                                           {255, 255, 255}, {40, 40, 40}};  // BGR
    std::vector<uint8_t> px(size_t(w) * h * 4);
    for (int y = 0; y < h; ++y) {
        for (int x = 0; x < w; ++x) {
            const uint8_t* c = kPalette[(x / 40 + 3 * (y / 40) + seed) % 8];
            uint8_t* p = &px[(size_t(y) * w + x) * 4];
            p[0] = c[0];
            p[1] = c[1];
            p[2] = c[2];
            p[3] = 0;
        }
    }
    return px;
}

/// A test client painting known pictures into windows.
struct Painter {
    xcb_connection_t* c = nullptr;
    xcb_screen_t* screen = nullptr;
    xcb_gcontext_t gc = 0;

    explicit Painter(const QString& display) {
        c = xcb_connect(display.toUtf8().constData(), nullptr);
        screen = xcb_setup_roots_iterator(xcb_get_setup(c)).data;
        gc = xcb_generate_id(c);
        xcb_create_gc(c, gc, screen->root, 0, nullptr);
    }
    ~Painter() { xcb_disconnect(c); }

    xcb_window_t window(int x, int y, int w, int h, const char* title) {
        const xcb_window_t win = xcb_generate_id(c);
        const uint32_t values[] = {screen->black_pixel, 1};
        xcb_create_window(c, XCB_COPY_FROM_PARENT, win, screen->root, int16_t(x), int16_t(y),
                          uint16_t(w), uint16_t(h), 0, XCB_WINDOW_CLASS_INPUT_OUTPUT,
                          screen->root_visual, XCB_CW_BACK_PIXEL | XCB_CW_OVERRIDE_REDIRECT,
                          values);
        xcb_change_property(c, XCB_PROP_MODE_REPLACE, win, XCB_ATOM_WM_NAME, XCB_ATOM_STRING, 8,
                            uint32_t(std::strlen(title)), title);
        xcb_map_window(c, win);
        sync();
        return win;
    }
    void paint(xcb_window_t win, const std::vector<uint8_t>& px, int w, int h) {
        const int band = std::max(1, 65536 / w);  // rows per request, well under the limit
        for (int y = 0; y < h; y += band) {
            const int rows = std::min(band, h - y);
            xcb_put_image(c, XCB_IMAGE_FORMAT_Z_PIXMAP, win, gc, uint16_t(w), uint16_t(rows), 0,
                          int16_t(y), 0, 24, uint32_t(size_t(w) * rows * 4),
                          &px[size_t(y) * w * 4]);
        }
        sync();
    }
    void move(xcb_window_t win, int x, int y) {
        const uint32_t values[] = {uint32_t(x), uint32_t(y)};
        xcb_configure_window(c, win, XCB_CONFIG_WINDOW_X | XCB_CONFIG_WINDOW_Y, values);
        sync();
    }
    void sync() { free(xcb_get_input_focus_reply(c, xcb_get_input_focus(c), nullptr)); }
};

/// Copies rect (x, y, w, h) out of a BGRX picture of width `stride` pixels.
std::vector<uint8_t> crop(const std::vector<uint8_t>& px, int stride, int x, int y, int w, int h) {
    std::vector<uint8_t> out(size_t(w) * h * 4);
    for (int row = 0; row < h; ++row) {
        std::memcpy(&out[size_t(row) * w * 4], &px[(size_t(y + row) * stride + x) * 4],
                    size_t(w) * 4);
    }
    return out;
}

double psnrY(const VideoFrame& a, const VideoFrame& b) {
    double se = 0;
    const size_t n = size_t(a.width) * a.height;
    for (size_t i = 0; i < n; ++i) {
        const double d = double(a.plane(0)[i]) - b.plane(0)[i];
        se += d * d;
    }
    const double mse = se / double(n);
    return mse == 0 ? 99.0 : 10.0 * std::log10(255.0 * 255.0 / mse);
}

}  // namespace

class TstScreenSource : public QObject {
    Q_OBJECT

    static constexpr int kW = 1280;
    static constexpr int kH = 720;
    static constexpr int kWinX = 700;
    static constexpr int kWinY = 300;
    static constexpr int kWinW = 320;
    static constexpr int kWinH = 240;

    std::unique_ptr<Xvfb> xvfb_;
    std::unique_ptr<Painter> painter_;
    std::vector<uint8_t> expected_;  ///< the whole screen as painted, BGRX
    std::vector<uint8_t> windowPicture_;
    xcb_window_t background_ = 0;
    xcb_window_t window_ = 0;
    ManualClock clock_;

    ScreenConfig config(const QString& display) const {
        ScreenConfig c;
        c.display = display.toStdString();
        c.canvasWidth = 0;  // native size
        c.canvasHeight = 0;
        c.drawCursor = false;
        return c;
    }

    /// Expected I420 picture: the painted BGRX converted by the same converter.
    static std::shared_ptr<VideoFrame> expectedI420(const std::vector<uint8_t>& px, int w, int h) {
        BgrxConverter converter;
        auto frame = converter.convert(px.data(), w, h, w, h);
        return frame ? *frame : nullptr;
    }

private slots:
    void initTestCase() {
        xvfb_ = std::make_unique<Xvfb>();
        if (QStandardPaths::findExecutable("Xvfb").isEmpty()) {
            QSKIP("Xvfb is not installed");
        }
        QVERIFY2(xvfb_->start(kW, kH), "Xvfb did not start");
        painter_ = std::make_unique<Painter>(xvfb_->display);
        expected_ = checkerboard(kW, kH, 0);
        background_ = painter_->window(0, 0, kW, kH, "podium background");
        painter_->paint(background_, expected_, kW, kH);
        windowPicture_ = checkerboard(kWinW, kWinH, 5);
        window_ = painter_->window(kWinX, kWinY, kWinW, kWinH, "podium test window");
        painter_->paint(window_, windowPicture_, kWinW, kWinH);
        for (int y = 0; y < kWinH; ++y) {
            std::memcpy(&expected_[(size_t(kWinY + y) * kW + kWinX) * 4],
                        &windowPicture_[size_t(y) * kWinW * 4], size_t(kWinW) * 4);
        }
    }
    void cleanupTestCase() {
        painter_.reset();
        xvfb_.reset();
    }

    void wholeScreenMatchesPicture_data() {
        QTest::addColumn<bool>("shm");
        QTest::newRow("MIT-SHM") << true;
        QTest::newRow("plain GetImage") << false;
    }
    void wholeScreenMatchesPicture() {
        QFETCH(bool, shm);
        ScreenConfig c = config(xvfb_->display);
        c.allowShm = shm;
        auto source = ScreenSource::open(c, clock_);
        QVERIFY2(source, source ? "" : source.error().toString().c_str());
        auto frame = (*source)->captureFrame(0);
        QVERIFY(frame);
        QCOMPARE((*frame)->width, kW);
        QCOMPARE((*frame)->height, kH);
        const double psnr = psnrY(**frame, *expectedI420(expected_, kW, kH));
        QVERIFY2(psnr > 35.0, qPrintable(QString("PSNR %1 dB").arg(psnr)));
        // Colours land where painted: square (0,0) is red (BT.601 limited: Y 82, V 240).
        const VideoFrame& f = **frame;
        QVERIFY(std::abs(int(f.plane(0)[size_t(20) * kW + 20]) - 82) <= 2);
        QVERIFY(std::abs(int(f.plane(2)[size_t(10) * f.chromaWidth() + 10]) - 240) <= 2);
        // Square (1,0) is green (Y 145, U 54).
        QVERIFY(std::abs(int(f.plane(0)[size_t(20) * kW + 60]) - 145) <= 2);
        QVERIFY(std::abs(int(f.plane(1)[size_t(10) * f.chromaWidth() + 30]) - 54) <= 2);
    }

    void rectangleCapture() {
        auto c =
            ScreenConfig::fromSpec("screen:" + xvfb_->display.toStdString() + "+100,60,400x300");
        QVERIFY(c);
        c->canvasWidth = c->canvasHeight = 0;
        c->drawCursor = false;
        auto source = ScreenSource::open(*c, clock_);
        QVERIFY(source);
        auto frame = (*source)->captureFrame(0);
        QVERIFY(frame);
        QCOMPARE((*frame)->width, 400);
        QCOMPARE((*frame)->height, 300);
        const auto expected = expectedI420(crop(expected_, kW, 100, 60, 400, 300), 400, 300);
        const double psnr = psnrY(**frame, *expected);
        QVERIFY2(psnr > 35.0, qPrintable(QString("PSNR %1 dB").arg(psnr)));
    }

    void windowCaptureFollowsWindow_data() {
        QTest::addColumn<bool>("byTitle");
        QTest::newRow("by id") << false;
        QTest::newRow("by title") << true;
    }
    void windowCaptureFollowsWindow() {
        QFETCH(bool, byTitle);
        auto c = ScreenConfig::fromSpec(byTitle ? std::string("window:podium test window")
                                                : "window:" + std::to_string(window_));
        QVERIFY(c);
        c->display = xvfb_->display.toStdString();
        c->canvasWidth = c->canvasHeight = 0;
        c->drawCursor = false;
        auto source = ScreenSource::open(*c, clock_);
        QVERIFY2(source, source ? "" : source.error().toString().c_str());
        const auto expected = expectedI420(windowPicture_, kWinW, kWinH);
        auto frame = (*source)->captureFrame(0);
        QVERIFY(frame);
        QCOMPARE((*frame)->width, kWinW);
        QCOMPARE((*frame)->height, kWinH);
        QVERIFY(psnrY(**frame, *expected) > 35.0);
        painter_->move(window_, 100, 100);  // the capture follows it
        frame = (*source)->captureFrame(1);
        QVERIFY(frame);
        QCOMPARE((*source)->area(), (ScreenRect{100, 100, kWinW, kWinH}));
        QVERIFY(psnrY(**frame, *expected) > 35.0);
        painter_->move(window_, kWinX, kWinY);
    }

    void unchangedScreenReusesFrame() {
        ScreenConfig c = config(xvfb_->display);
        c.canvasWidth = 640;
        c.canvasHeight = 360;
        auto source = ScreenSource::open(c, clock_);
        QVERIFY(source);
        for (int i = 0; i < 5; ++i) {
            auto frame = (*source)->captureFrame(i);
            QVERIFY(frame);
            QCOMPARE((*frame)->sequence, int64_t(i));
            QCOMPARE((*frame)->pts, (MediaTime{i * 3000, kVideoTimescale}));
            QCOMPARE((*frame)->width, 640);
        }
        QCOMPARE((*source)->stats().grabs, int64_t(5));
        QCOMPARE((*source)->stats().conversions, int64_t(1));
        QCOMPARE((*source)->stats().reused, int64_t(4));
        painter_->paint(window_, checkerboard(kWinW, kWinH, 2), kWinW, kWinH);
        QVERIFY((*source)->captureFrame(5));
        QCOMPARE((*source)->stats().conversions, int64_t(2));
        painter_->paint(window_, windowPicture_, kWinW, kWinH);
    }

    void cursorIsDrawn() {
        ScreenConfig c = config(xvfb_->display);
        auto plain = ScreenSource::open(c, clock_);
        c.drawCursor = true;
        auto withCursor = ScreenSource::open(c, clock_);
        QVERIFY(plain && withCursor);
        auto a = (*plain)->captureFrame(0);
        auto b = (*withCursor)->captureFrame(0);
        QVERIFY(a && b);
        int differing = 0;
        for (size_t i = 0; i < size_t(kW) * kH; ++i) {
            differing += (*a)->plane(0)[i] != (*b)->plane(0)[i] ? 1 : 0;
        }
        QVERIFY2(differing > 20, qPrintable(QString::number(differing)));  // a pointer, ...
        QVERIFY(differing < 64 * 64);                                      // ... only that
    }

    void runningSourceDeliversPacedFrames() {
        ScreenConfig c = config(xvfb_->display);
        c.canvasWidth = 320;
        c.canvasHeight = 180;
        auto source = ScreenSource::open(c, clock_);
        QVERIFY(source);
        QCOMPARE((*source)->format().width, 320);
        std::mutex mutex;
        std::condition_variable cv;
        std::vector<VideoFramePtr> frames;
        SourceCallbacks cb;
        cb.onVideo = [&](VideoFramePtr f) {
            std::lock_guard lock(mutex);
            frames.push_back(std::move(f));
            cv.notify_all();
        };
        QVERIFY((*source)->start(cb));
        {
            std::unique_lock lock(mutex);
            QVERIFY(
                cv.wait_for(lock, std::chrono::seconds(20), [&] { return frames.size() >= 10; }));
        }
        (*source)->stop();
        for (size_t i = 1; i < frames.size(); ++i) {
            QVERIFY(frames[i]->sequence > frames[i - 1]->sequence);
            QVERIFY(frames[i]->pts > frames[i - 1]->pts);
        }
    }

    void specParsing_data() {
        QTest::addColumn<QString>("spec");
        QTest::addColumn<bool>("valid");
        QTest::newRow("plain screen") << "screen" << true;
        QTest::newRow("display") << "screen::1" << true;
        QTest::newRow("display and rect") << "screen::1+0,0,640x480" << true;
        QTest::newRow("hex window") << "window:0x3a00007" << true;
        QTest::newRow("bad rect") << "screen::1+0,0,640" << false;
        QTest::newRow("empty window") << "window:" << false;
        QTest::newRow("other source") << "camera" << false;
    }
    void specParsing() {
        QFETCH(QString, spec);
        QFETCH(bool, valid);
        auto c = ScreenConfig::fromSpec(spec.toStdString());
        QCOMPARE(bool(c), valid);
        if (spec == "window:0x3a00007") {
            QCOMPARE(c->windowId, 0x3a00007u);
        }
        if (spec == "screen::1+0,0,640x480") {
            QCOMPARE(c->display, std::string(":1"));
            QCOMPARE(*c->region, (ScreenRect{0, 0, 640, 480}));
        }
    }

    void catalogListsScreenAndWindows() {
        const SourceList list =
            listSources(xvfb_->display.toStdString(), "unix:/nonexistent/pulse.sock");
        QCOMPARE(list.screens.size(), size_t(1));
        QCOMPARE(list.screens[0].width, kW);
        QCOMPARE(list.screens[0].id(), "screen:" + xvfb_->display.toStdString());
        const auto it = std::find_if(list.windows.begin(), list.windows.end(),
                                     [](const auto& w) { return w.title == "podium test window"; });
        QVERIFY(it != list.windows.end());
        QCOMPARE(it->geometry, (ScreenRect{kWinX, kWinY, kWinW, kWinH}));
        QVERIFY(it->id().rfind("window:0x", 0) == 0);
        QVERIFY(ScreenConfig::fromSpec(it->id())->windowId == it->windowId);
        QVERIFY(list.audio.empty());  // no server: a note, not a failure
        QVERIFY(!list.notes.empty());
    }

    void noDisplayGivesClearMessage() {
        const QByteArray saved = qgetenv("DISPLAY");
        qunsetenv("DISPLAY");
        auto source = ScreenSource::open(ScreenConfig{}, clock_);
        if (!saved.isEmpty()) {
            qputenv("DISPLAY", saved);
        }
        QVERIFY(!source);
        QVERIFY(source.error().toString().find("needs an X11 display (set DISPLAY)") !=
                std::string::npos);
        QVERIFY(source.error().toString().find("Wayland") != std::string::npos);
    }

    /// Not an assertion: prints ms per frame for a static and a changing 1080p screen.
    void speed1080p() {
        Xvfb big;
        QVERIFY(big.start(1920, 1080));
        Painter painter(big.display);
        const xcb_window_t win = painter.window(0, 0, 1920, 1080, "bench");
        const std::vector<uint8_t> pictures[2] = {checkerboard(1920, 1080, 0),
                                                  checkerboard(1920, 1080, 1)};
        painter.paint(win, pictures[0], 1920, 1080);
        ScreenConfig c = config(big.display);
        c.canvasWidth = 1920;
        c.canvasHeight = 1080;
        auto source = ScreenSource::open(c, clock_);
        QVERIFY(source);
        constexpr int kFrames = 30;
        using Ms = std::chrono::duration<double, std::milli>;
        auto t0 = std::chrono::steady_clock::now();
        for (int i = 0; i < kFrames; ++i) {
            QVERIFY((*source)->captureFrame(i));
        }
        const double staticMs = Ms(std::chrono::steady_clock::now() - t0).count() / kFrames;
        double changingMs = 0;
        for (int i = 0; i < kFrames; ++i) {
            painter.paint(win, pictures[(i + 1) % 2], 1920, 1080);
            t0 = std::chrono::steady_clock::now();
            QVERIFY((*source)->captureFrame(kFrames + i));
            changingMs += Ms(std::chrono::steady_clock::now() - t0).count();
        }
        qInfo("ScreenSource 1080p (%s): static %.2f ms/frame, changing %.2f ms/frame",
              (*source)->stats().reused > 0 ? "reuse on" : "?", staticMs, changingMs / kFrames);
        QVERIFY((*source)->stats().reused >= kFrames - 1);
    }
};

QTEST_GUILESS_MAIN(TstScreenSource)
#include "tst_screen_source.moc"

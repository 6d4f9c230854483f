#include <QtTest>

#include <linux/videodev2.h>

#include <condition_variable>
#include <cstring>
#include <map>
#include <mutex>

#include "capture/camera_source.h"
#include "capture/v4l2_devices.h"

using namespace podium;
using namespace podium::capture;

namespace {

/// Recorded answers of a camera: formats -> sizes -> frame intervals (fps), replayed through
/// the V4l2Io interface exactly as the driver answers the enumeration ioctls.
struct FakeCamera final : V4l2Io {
    std::string card = "HD Pro Webcam C920";
    uint32_t caps = V4L2_CAP_VIDEO_CAPTURE | V4L2_CAP_STREAMING;
    std::vector<std::pair<uint32_t, std::vector<std::tuple<int, int, std::vector<int>>>>> formats;
    int calls = 0;

    int call(unsigned long request, void* arg) override {
        ++calls;
        if (request == VIDIOC_QUERYCAP) {
            auto* c = static_cast<v4l2_capability*>(arg);
            std::strncpy(reinterpret_cast<char*>(c->card), card.c_str(), sizeof c->card - 1);
            std::strncpy(reinterpret_cast<char*>(c->driver), "uvcvideo", sizeof c->driver - 1);
            c->capabilities = caps | V4L2_CAP_DEVICE_CAPS;
            c->device_caps = caps;
            return 0;
        }
        if (request == VIDIOC_ENUM_FMT) {
            auto* f = static_cast<v4l2_fmtdesc*>(arg);
            if (f->index >= formats.size()) {
                return -EINVAL;
            }
            f->pixelformat = formats[f->index].first;
            return 0;
        }
        if (request == VIDIOC_ENUM_FRAMESIZES) {
            auto* s = static_cast<v4l2_frmsizeenum*>(arg);
            const auto* sizes = sizesOf(s->pixel_format);
            if (!sizes || s->index >= sizes->size()) {
                return -EINVAL;
            }
            s->type = V4L2_FRMSIZE_TYPE_DISCRETE;
            s->discrete.width = uint32_t(std::get<0>((*sizes)[s->index]));
            s->discrete.height = uint32_t(std::get<1>((*sizes)[s->index]));
            return 0;
        }
        if (request == VIDIOC_ENUM_FRAMEINTERVALS) {
            auto* iv = static_cast<v4l2_frmivalenum*>(arg);
            const auto* sizes = sizesOf(iv->pixel_format);
            for (const auto& [w, h, rates] : sizes ? *sizes : decltype(*sizes){}) {
                if (uint32_t(w) == iv->width && uint32_t(h) == iv->height) {
                    if (iv->index >= rates.size()) {
                        return -EINVAL;
                    }
                    iv->type = V4L2_FRMIVAL_TYPE_DISCRETE;
                    iv->discrete = {1, uint32_t(rates[iv->index])};
                    return 0;
                }
            }
            return -EINVAL;
        }
        return -ENOTTY;
    }
    const std::vector<std::tuple<int, int, std::vector<int>>>* sizesOf(uint32_t fourcc) const {
        for (const auto& [f, sizes] : formats) {
            if (f == fourcc) {
                return &sizes;
            }
        }
        return nullptr;
    }
};

FakeCamera c920() {
    FakeCamera cam;
    cam.formats = {
        {V4L2_PIX_FMT_YUYV, {{640, 480, {30, 15}}, {1280, 720, {10, 5}}, {1920, 1080, {5}}}},
        {V4L2_PIX_FMT_MJPEG, {{640, 480, {30}}, {1280, 720, {30}}, {1920, 1080, {30, 24}}}}};
    return cam;
}

}  // namespace

Q_DECLARE_METATYPE(CameraMode)

class TstCameraSource : public QObject {
    Q_OBJECT

private slots:
    void probeListsModes() {
        FakeCamera cam = c920();
        auto device = probeCamera(cam, "/dev/video0");
        QVERIFY(device);
        QCOMPARE(device->card, std::string("HD Pro Webcam C920"));
        QCOMPARE(device->id(), std::string("camera:/dev/video0"));
        QCOMPARE(device->modes.size(), size_t(9));
        QCOMPARE(device->modes.front(), (CameraMode{V4L2_PIX_FMT_YUYV, 640, 480, 30}));
        QCOMPARE(device->modes.back(), (CameraMode{V4L2_PIX_FMT_MJPEG, 1920, 1080, 24}));
        QCOMPARE(device->modes.back().fourccText(), std::string("MJPG"));
    }

    void metadataNodeIsNotACamera() {
        FakeCamera meta = c920();
        meta.caps = V4L2_CAP_META_CAPTURE;
        auto device = probeCamera(meta, "/dev/video1");
        QVERIFY(!device);
        QCOMPARE(device.error().code(), ErrorCode::NotFound);
    }

    void chooseMode_data() {
        QTest::addColumn<int>("canvasW");
        QTest::addColumn<int>("canvasH");
        QTest::addColumn<double>("fps");
        QTest::addColumn<CameraMode>("expected");
        QTest::newRow("720p30 canvas: MJPEG 720p (YUYV 720p is only 10 fps)")
            << 1280 << 720 << 30.0 << CameraMode{V4L2_PIX_FMT_MJPEG, 1280, 720, 30};
        QTest::newRow("1080p30 canvas: MJPEG 1080p30")
            << 1920 << 1080 << 30.0 << CameraMode{V4L2_PIX_FMT_MJPEG, 1920, 1080, 30};
        QTest::newRow("480p canvas: smallest covering, MJPEG over YUYV")
            << 640 << 480 << 30.0 << CameraMode{V4L2_PIX_FMT_MJPEG, 640, 480, 30};
        QTest::newRow("4K canvas: largest available")
            << 3840 << 2160 << 30.0 << CameraMode{V4L2_PIX_FMT_MJPEG, 1920, 1080, 30};
        QTest::newRow("PiP-sized 320x180: 640x480 is enough")
            << 320 << 180 << 30.0 << CameraMode{V4L2_PIX_FMT_MJPEG, 640, 480, 30};
        QTest::newRow("60 fps asked, none reaches it: still the right size")
            << 1280 << 720 << 60.0 << CameraMode{V4L2_PIX_FMT_MJPEG, 1280, 720, 30};
    }
    void chooseMode() {
        QFETCH(int, canvasW);
        QFETCH(int, canvasH);
        QFETCH(double, fps);
        QFETCH(CameraMode, expected);
        FakeCamera cam = c920();
        const auto modes = probeCamera(cam, "/dev/video0")->modes;
        const auto chosen = capture::chooseMode(modes, canvasW, canvasH, fps);
        QVERIFY(chosen);
        QCOMPARE(*chosen, expected);
    }

    void yuyvOnlyCamera() {
        FakeCamera cam;
        cam.formats = {{V4L2_PIX_FMT_YUYV, {{640, 480, {30}}, {1280, 720, {10}}}}};
        const auto chosen =
            capture::chooseMode(probeCamera(cam, "/dev/video0")->modes, 1280, 720, 30);
        QCOMPARE(*chosen, (CameraMode{V4L2_PIX_FMT_YUYV, 640, 480, 30}));  // fps first
        QVERIFY(!capture::chooseMode({}, 1280, 720, 30));
    }

    void specParsing() {
        QCOMPARE(CameraConfig::fromSpec("camera")->path, std::string("/dev/video0"));
        QCOMPARE(CameraConfig::fromSpec("camera:/dev/video2")->path, std::string("/dev/video2"));
        QVERIFY(!CameraConfig::fromSpec("camera:"));
        QVERIFY(!CameraConfig::fromSpec("screen"));
    }

    void fileCaptureThenLostSlate() {
        QTemporaryDir dir;
        const QString clip = dir.path() + "/clip.mp4";
        // 1 s of a 4:3 red picture at 30 fps.
        QCOMPARE(QProcess::execute("ffmpeg",
                                   {"-v", "error", "-y", "-f", "lavfi", "-i",
                                    "color=c=red:s=320x240:r=30:d=1", "-pix_fmt", "yuv420p", clip}),
                 0);
        CameraConfig config;
        config.path = clip.toStdString();
        config.isFile = true;
        config.canvasWidth = 640;
        config.canvasHeight = 360;
        config.retryMs = 100000;  // stays lost for the rest of the test
        ManualClock clock;
        auto source = CameraSource::create(config, clock);
        QVERIFY(source);
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
                cv.wait_for(lock, std::chrono::seconds(30), [&] { return frames.size() >= 60; }));
        }
        (*source)->stop();
        QVERIFY((*source)->lost());
        const auto luma = [](const VideoFrame& f, int x, int y) {
            return int(f.plane(0)[size_t(y) * f.width + x]);
        };
        const auto v = [](const VideoFrame& f, int x, int y) {
            return int(f.plane(2)[size_t(y / 2) * f.chromaWidth() + x / 2]);
        };
        // First second: the red picture, pillarboxed (4:3 in 16:9).
        const VideoFrame& first = *frames[5];
        QCOMPARE(first.width, 640);
        QCOMPARE(first.height, 360);
        QVERIFY(std::abs(luma(first, 320, 180) - 82) < 6);
        QVERIFY(v(first, 320, 180) > 220);
        QVERIFY(luma(first, 10, 180) < 20);  // bar
        // After the end: slate frames keep coming at the frame rate with the text lit.
        const CameraSource::TextArea a = (*source)->slateTextArea();
        for (size_t i = 40; i < 60; ++i) {
            const VideoFrame& f = *frames[i];
            QCOMPARE(f.sequence, int64_t(i));
            int lit = 0;
            for (int y = a.y; y < a.y + a.height; ++y) {
                for (int x = a.x; x < a.x + a.width; ++x) {
                    lit += luma(f, x, y) > 180 ? 1 : 0;
                }
            }
            QVERIFY2(lit > 300, qPrintable(QString::number(lit)));
            QVERIFY(luma(f, 5, 5) < 60);  // dark slate background outside the text
        }
    }
};

QTEST_GUILESS_MAIN(TstCameraSource)
#include "tst_camera_source.moc"

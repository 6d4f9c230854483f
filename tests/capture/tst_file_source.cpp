#include <QtTest>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <vector>

#include "capture/file_source.h"
#include "capture/video_converter.h"

using namespace podium;
using namespace podium::capture;

namespace {

/// What a running source delivered; the test thread waits for the end or for a count.
struct Collector {
    std::mutex mutex;
    std::condition_variable changed;
    std::vector<VideoFramePtr> video;
    std::vector<AudioFramePtr> audio;
    bool ended = false;
    std::optional<Status> error;
    std::atomic<bool> stopReturned{false};
    std::atomic<int> lateCallbacks{0};

    SourceCallbacks callbacks() {
        SourceCallbacks cb;
        cb.onVideo = [this](VideoFramePtr f) { add([&] { video.push_back(std::move(f)); }); };
        cb.onAudio = [this](AudioFramePtr a) { add([&] { audio.push_back(std::move(a)); }); };
        cb.onEnd = [this] { add([&] { ended = true; }); };
        cb.onError = [this](const Status& s) { add([&] { error = s; }); };
        return cb;
    }
    template <typename F>
    void add(F f) {
        lateCallbacks += stopReturned ? 1 : 0;
        std::lock_guard lock(mutex);
        f();
        changed.notify_all();
    }
    bool waitFor(const std::function<bool()>& done) {
        std::unique_lock lock(mutex);
        return changed.wait_for(lock, std::chrono::seconds(60),
                                [&] { return done() || error.has_value(); });
    }
};

double meanLuma(const VideoFrame& f, int x0, int y0, int w, int h) {
    double sum = 0;
    for (int y = y0; y < y0 + h; ++y) {
        for (int x = x0; x < x0 + w; ++x) {
            sum += f.plane(0)[y * f.width + x];
        }
    }
    return sum / (w * h);
}

}  // namespace

class TstFileSource : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void playsTheWholeClipRetimed_data();
    void playsTheWholeClipRetimed();
    void fitsTheCanvasWithBars_data();
    void fitsTheCanvasWithBars();
    void placementKeepsAspect_data();
    void placementKeepsAspect();
    void loopKeepsTheTimelineGoing_data();
    void loopKeepsTheTimelineGoing();
    void realTimeNeverDeliversEarly();
    void refusesBadInput_data();
    void refusesBadInput();

private:
    QString make(const QString& name, const QStringList& args);
    bool haveFfmpeg_ = false;
    QTemporaryDir dir_;
};

QString TstFileSource::make(const QString& name, const QStringList& args) {
    const QString path = dir_.filePath(name);
    QProcess ffmpeg;
    ffmpeg.start("ffmpeg", QStringList{"-v", "error", "-y"} + args + QStringList{path});
    if (!ffmpeg.waitForFinished(120000) || ffmpeg.exitCode() != 0) {
        qWarning() << "ffmpeg failed:" << ffmpeg.readAllStandardError();
        return {};
    }
    return path;
}

void TstFileSource::initTestCase() {
    haveFfmpeg_ = !QStandardPaths::findExecutable("ffmpeg").isEmpty();
    if (!haveFfmpeg_) {
        return;
    }
    QVERIFY(dir_.isValid());
    // 4:3, 25 fps, x264 + AAC 44.1 kHz mono, 2 s.
    QVERIFY(!make("clip43.mp4", {"-f", "lavfi", "-i", "testsrc2=s=320x240:r=25", "-f", "lavfi",
                                 "-i", "sine=f=1000:r=44100", "-t", "2", "-c:v", "libx264",
                                 "-pix_fmt", "yuv420p", "-c:a", "aac"})
                 .isEmpty());
    // Canvas-sized raw I420 at 30 fps: the fast path.
    QVERIFY(!make("canvas.y4m", {"-f", "lavfi", "-i", "testsrc2=s=640x360:r=30", "-t", "2",
                                 "-pix_fmt", "yuv420p"})
                 .isEmpty());
    // Very wide (3.2:1), no audio: letterbox.
    QVERIFY(!make("wide.mp4", {"-f", "lavfi", "-i", "testsrc2=s=640x200:r=30", "-t", "1", "-c:v",
                               "libx264", "-pix_fmt", "yuv420p"})
                 .isEmpty());
    QVERIFY(!make("audio_only.m4a",
                  {"-f", "lavfi", "-i", "sine=f=440:r=48000", "-t", "1", "-c:a", "aac"})
                 .isEmpty());
    QFile garbage(dir_.filePath("notes.mp4"));
    QVERIFY(garbage.open(QIODevice::WriteOnly));
    garbage.write(QByteArray("these are meeting notes, not a movie\n").repeated(100));
}

void TstFileSource::playsTheWholeClipRetimed_data() {
    QTest::addColumn<QString>("file");
    QTest::addColumn<int>("fps");
    QTest::addColumn<int>("expectedFrames");
    QTest::addColumn<bool>("hasAudio");
    QTest::newRow("mp4 25 fps to 30 fps") << "clip43.mp4" << 30 << 60 << true;
    QTest::newRow("mp4 25 fps to 15 fps") << "clip43.mp4" << 15 << 30 << true;
    QTest::newRow("y4m at canvas size, 30 fps") << "canvas.y4m" << 30 << 60 << false;
}

void TstFileSource::playsTheWholeClipRetimed() {
    if (!haveFfmpeg_) {
        QSKIP("ffmpeg CLI not installed");
    }
    QFETCH(QString, file);
    QFETCH(int, fps);
    QFETCH(int, expectedFrames);
    QFETCH(bool, hasAudio);
    ManualClock clock;
    auto source = FileSource::open(
        {dir_.filePath(file).toStdString(), false, Pacing::AsFastAsPossible, 640, 360, fps, 1},
        clock);
    QVERIFY2(source.has_value(), source ? "" : source.error().toString().c_str());
    QCOMPARE((*source)->format().hasAudio, hasAudio);
    QCOMPARE((*source)->format().width, 640);
    Collector got;
    QElapsedTimer timer;
    timer.start();
    QVERIFY((*source)->start(got.callbacks()).has_value());
    QVERIFY(got.waitFor([&] { return got.ended; }));
    const double ms = double(timer.nsecsElapsed()) / 1e6;
    (*source)->stop();
    QVERIFY2(!got.error, got.error ? got.error->toString().c_str() : "");

    QVERIFY2(std::abs(int(got.video.size()) - expectedFrames) <= 1,
             qPrintable(QString::number(got.video.size())));
    const int64_t frameTicks = kVideoTimescale / fps;
    for (size_t i = 0; i < got.video.size(); ++i) {
        QCOMPARE(got.video[i]->width, 640);
        QCOMPARE(got.video[i]->height, 360);
        QCOMPARE(got.video[i]->sequence, qint64(i));
        QCOMPARE(got.video[i]->pts, (MediaTime{qint64(i) * frameTicks, kVideoTimescale}));
    }
    QCOMPARE(got.audio.empty(), !hasAudio);
    if (hasAudio) {
        int64_t samples = 0;
        for (const auto& a : got.audio) {
            QCOMPARE(a->sampleRate, 48000);
            QCOMPARE(a->channels, 2);
            QCOMPARE(a->pts, (MediaTime{samples, 48000}));
            samples += a->frameCount();
        }
        QVERIFY2(std::abs(double(samples) / 48000 - 2.0) <= 0.05,
                 qPrintable(QString::number(samples)));
    }
    qInfo("%s: %zu frames in %.1f ms (%.0f fps)", qPrintable(file), got.video.size(), ms,
          got.video.size() * 1000.0 / ms);
}

void TstFileSource::fitsTheCanvasWithBars_data() {
    QTest::addColumn<QString>("file");
    QTest::addColumn<QRect>("picture");  // where the picture must land on the 640x360 canvas
    QTest::newRow("4:3 pillarbox") << "clip43.mp4" << QRect(80, 0, 480, 360);
    QTest::newRow("3.2:1 letterbox") << "wide.mp4" << QRect(0, 80, 640, 200);
}

void TstFileSource::fitsTheCanvasWithBars() {
    if (!haveFfmpeg_) {
        QSKIP("ffmpeg CLI not installed");
    }
    QFETCH(QString, file);
    QFETCH(QRect, picture);
    ManualClock clock;
    auto source = FileSource::open(
        {dir_.filePath(file).toStdString(), false, Pacing::AsFastAsPossible, 640, 360, 30, 1},
        clock);
    QVERIFY(source.has_value());
    Collector got;
    QVERIFY((*source)->start(got.callbacks()).has_value());
    QVERIFY(got.waitFor([&] { return got.video.size() >= 5; }));
    (*source)->stop();
    const VideoFrame& f = *got.video[3];
    // Bars are black (limited-range 16), the picture (testsrc2) is not.
    if (picture.x() > 0) {
        QVERIFY(meanLuma(f, 0, 0, picture.x() - 2, 360) < 17);
        QVERIFY(meanLuma(f, picture.right() + 3, 0, 640 - picture.right() - 3, 360) < 17);
    } else {
        QVERIFY(meanLuma(f, 0, 0, 640, picture.y() - 2) < 17);
        QVERIFY(meanLuma(f, 0, picture.bottom() + 3, 640, 360 - picture.bottom() - 3) < 17);
    }
    QVERIFY(meanLuma(f, picture.x() + 4, picture.y() + 4, picture.width() - 8,
                     picture.height() - 8) > 40);
}

void TstFileSource::placementKeepsAspect_data() {
    QTest::addColumn<QSize>("input");
    QTest::addColumn<QSize>("sampleAspect");
    QTest::addColumn<QRect>("expected");  // on a 1280x720 canvas
    QTest::newRow("same size") << QSize(1280, 720) << QSize(1, 1) << QRect(0, 0, 1280, 720);
    QTest::newRow("smaller 16:9 is scaled up")
        << QSize(640, 360) << QSize(1, 1) << QRect(0, 0, 1280, 720);
    QTest::newRow("4:3 pillarbox") << QSize(640, 480) << QSize(1, 1) << QRect(160, 0, 960, 720);
    QTest::newRow("2.39:1 letterbox") << QSize(1920, 804) << QSize(1, 1) << QRect(0, 92, 1280, 536);
    QTest::newRow("PAL 16:9 anamorphic")
        << QSize(720, 576) << QSize(64, 45) << QRect(0, 0, 1280, 720);
    QTest::newRow("unknown sample aspect")
        << QSize(640, 480) << QSize(0, 1) << QRect(160, 0, 960, 720);
}

void TstFileSource::placementKeepsAspect() {
    QFETCH(QSize, input);
    QFETCH(QSize, sampleAspect);
    QFETCH(QRect, expected);
    const auto p = VideoConverter::place(input.width(), input.height(), sampleAspect.width(),
                                         sampleAspect.height(), 1280, 720);
    QCOMPARE(QRect(p.x, p.y, p.width, p.height), expected);
}

void TstFileSource::loopKeepsTheTimelineGoing_data() {
    QTest::addColumn<QString>("file");
    QTest::newRow("mp4 with audio (seek)") << "clip43.mp4";
    QTest::newRow("y4m, video only") << "canvas.y4m";
}

void TstFileSource::loopKeepsTheTimelineGoing() {
    if (!haveFfmpeg_) {
        QSKIP("ffmpeg CLI not installed");
    }
    QFETCH(QString, file);
    ManualClock clock;
    auto source = FileSource::open(
        {dir_.filePath(file).toStdString(), true, Pacing::AsFastAsPossible, 640, 360, 30, 1},
        clock);
    QVERIFY(source.has_value());
    Collector got;
    QVERIFY((*source)->start(got.callbacks()).has_value());
    QVERIFY(got.waitFor([&] { return got.video.size() >= 150; }));  // 5 s of a 2 s clip
    (*source)->stop();
    got.stopReturned = true;
    std::lock_guard lock(got.mutex);
    QVERIFY(!got.ended);
    QVERIFY(!got.error);
    for (size_t i = 0; i < got.video.size(); ++i) {
        QCOMPARE(got.video[i]->pts, (MediaTime{qint64(i) * 3000, kVideoTimescale}));
    }
    int64_t samples = 0;
    for (const auto& a : got.audio) {
        QCOMPARE(a->pts.value, samples);
        samples += a->frameCount();
    }
    // Audio kept pace with video across two seams (within one 10 ms frame + a seam's slack).
    const double videoSeconds = got.video.back()->pts.seconds();
    QVERIFY2(got.audio.empty() || std::abs(double(samples) / 48000 - videoSeconds) < 0.1,
             qPrintable(QString("%1 vs %2").arg(double(samples) / 48000).arg(videoSeconds)));
    // After the seam the clip starts again: frame 0 and the first frame of pass 2 look alike.
    const auto& first = *got.video[0];
    bool seamFound = false;
    for (size_t i = 55; i < 70 && !seamFound; ++i) {
        seamFound = got.video[i]->data == first.data;
    }
    QVERIFY2(seamFound, "the picture restarts after ~2 s");
    QCOMPARE(got.lateCallbacks.load(), 0);
}

void TstFileSource::realTimeNeverDeliversEarly() {
    if (!haveFfmpeg_) {
        QSKIP("ffmpeg CLI not installed");
    }
    ManualClock clock;
    auto source = FileSource::open(
        {dir_.filePath("clip43.mp4").toStdString(), false, Pacing::RealTime, 320, 180, 30, 1},
        clock);
    QVERIFY(source.has_value());
    std::vector<std::pair<MediaTime, MediaTime>> seen;  // (pts, clock at delivery)
    std::mutex mutex;
    Collector got;
    SourceCallbacks cb = got.callbacks();
    cb.onVideo = [&](VideoFramePtr f) {
        {
            std::lock_guard lock(mutex);
            seen.emplace_back(f->pts, clock.now());
        }
        got.add([&] { got.video.push_back(std::move(f)); });
    };
    QVERIFY((*source)->start(cb).has_value());
    QVERIFY(got.waitFor([&] { return got.ended; }));
    (*source)->stop();
    QCOMPARE(int(seen.size()), 60);
    for (const auto& [pts, at] : seen) {
        QVERIFY(at >= pts);
    }
}

void TstFileSource::refusesBadInput_data() {
    QTest::addColumn<QString>("file");
    QTest::addColumn<QString>("expected");
    QTest::newRow("missing file") << "missing/none.mp4"
                                  << "cannot open: No such file";
    QTest::newRow("text, not media") << "notes.mp4"
                                     << "cannot open";
    QTest::newRow("audio only") << "audio_only.m4a"
                                << "no video stream";
}

void TstFileSource::refusesBadInput() {
    if (!haveFfmpeg_) {
        QSKIP("ffmpeg CLI not installed");
    }
    QFETCH(QString, file);
    QFETCH(QString, expected);
    ManualClock clock;
    const std::string path = dir_.filePath(file).toStdString();
    auto source = FileSource::open({path, false, Pacing::RealTime, 640, 360, 30, 1}, clock);
    QVERIFY(!source.has_value());
    const QString message = QString::fromStdString(source.error().toString());
    QVERIFY2(message.startsWith(QString::fromStdString("file source \"" + path + "\": ")),
             qPrintable(message));
    QVERIFY2(message.contains(expected), qPrintable(message));
}

QTEST_GUILESS_MAIN(TstFileSource)
#include "tst_file_source.moc"

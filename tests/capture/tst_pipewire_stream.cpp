// The PipeWire frame path: a real PipeWire node made by GStreamer (videotestsrc ! pipewiresink)
// inside the headless Wayland session's PipeWire, read by PipeWireStream as the portal's stream
// would be: the size and pixel order negotiated, the colours exact, and the end of the stream
// noticed when the producer goes away.
#include <QtTest>

#include <signal.h>
#include <sys/socket.h>
#include <sys/un.h>

#include <array>
#include <atomic>
#include <mutex>

#include "capture/pipewire_stream.h"
#include "wayland_session.h"

using namespace podium;
using namespace podium::capture;

namespace {

/// Mean R, G, B of a 4-byte-per-pixel picture in `layout`.
std::array<double, 3> meanRgb(const PipeWireFrame& f) {
    // Byte index of R, G, B in each layout.
    int r = 2, g = 1, b = 0;
    switch (f.layout) {
        case PixelLayout::Bgrx:
        case PixelLayout::Bgra:
            r = 2, g = 1, b = 0;
            break;
        case PixelLayout::Rgbx:
        case PixelLayout::Rgba:
            r = 0, g = 1, b = 2;
            break;
        case PixelLayout::Xrgb:
            r = 1, g = 2, b = 3;
            break;
        case PixelLayout::Xbgr:
            r = 3, g = 2, b = 1;
            break;
    }
    std::array<double, 3> sum{};
    for (int y = 0; y < f.height; ++y) {
        const uint8_t* row = f.pixels + size_t(y) * f.stride;
        for (int x = 0; x < f.width; ++x) {
            sum[0] += row[x * 4 + r];
            sum[1] += row[x * 4 + g];
            sum[2] += row[x * 4 + b];
        }
    }
    const double n = double(f.width) * f.height;
    return {sum[0] / n, sum[1] / n, sum[2] / n};
}

/// A connection to the session's PipeWire socket, as OpenPipeWireRemote hands one over.
UniqueFd connectToPipeWire(const QString& runtimeDir) {
    UniqueFd fd(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    const QByteArray path = (runtimeDir + "/pipewire-0").toUtf8();
    if (!fd.valid() || size_t(path.size()) >= sizeof addr.sun_path) {
        return {};
    }
    std::memcpy(addr.sun_path, path.constData(), size_t(path.size()));
    if (::connect(fd.get(), reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
        return {};
    }
    return fd;
}

struct Received {
    std::mutex mutex;
    int frames = 0;
    int width = 0;
    int height = 0;
    PixelLayout layout = PixelLayout::Bgrx;
    std::array<double, 3> rgb{};
};

}  // namespace

class TstPipeWireStream : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void framesFromANode_data();
    void framesFromANode();
    void theEndOfTheStreamIsNoticed();
    void aMissingNodeIsReported();
    void pipeWireGoingAwayIsReported();  // last: ends the session's PipeWire

private:
    bool startProducer(QProcess& producer, const QString& format, const QString& name);
    /// Links the producer's output port to the reader's input port with pw-link, retrying
    /// until both nodes have appeared. (WirePlumber's policy does not link a stream to
    /// pipewiresink's node; it does link the portal's node, which the e2e test covers.)
    bool link(const QString& producer, const QString& reader);
    WaylandSession session_;
};

void TstPipeWireStream::initTestCase() {
    const auto outcome = session_.start({"--no-painter"});
    if (outcome == WaylandSession::Outcome::Unavailable) {
        QSKIP(qPrintable("no headless Wayland session on this machine: " + session_.problem()));
    }
    QVERIFY2(outcome == WaylandSession::Outcome::Started, qPrintable(session_.problem()));
    if (QStandardPaths::findExecutable("gst-launch-1.0").isEmpty()) {
        QSKIP("gst-launch-1.0 is not installed (gstreamer1.0-tools)");
    }
}

bool TstPipeWireStream::startProducer(QProcess& producer, const QString& format,
                                      const QString& name) {
    producer.setProcessEnvironment(session_.env());
    producer.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    // A solid 48,80,208 picture (ARGB 0xff3050d0), 30 frames a second, as a Video/Source node.
    producer.start(
        "gst-launch-1.0",
        {"-q", "videotestsrc", "is-live=true", "pattern=solid-color", "foreground-color=0xff3050d0",
         "!", "video/x-raw,format=" + format + ",width=640,height=360,framerate=30/1", "!",
         "pipewiresink", "mode=provide",
         "stream-properties=props,media.class=Video/Source,node.name=" + name});
    return producer.waitForStarted(5000);
}

bool TstPipeWireStream::link(const QString& producer, const QString& reader) {
    QDeadlineTimer deadline(15000);
    while (!deadline.hasExpired()) {
        QProcess pwLink;
        pwLink.setProcessEnvironment(session_.env());
        pwLink.start("pw-link", {producer + ":out_0", reader + ":in_0"});
        pwLink.waitForFinished(5000);
        if (pwLink.exitStatus() == QProcess::NormalExit && pwLink.exitCode() == 0) {
            return true;
        }
        QTest::qWait(100);
    }
    QProcess ports;
    ports.setProcessEnvironment(session_.env());
    ports.start("pw-link", {"-o", "-i"});
    ports.waitForFinished(5000);
    qWarning("ports: %s", ports.readAllStandardOutput().constData());
    return false;
}

void TstPipeWireStream::framesFromANode_data() {
    QTest::addColumn<QString>("format");
    QTest::addColumn<int>("layout");
    QTest::newRow("BGRx, what the wlroots portal sends") << "BGRx" << int(PixelLayout::Bgrx);
    QTest::newRow("RGBx") << "RGBx" << int(PixelLayout::Rgbx);
    QTest::newRow("xRGB") << "xRGB" << int(PixelLayout::Xrgb);
    QTest::newRow("BGRA, with alpha") << "BGRA" << int(PixelLayout::Bgra);
}

void TstPipeWireStream::framesFromANode() {
    QFETCH(QString, format);
    QFETCH(int, layout);
    const QString name = "podium-test-" + format.toLower();
    QProcess producer;
    QVERIFY(startProducer(producer, format, name));

    Received got;
    PipeWireStreamConfig config;
    config.remote = connectToPipeWire(session_.value("PIPEWIRE_RUNTIME_DIR"));
    QVERIFY(config.remote.valid());
    config.name = ("podium-reader-" + format.toLower()).toStdString();
    config.targetObject = name.toStdString();
    config.autoconnect = false;  // linked below
    auto stream = PipeWireStream::connect(std::move(config), [&got](const PipeWireFrame& f) {
        const auto rgb = meanRgb(f);
        std::lock_guard lock(got.mutex);
        ++got.frames;
        got.width = f.width;
        got.height = f.height;
        got.layout = f.layout;
        got.rgb = rgb;
    });
    QVERIFY2(stream, stream ? "" : stream.error().toString().c_str());
    const auto frames = [&got] {
        std::lock_guard lock(got.mutex);
        return got.frames;
    };
    QVERIFY2(link(name, QString::fromStdString("podium-reader-" + format.toLower().toStdString())),
             "pw-link could not link the producer to the stream");
    QTRY_VERIFY2_WITH_TIMEOUT(frames() >= 10, qPrintable(QString("%1 frames").arg(frames())),
                              15000);
    QCOMPARE((*stream)->state(), PipeWireStream::State::Streaming);
    std::lock_guard lock(got.mutex);
    QCOMPARE(got.width, 640);
    QCOMPARE(got.height, 360);
    QCOMPARE(int(got.layout), layout);
    QCOMPARE((*stream)->format().pixelFormat, std::string(pixelLayoutName(PixelLayout(layout))));
    QVERIFY2(std::abs(got.rgb[0] - 48) < 1 && std::abs(got.rgb[1] - 80) < 1 &&
                 std::abs(got.rgb[2] - 208) < 1,
             qPrintable(QString("mean %1,%2,%3").arg(got.rgb[0]).arg(got.rgb[1]).arg(got.rgb[2])));
    QCOMPARE((*stream)->stats().rejected, int64_t(0));
    producer.terminate();
    producer.waitForFinished(5000);
}

void TstPipeWireStream::theEndOfTheStreamIsNoticed() {
    QProcess producer;
    QVERIFY(startProducer(producer, "BGRx", "podium-test-end"));
    std::atomic<int> frames{0};
    PipeWireStreamConfig config;
    config.remote = connectToPipeWire(session_.value("PIPEWIRE_RUNTIME_DIR"));
    config.name = "podium-reader-end";
    config.targetObject = "podium-test-end";
    config.autoconnect = false;
    auto stream =
        PipeWireStream::connect(std::move(config), [&frames](const PipeWireFrame&) { ++frames; });
    QVERIFY(stream);
    QVERIFY(link("podium-test-end", "podium-reader-end"));
    QTRY_VERIFY_WITH_TIMEOUT(frames >= 3, 15000);
    QVERIFY(!(*stream)->ended());
    producer.kill();  // the node disappears, as when the portal stops sharing
    producer.waitForFinished(5000);
    QTRY_VERIFY_WITH_TIMEOUT((*stream)->ended().has_value(), 10000);
    const auto state = (*stream)->state();
    QVERIFY(state == PipeWireStream::State::Ended || state == PipeWireStream::State::Failed);
    QVERIFY2((*stream)->ended()->toString().find("PipeWire") != std::string::npos,
             (*stream)->ended()->toString().c_str());
}

void TstPipeWireStream::aMissingNodeIsReported() {
    PipeWireStreamConfig config;
    config.remote = connectToPipeWire(session_.value("PIPEWIRE_RUNTIME_DIR"));
    config.nodeId = 9999;  // no such node
    auto stream = PipeWireStream::connect(std::move(config), [](const PipeWireFrame&) {});
    QVERIFY(stream);
    QTRY_VERIFY_WITH_TIMEOUT((*stream)->ended().has_value(), 10000);
    QCOMPARE((*stream)->stats().frames, int64_t(0));
}

void TstPipeWireStream::pipeWireGoingAwayIsReported() {
    QProcess producer;
    QVERIFY(startProducer(producer, "BGRx", "podium-test-gone"));
    std::atomic<int> frames{0};
    PipeWireStreamConfig config;
    config.remote = connectToPipeWire(session_.value("PIPEWIRE_RUNTIME_DIR"));
    config.name = "podium-reader-gone";
    config.targetObject = "podium-test-gone";
    config.autoconnect = false;
    auto stream =
        PipeWireStream::connect(std::move(config), [&frames](const PipeWireFrame&) { ++frames; });
    QVERIFY(stream);
    QVERIFY(link("podium-test-gone", "podium-reader-gone"));
    QTRY_VERIFY_WITH_TIMEOUT(frames >= 3, 15000);
    const qint64 pipewire = session_.pid("pipewire");
    QVERIFY(pipewire > 0);
    QCOMPARE(::kill(pid_t(pipewire), SIGKILL), 0);
    QTRY_VERIFY_WITH_TIMEOUT((*stream)->ended().has_value(), 10000);
    QCOMPARE((*stream)->state(), PipeWireStream::State::Failed);
    QVERIFY2((*stream)->ended()->toString().find("PipeWire went away") != std::string::npos,
             (*stream)->ended()->toString().c_str());
    producer.kill();
    producer.waitForFinished(5000);
}

QTEST_GUILESS_MAIN(TstPipeWireStream)
#include "tst_pipewire_stream.moc"

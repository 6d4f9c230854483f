// `--source` parsing and the choice `--source screen` makes between the desktop portal
// (Wayland) and X11, with its reason in words; `--latency-probe` on a real file source.
#include <QtTest>

#include <condition_variable>
#include <map>
#include <mutex>

#include "app/session/source_spec.h"
#include "capture/latency_strip.h"
#include "core/clock.h"
#include "encoder/preset.h"

using namespace podium;
using namespace podium::app;

class TstSourceSpec : public QObject {
    Q_OBJECT
private slots:
    void parse_data();
    void parse();
    void screenPath_data();
    void screenPath();
    void tokenFileFollowsXdgStateHome();
    void openErrorsSayWhatFailed_data();
    void openErrorsSayWhatFailed();
    void latencyProbeMarksEveryPicture();
};

void TstSourceSpec::parse_data() {
    QTest::addColumn<QString>("text");
    QTest::addColumn<int>("kind");  // 0 = refused
    QTest::addColumn<bool>("chooseAgain");
    QTest::newRow("screen: decided when opened")
        << "screen" << int(SourceSpec::Kind::Screen) << false;
    QTest::newRow("an X11 display forces X11")
        << "screen:0" << int(SourceSpec::Kind::Screen) << false;
    QTest::newRow("portal forces the portal") << "portal" << int(SourceSpec::Kind::Portal) << false;
    QTest::newRow("portal:choose asks again")
        << "portal:choose" << int(SourceSpec::Kind::Portal) << true;
    QTest::newRow("an unknown portal form") << "portal:maybe" << 0 << false;
}

void TstSourceSpec::parse() {
    QFETCH(QString, text);
    QFETCH(int, kind);
    QFETCH(bool, chooseAgain);
    auto spec = SourceSpec::parse(text.toStdString());
    if (kind == 0) {
        QVERIFY(!spec);
        QVERIFY2(spec.error().toString().find("portal[:choose]") != std::string::npos,
                 spec.error().toString().c_str());
        return;
    }
    QVERIFY2(spec, spec ? "" : spec.error().toString().c_str());
    QCOMPARE(int(spec->kind), kind);
    QCOMPARE(spec->chooseAgain, chooseAgain);
}

void TstSourceSpec::screenPath_data() {
    QTest::addColumn<QString>("waylandDisplay");
    QTest::addColumn<QString>("sessionType");
    QTest::addColumn<QString>("display");
    QTest::addColumn<bool>("portal");
    QTest::addColumn<QString>("reason");
    QTest::newRow("GNOME on Wayland (XWayland's DISPLAY too)")
        << "wayland-0"
        << "wayland"
        << ":0" << true << "Wayland session (WAYLAND_DISPLAY=wayland-0)";
    QTest::newRow("only the session type says Wayland")
        << ""
        << "wayland"
        << "" << true << "Wayland session (XDG_SESSION_TYPE=wayland)";
    QTest::newRow("an X11 session") << ""
                                    << "x11"
                                    << ":0" << false << "X11 session (DISPLAY=:0)";
    QTest::newRow("nothing at all (ssh)") << ""
                                          << "tty"
                                          << "" << false << "no Wayland session";
}

void TstSourceSpec::screenPath() {
    QFETCH(QString, waylandDisplay);
    QFETCH(QString, sessionType);
    QFETCH(QString, display);
    QFETCH(bool, portal);
    QFETCH(QString, reason);
    const std::map<std::string, std::string> env{{"WAYLAND_DISPLAY", waylandDisplay.toStdString()},
                                                 {"XDG_SESSION_TYPE", sessionType.toStdString()},
                                                 {"DISPLAY", display.toStdString()}};
    const ScreenPath path = chooseScreenPath([&env](const char* name) -> const char* {
        auto it = env.find(name);
        return it == env.end() || it->second.empty() ? nullptr : it->second.c_str();
    });
    QCOMPARE(path.portal, portal);
    QVERIFY2(QString::fromStdString(path.reason).startsWith(reason), path.reason.c_str());
}

void TstSourceSpec::tokenFileFollowsXdgStateHome() {
    qputenv("XDG_STATE_HOME", "/tmp/podium-state");
    QCOMPARE(defaultPortalTokenFile(), std::string("/tmp/podium-state/podium/portal-token"));
    qunsetenv("XDG_STATE_HOME");
    qputenv("HOME", "/home/speaker");
    QCOMPARE(defaultPortalTokenFile(),
             std::string("/home/speaker/.local/state/podium/portal-token"));
}

void TstSourceSpec::openErrorsSayWhatFailed_data() {
    QTest::addColumn<QString>("source");
    QTest::addColumn<QString>("audio");
    QTest::addColumn<int>("subject");
    // (A camera that is not there does not fail: it shows a slate until it comes back.)
    QTest::newRow("a file that is not there") << "file:/nonexistent/talk.mp4"
                                              << "none" << int(Subject::File);
    QTest::newRow("an X11 display that is not there") << "screen:97"
                                                      << "none" << int(Subject::Screen);
    // The test pattern is fine; the sound server is what failed.
    QTest::newRow("a microphone whose sound server is not there")
        << "testpattern"
        << "pulse" << int(Subject::Microphone);
}

void TstSourceSpec::openErrorsSayWhatFailed() {
    QFETCH(QString, source);
    QFETCH(QString, audio);
    QFETCH(int, subject);
    // What the studio's sentence is chosen by (problem_text): the subject, not the message.
    qputenv("PULSE_SERVER", "unix:/nonexistent/pulse/native");
    auto spec = SourceSpec::parse(source.toStdString());
    QVERIFY2(spec, spec ? "" : spec.error().toString().c_str());
    auto preset = encoder::findPreset("User group 720p");
    QVERIFY(preset);
    SourceOptions options;
    options.audio = *AudioSpec::parse(audio.toStdString());
    SteadyClock clock;
    auto opened = openSource(*spec, *preset, options, clock);
    qunsetenv("PULSE_SERVER");
    QVERIFY(!opened);
    QCOMPARE(int(opened.error().subject()), subject);
}

// A file played with --latency-probe (and a live title, as the GUI opens it): every picture
// carries the strip, saying when it reached the probe; the scene still changes while live;
// the test pattern keeps its own strip (no second one on top).
void TstSourceSpec::latencyProbeMarksEveryPicture() {
    QTemporaryDir dir;
    const QString clip = dir.filePath("clip.mp4");
    QProcess ffmpeg;
    ffmpeg.start("ffmpeg", {"-v", "error", "-y", "-f", "lavfi", "-i", "testsrc2=s=640x360:r=30",
                            "-t", "2", "-c:v", "libx264", "-pix_fmt", "yuv420p", clip});
    QVERIFY(ffmpeg.waitForFinished(60000) && ffmpeg.exitCode() == 0);
    auto preset = encoder::findPreset("Low bandwidth");
    QVERIFY(preset);
    auto spec = SourceSpec::parse("file:" + clip.toStdString());
    QVERIFY(spec);
    SourceOptions options;
    options.audio = *AudioSpec::parse("none");
    options.latencyProbe = true;
    options.editableScene = true;
    SteadyClock clock;
    // Declared before the source: a failed check returns early and the source's thread must
    // not outlive what its callbacks use.
    std::mutex mutex;
    std::condition_variable changed;
    int pictures = 0;
    int marked = 0;
    int64_t worstAgeMs = 0;
    bool failed = false;
    auto opened = openSource(*spec, *preset, options, clock);
    QVERIFY2(opened, opened ? "" : opened.error().toString().c_str());
    QVERIFY2((*opened)->describe().find("latency probe") != std::string::npos,
             (*opened)->describe().c_str());

    capture::SourceCallbacks callbacks;
    callbacks.onVideo = [&](VideoFramePtr frame) {
        const auto strip = capture::readLatencyStrip(*frame);
        const int64_t age =
            strip ? capture::latencyStripAge(*strip, wallClockMillis()) : int64_t(-1);
        std::lock_guard lock(mutex);
        ++pictures;
        marked += strip && age >= 0 ? 1 : 0;
        worstAgeMs = std::max(worstAgeMs, age);
        changed.notify_all();
    };
    callbacks.onError = [&](const Status&) {
        std::lock_guard lock(mutex);
        failed = true;
        changed.notify_all();
    };
    QVERIFY((*opened)->start(callbacks).has_value());
    SceneSettings before = options.scene();
    SceneSettings after = before;
    after.title = "Questions welcome";
    QVERIFY(applyScene(**opened, before, after, *preset, clock).has_value());
    {
        std::unique_lock lock(mutex);
        QVERIFY(changed.wait_for(lock, std::chrono::seconds(30),
                                 [&] { return failed || pictures >= 45; }));
        QVERIFY(!failed);
    }
    (*opened)->stop();
    QVERIFY2(pictures >= 40, qPrintable(QString::number(pictures)));
    QCOMPARE(marked, pictures);
    QVERIFY2(worstAgeMs < 1000, qPrintable(QString::number(worstAgeMs)));

    // The test pattern draws its own strip; composed (a live scene: a top-right webcam could
    // cover it), the probe draws it again on top.
    auto composed = openSource(*SourceSpec::parse("testpattern"), *preset, options, clock);
    QVERIFY(composed);
    QVERIFY((*composed)->describe().find("latency probe") != std::string::npos);
    options.editableScene = false;
    options.latencyProbe = false;
    auto plain = openSource(*SourceSpec::parse("testpattern"), *preset, options, clock);
    QVERIFY(plain);
    QVERIFY((*plain)->describe().find("latency probe") == std::string::npos);
}

QTEST_GUILESS_MAIN(TstSourceSpec)
#include "tst_source_spec.moc"

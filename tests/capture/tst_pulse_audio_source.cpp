#include <QtTest>

#include "test_servers.h"

#include <cmath>
#include <condition_variable>
#include <mutex>
#include <numbers>
#include <random>
#include <vector>

#include "capture/drift_controller.h"
#include "capture/pulse_audio_source.h"

using namespace podium;
using namespace podium::capture;

namespace {

/// Power of `hz` in channel 0 of `samples` (interleaved stereo), Goertzel, normalised.
double goertzel(const std::vector<float>& samples, double hz, int rate) {
    const double k = 2.0 * std::cos(2.0 * std::numbers::pi * hz / rate);
    double s1 = 0;
    double s2 = 0;
    const size_t n = samples.size() / 2;
    for (size_t i = 0; i < n; ++i) {
        const double s0 = samples[i * 2] + k * s1 - s2;
        s2 = s1;
        s1 = s0;
    }
    return (s1 * s1 + s2 * s2 - k * s1 * s2) / (double(n) * n);
}

/// Simulates `hours` of capture from a device whose crystal runs `ppm` fast (>0) or slow,
/// with +-`jitterMs` of latency noise on every measurement; returns the largest |error| (s)
/// between the corrected output timeline and the clock after the first minute.
double simulate(double ppm, double jitterMs, bool correct, double hours = 1.0) {
    DriftController controller;
    std::mt19937 rng(42);
    std::uniform_real_distribution<double> jitter(-jitterMs / 1000, jitterMs / 1000);
    const int block = 480;
    const double rate = 48000;
    double clock = 0;   // true capture time of the block end
    double output = 0;  // output samples produced (fractional, as the resampler would)
    double worst = 0;
    const int64_t blocks = int64_t(hours * 3600 * 100);
    for (int64_t i = 0; i < blocks; ++i) {
        const double c = correct ? controller.correction() : 0.0;
        output += block * (1.0 + c);
        clock += block / (rate * (1.0 + ppm * 1e-6));
        controller.observe(output / rate, clock + jitter(rng), block / rate);
        if (clock > 60.0) {
            worst = std::max(worst, std::abs(output / rate - clock));
        }
    }
    return worst;
}

struct Collector {
    std::mutex mutex;
    std::condition_variable changed;
    std::vector<AudioFramePtr> frames;

    SourceCallbacks callbacks() {
        SourceCallbacks cb;
        cb.onAudio = [this](AudioFramePtr f) {
            std::lock_guard lock(mutex);
            frames.push_back(std::move(f));
            changed.notify_all();
        };
        return cb;
    }
    bool waitFor(size_t count) {
        std::unique_lock lock(mutex);
        return changed.wait_for(lock, std::chrono::seconds(30),
                                [&] { return frames.size() >= count; });
    }
};

}  // namespace

class TstPulseAudioSource : public QObject {
    Q_OBJECT

private slots:
    void driftStaysWithin40ms_data() {
        QTest::addColumn<double>("ppm");
        QTest::newRow("device 200 ppm fast") << 200.0;
        QTest::newRow("device 200 ppm slow") << -200.0;
        QTest::newRow("device exact") << 0.0;
        QTest::newRow("device 1000 ppm fast") << 1000.0;
    }
    void driftStaysWithin40ms() {
        QFETCH(double, ppm);
        const double corrected = simulate(ppm, 3.0, true);
        qInfo("%+.0f ppm over an hour: worst error %.1f ms corrected", ppm, corrected * 1000);
        QVERIFY2(corrected < 0.040, qPrintable(QString::number(corrected)));
        if (ppm != 0) {  // without correction the same device would be far off
            QVERIFY(simulate(ppm, 3.0, false) > 0.3);
        }
    }

    void specParsing() {
        QVERIFY(PulseConfig::fromSpec("pulse"));
        QCOMPARE(PulseConfig::fromSpec("pulse:alsa_input.usb")->device,
                 std::string("alsa_input.usb"));
        QVERIFY(!PulseConfig::fromSpec("pulse:"));
        QVERIFY(!PulseConfig::fromSpec("alsa"));
    }

    void noServerIsAClearError() {
        ManualClock clock;
        auto source = PulseAudioSource::open({"unix:/nonexistent/pulse.sock", ""}, clock);
        QVERIFY(!source);
        QCOMPARE(source.error().code(), ErrorCode::Unavailable);
        QVERIFY(!listAudioSources("unix:/nonexistent/pulse.sock"));
    }

    void capturesToneFromNullSinkMonitor() {
        if (QStandardPaths::findExecutable("pulseaudio").isEmpty() ||
            QStandardPaths::findExecutable("paplay").isEmpty()) {
            QSKIP("pulseaudio/paplay not installed");
        }
        PulseServer server;
        QVERIFY2(server.start(), server.errorOutput().constData());
        const std::string address = server.address().toStdString();

        auto devices = listAudioSources(address);
        QVERIFY2(devices, devices ? "" : devices.error().toString().c_str());
        const auto monitor = std::find_if(devices->begin(), devices->end(), [](const auto& d) {
            return d.name == "podium_null.monitor";
        });
        QVERIFY(monitor != devices->end());
        QVERIFY(monitor->isMonitor);
        QCOMPARE(monitor->id(), std::string("pulse:podium_null.monitor"));

        const QString wav = server.runtimeDir() + "/tone.wav";
        QCOMPARE(QProcess::execute("ffmpeg", {"-v", "error", "-y", "-f", "lavfi", "-i",
                                              "sine=frequency=1000:sample_rate=48000:duration=20",
                                              "-ac", "2", wav}),
                 0);

        SteadyClock clock;
        auto source = PulseAudioSource::open({address, "podium_null.monitor"}, clock);
        QVERIFY2(source, source ? "" : source.error().toString().c_str());
        QVERIFY((*source)->format().hasAudio);
        Collector silence;
        QVERIFY((*source)->start(silence.callbacks()));
        QVERIFY(silence.waitFor(20));
        QVERIFY2((*source)->peakDbfs() < -60.0f,
                 qPrintable(QString::number((*source)->peakDbfs())));
        (*source)->stop();

        Collector tone;
        QVERIFY((*source)->start(tone.callbacks()));
        QProcess player;
        player.setProcessEnvironment(server.env());
        player.start("paplay", {"--device=podium_null", wav});
        QVERIFY(player.waitForStarted(5000));
        // Wait for the tone to arrive, then for one more second of it.
        size_t toneStart = 0;
        for (size_t seen = 0; toneStart == 0 && tone.waitFor(seen + 1);) {
            std::lock_guard lock(tone.mutex);
            for (; seen < tone.frames.size(); ++seen) {
                const float first = std::abs(tone.frames[seen]->samples[100]);
                if (first > 0.01f && seen > 0) {
                    toneStart = seen;
                    break;
                }
            }
            QVERIFY(tone.frames.size() < 3000);  // 30 s: the tone never came
        }
        QVERIFY(tone.waitFor(toneStart + 110));
        const float level = (*source)->levelDbfs();
        (*source)->stop();
        player.kill();
        player.waitForFinished(5000);

        std::vector<float> samples;
        for (size_t i = toneStart + 10; i < toneStart + 110; ++i) {
            samples.insert(samples.end(), tone.frames[i]->samples.begin(),
                           tone.frames[i]->samples.end());
        }
        const double at1k = goertzel(samples, 1000, 48000);
        for (double other : {250.0, 500.0, 900.0, 1100.0, 2000.0, 4000.0}) {
            QVERIFY2(at1k > 100 * goertzel(samples, other, 48000),
                     qPrintable(QString::number(other)));
        }
        QVERIFY2(level > -40.0f, qPrintable(QString::number(level)));
        // Frames are 10 ms each and contiguous on the sample-count timeline.
        for (size_t i = 1; i < tone.frames.size(); ++i) {
            QCOMPARE(tone.frames[i]->frameCount(), 480);
            QCOMPARE(tone.frames[i]->pts.value, tone.frames[i - 1]->pts.value + 480);
        }
        qInfo("tone level %.1f dBFS RMS, clock error %.1f ms", double(level),
              (*source)->driftErrorMs());
    }
};

QTEST_GUILESS_MAIN(TstPulseAudioSource)
#include "tst_pulse_audio_source.moc"

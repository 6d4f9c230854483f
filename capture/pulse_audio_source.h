#pragma once

#include <atomic>
#include <memory>
#include <string>
#include <vector>

#include "capture/drift_controller.h"
#include "capture/media_source.h"
#include "capture/source_thread.h"
#include "core/clock.h"

struct pa_simple;

namespace podium::capture {

struct PulseConfig {
    std::string server;  ///< e.g. "unix:/run/user/1000/pulse/native"; "" = default/$PULSE_SERVER
    std::string device;  ///< source name (a sink's "<sink>.monitor" too); "" = default source

    /// Parses `pulse` and `pulse:DEVICE`.
    static Result<PulseConfig> fromSpec(const std::string& spec);
};

/// One PulseAudio (or PipeWire-pulse) capture device.
struct AudioDeviceInfo {
    std::string name;         ///< what PulseConfig::device takes
    std::string description;  ///< for people
    bool isMonitor = false;   ///< the monitor of an output (what the speakers play)
    [[nodiscard]] std::string id() const { return "pulse:" + name; }
};

/// Capture devices of the server (`pactl list sources` through libpulse). Unavailable when no
/// server answers.
Result<std::vector<AudioDeviceInfo>> listAudioSources(const std::string& server = "");

/// Live microphone / monitor capture through PulseAudio's simple API: 48 kHz stereo float in
/// 10 ms frames (480 samples). Timestamps are on the session Clock: the first frame's pts is
/// the clock time of its first sample (clock now minus the reported latency; the median of
/// the first 300 ms of measurements, held back before the first frame), later pts follow
/// the sample count; the drift between that count and the clock is measured
/// (DriftController) and corrected by resampling (swr_set_compensation), so the timeline stays
/// within a few ms of the clock over hours. An averaged error beyond 40 ms (start-up offset, a
/// stall) is snapped at once by inserting silence or dropping not-yet-emitted samples.
/// levelDbfs()/peakDbfs() may be read from any thread (meters); start()/stop() from the owner.
class PulseAudioSource final : public MediaSource {
public:
    static constexpr int kSampleRate = 48000;
    static constexpr int kChannels = 2;
    static constexpr int kFrameSamples = 480;  ///< 10 ms
    static constexpr int kWarmupBlocks = 30;   ///< 300 ms measured before the first frame

    /// Connects to the server and opens the record stream (fails with Unavailable + reason).
    static Result<std::unique_ptr<PulseAudioSource>> open(PulseConfig config, const Clock& clock);
    ~PulseAudioSource() override;

    [[nodiscard]] std::string describe() const override;
    [[nodiscard]] SourceFormat format() const override;
    [[nodiscard]] Result<void> start(SourceCallbacks callbacks) override;
    void stop() override;

    /// RMS and peak of the latest 10 ms, dBFS (-120 for silence).
    [[nodiscard]] float levelDbfs() const { return rmsDbfs_.load(std::memory_order_relaxed); }
    [[nodiscard]] float peakDbfs() const { return peakDbfs_.load(std::memory_order_relaxed); }
    /// Current averaged A/V clock error of the audio timeline, milliseconds.
    [[nodiscard]] double driftErrorMs() const { return driftMs_.load(std::memory_order_relaxed); }

private:
    struct Stream;
    PulseAudioSource(PulseConfig config, const Clock& clock, std::unique_ptr<Stream> stream);
    void run(const std::stop_token& stop, const SourceCallbacks& callbacks);
    void measureLevel(const std::vector<float>& block);

    PulseConfig config_;
    const Clock& clock_;
    std::unique_ptr<Stream> stream_;
    std::atomic<float> rmsDbfs_{-120.0f};
    std::atomic<float> peakDbfs_{-120.0f};
    std::atomic<double> driftMs_{0.0};
    SourceThread thread_;
};

}  // namespace podium::capture

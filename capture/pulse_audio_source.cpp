#include "pulse_audio_source.h"

#include <pulse/error.h>
#include <pulse/pulseaudio.h>
#include <pulse/simple.h>

#include <algorithm>
#include <cmath>
#include <utility>

#include "capture/av_handles.h"
#include "core/log.h"

namespace podium::capture {
namespace {

struct PaSimpleFreer {
    void operator()(pa_simple* s) const { pa_simple_free(s); }
};
struct PaMainloopFreer {
    void operator()(pa_mainloop* m) const { pa_mainloop_free(m); }
};
struct PaContextFreer {
    void operator()(pa_context* c) const {
        pa_context_disconnect(c);
        pa_context_unref(c);
    }
};

Status paStatus(int error, const std::string& what) {
    return Status(ErrorCode::Unavailable, what + ": " + pa_strerror(error));
}

float toDb(double linear) {
    return linear <= 1e-6 ? -120.0f : float(20.0 * std::log10(linear));
}

}  // namespace

struct PulseAudioSource::Stream {
    std::unique_ptr<pa_simple, PaSimpleFreer> pa;
    SwrPtr swr;
};

Result<PulseConfig> PulseConfig::fromSpec(const std::string& spec) {
    if (spec == "pulse") {
        return PulseConfig{};
    }
    if (spec.rfind("pulse:", 0) != 0 || spec.size() == 6) {
        return makeError(ErrorCode::InvalidArgument,
                         "bad audio source \"" + spec + "\": expected pulse[:DEVICE]");
    }
    PulseConfig config;
    config.device = spec.substr(6);
    return config;
}

Result<std::unique_ptr<PulseAudioSource>> PulseAudioSource::open(PulseConfig config,
                                                                 const Clock& clock) {
    const std::string where =
        "pulse source " + (config.device.empty() ? std::string("(default)") : config.device);
    const pa_sample_spec spec{PA_SAMPLE_FLOAT32LE, kSampleRate, kChannels};
    pa_buffer_attr attr{};
    attr.maxlength = uint32_t(-1);
    attr.fragsize = uint32_t(kFrameSamples * kChannels * sizeof(float));  // 10 ms latency
    int error = 0;
    auto stream = std::make_unique<Stream>();
    stream->pa.reset(pa_simple_new(config.server.empty() ? nullptr : config.server.c_str(),
                                   "Podium", PA_STREAM_RECORD,
                                   config.device.empty() ? nullptr : config.device.c_str(),
                                   "capture", &spec, nullptr, &attr, &error));
    if (!stream->pa) {
        return makeError(
            paStatus(error, "cannot open the PulseAudio capture stream").withContext(where));
    }
    SwrContext* swr = nullptr;
    AVChannelLayout stereo = AV_CHANNEL_LAYOUT_STEREO;
    int rc = swr_alloc_set_opts2(&swr, &stereo, AV_SAMPLE_FMT_FLT, kSampleRate, &stereo,
                                 AV_SAMPLE_FMT_FLT, kSampleRate, 0, nullptr);
    stream->swr.reset(swr);
    if (rc >= 0) {
        rc = swr_init(swr);
    }
    if (rc < 0) {
        return makeError(
            avStatus(rc, "cannot set up drift resampling", ErrorCode::Internal).withContext(where));
    }
    return std::unique_ptr<PulseAudioSource>(
        new PulseAudioSource(std::move(config), clock, std::move(stream)));
}

PulseAudioSource::PulseAudioSource(PulseConfig config, const Clock& clock,
                                   std::unique_ptr<Stream> stream)
    : config_(std::move(config)), clock_(clock), stream_(std::move(stream)), thread_(clock) {}

PulseAudioSource::~PulseAudioSource() {
    stop();
}

std::string PulseAudioSource::describe() const {
    return "pulse " + (config_.device.empty() ? std::string("default source") : config_.device);
}

SourceFormat PulseAudioSource::format() const {
    SourceFormat f;
    f.width = f.height = 0;
    f.hasAudio = true;
    f.sampleRate = kSampleRate;
    f.channels = kChannels;
    return f;
}

Result<void> PulseAudioSource::start(SourceCallbacks callbacks) {
    ThreadFailure onFailure = callbacks.onError;  // a throw in the loop ends the source
    return thread_.start(
        describe(), [this, cb = std::move(callbacks)](std::stop_token stop) { run(stop, cb); },
        std::move(onFailure));
}

void PulseAudioSource::stop() {
    thread_.stop();
}

void PulseAudioSource::measureLevel(const std::vector<float>& block) {
    double peak = 0;
    double sum = 0;
    for (float s : block) {
        peak = std::max(peak, double(std::abs(s)));
        sum += double(s) * s;
    }
    rmsDbfs_.store(toDb(std::sqrt(sum / double(std::max<size_t>(1, block.size())))));
    peakDbfs_.store(toDb(peak));
}

void PulseAudioSource::run(const std::stop_token& stop, const SourceCallbacks& cb) {
    std::vector<float> in(size_t(kFrameSamples) * kChannels);
    std::vector<float> out(size_t(kFrameSamples) * kChannels * 2);
    std::vector<float> pending;
    std::vector<double> offsets;  ///< warm-up estimates of the base, samples
    DriftController drift;
    const double blockSeconds = double(kFrameSamples) / kSampleRate;
    int64_t base = -1;     ///< pts (samples) of the first output sample; -1 while warming up
    int64_t produced = 0;  ///< output samples so far (emitted + pending)
    int64_t emitted = 0;
    int error = 0;
    pa_simple_flush(stream_->pa.get(), &error);  // drop what was recorded while stopped
    while (!stop.stop_requested()) {
        if (pa_simple_read(stream_->pa.get(), in.data(), in.size() * sizeof(float), &error) < 0) {
            if (cb.onError) {
                cb.onError(paStatus(error, "capture failed").withContext(describe()));
            }
            return;
        }
        const pa_usec_t latency = pa_simple_get_latency(stream_->pa.get(), &error);
        const double captureEnd = clock_.now().seconds() - double(latency) / 1e6;
        measureLevel(in);
        swr_set_compensation(stream_->swr.get(), int(std::lround(drift.correction() * kSampleRate)),
                             kSampleRate);
        const uint8_t* src[] = {reinterpret_cast<const uint8_t*>(in.data())};
        uint8_t* dst[] = {reinterpret_cast<uint8_t*>(out.data())};
        const int n =
            swr_convert(stream_->swr.get(), dst, int(out.size() / kChannels), src, kFrameSamples);
        if (n > 0) {
            pending.insert(pending.end(), out.begin(), out.begin() + ptrdiff_t(n) * kChannels);
            produced += n;
        }
        if (base < 0) {  // warm-up: the first reads come in bursts; take the median offset
            offsets.push_back(captureEnd * kSampleRate - double(produced));
            if (offsets.size() < size_t(kWarmupBlocks)) {
                continue;
            }
            std::nth_element(offsets.begin(), offsets.begin() + ptrdiff_t(offsets.size() / 2),
                             offsets.end());
            base = std::max<int64_t>(0, std::llround(offsets[offsets.size() / 2]));
        }
        drift.observe(double(base + produced) / kSampleRate, captureEnd, blockSeconds);
        if (drift.needsResync()) {  // start-up offset or a stall: snap, then steer again
            const int64_t snap = std::llround(std::abs(drift.error()) * kSampleRate);
            if (drift.error() < 0) {  // audio labelled too early: delay it with silence
                pending.insert(pending.end(), size_t(snap) * kChannels, 0.0f);
                produced += snap;
            } else {  // too late: drop what is not yet emitted
                const int64_t dropped =
                    std::min<int64_t>(snap, int64_t(pending.size()) / kChannels);
                pending.erase(pending.begin(), pending.begin() + dropped * kChannels);
                produced -= dropped;
            }
            logInfo(describe(), "audio timeline " + std::to_string(drift.error() * 1000) +
                                    " ms off the clock; re-aligned");
            drift.reset();
        }
        driftMs_.store(drift.error() * 1000.0);
        while (pending.size() >= size_t(kFrameSamples) * kChannels) {
            auto frame = std::make_shared<AudioFrame>();
            frame->sampleRate = kSampleRate;
            frame->channels = kChannels;
            frame->pts = MediaTime{base + emitted, kSampleRate};
            frame->samples.assign(pending.begin(), pending.begin() + kFrameSamples * kChannels);
            pending.erase(pending.begin(), pending.begin() + kFrameSamples * kChannels);
            emitted += kFrameSamples;
            if (cb.onAudio && !stop.stop_requested()) {
                cb.onAudio(std::move(frame));
            }
        }
    }
}

// ---- device listing ----------------------------------------------------------------------

namespace {

struct ListState {
    std::vector<AudioDeviceInfo> devices;
    bool done = false;
};

void onSourceInfo(pa_context*, const pa_source_info* info, int eol, void* user) {
    auto* state = static_cast<ListState*>(user);
    if (eol != 0 || !info) {
        state->done = true;
        return;
    }
    state->devices.push_back({info->name ? info->name : "",
                              info->description ? info->description : "",
                              info->monitor_of_sink != PA_INVALID_INDEX});
}

}  // namespace

Result<std::vector<AudioDeviceInfo>> listAudioSources(const std::string& server) {
    std::unique_ptr<pa_mainloop, PaMainloopFreer> loop(pa_mainloop_new());
    std::unique_ptr<pa_context, PaContextFreer> context(
        pa_context_new(pa_mainloop_get_api(loop.get()), "Podium device list"));
    if (!loop || !context) {
        return makeError(ErrorCode::Internal, "cannot create a PulseAudio context");
    }
    if (pa_context_connect(context.get(), server.empty() ? nullptr : server.c_str(),
                           PA_CONTEXT_NOAUTOSPAWN, nullptr) < 0) {
        return makeError(paStatus(pa_context_errno(context.get()), "cannot reach PulseAudio"));
    }
    for (;;) {  // wait until the connection is ready or failed
        const pa_context_state_t state = pa_context_get_state(context.get());
        if (state == PA_CONTEXT_READY) {
            break;
        }
        if (!PA_CONTEXT_IS_GOOD(state) || pa_mainloop_iterate(loop.get(), 1, nullptr) < 0) {
            return makeError(paStatus(pa_context_errno(context.get()), "cannot reach PulseAudio"));
        }
    }
    ListState list;
    pa_operation* op = pa_context_get_source_info_list(context.get(), onSourceInfo, &list);
    while (!list.done && pa_mainloop_iterate(loop.get(), 1, nullptr) >= 0) {
    }
    if (op) {
        pa_operation_unref(op);
    }
    return list.devices;
}

}  // namespace podium::capture

#pragma once

#include <vector>

#include "capture/av_handles.h"
#include "core/status.h"

namespace podium::capture {

/// Decoded audio (any rate, layout, sample format) -> interleaved float stereo at 48 kHz, via
/// libswresample. Re-creates its context when the input format changes. Single-threaded.
class AudioResampler {
public:
    static constexpr int kSampleRate = 48000;
    static constexpr int kChannels = 2;

    AudioResampler() = default;
    ~AudioResampler() { av_channel_layout_uninit(&inLayout_); }
    AudioResampler(const AudioResampler&) = delete;
    AudioResampler& operator=(const AudioResampler&) = delete;

    /// Appends the converted samples of `frame` to `out` (interleaved, kChannels per sample).
    [[nodiscard]] Result<void> convert(const AVFrame& frame, std::vector<float>& out);
    /// Appends what the resampler still holds (end of input), then forgets the input format.
    [[nodiscard]] Result<void> flush(std::vector<float>& out);

private:
    [[nodiscard]] Result<void> configureFor(const AVFrame& frame);
    [[nodiscard]] Result<void> drain(const uint8_t** in, int inCount, std::vector<float>& out);

    SwrPtr swr_;
    int inRate_ = 0;
    int inFormat_ = -1;
    AVChannelLayout inLayout_{};
};

}  // namespace podium::capture

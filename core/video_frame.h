#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "media_time.h"

namespace podium {

enum class PixelFormat { I420 = 1 };

/// One picture: planar YUV 4:2:0 (I420), tightly packed planes Y (width x height), U and V
/// (each (width+1)/2 x (height+1)/2), contiguous in `data`. Built by one thread, then shared
/// read-only as VideoFramePtr (never modified after publication).
struct VideoFrame {
    int width = 0;
    int height = 0;
    PixelFormat format = PixelFormat::I420;
    MediaTime pts;          ///< presentation time on the session clock's timeline
    int64_t sequence = 0;   ///< capture order, 0-based, for drop accounting and tests
    std::vector<uint8_t> data;

    /// Allocates a black I420 frame.
    static VideoFrame makeI420(int width, int height);

    [[nodiscard]] int chromaWidth() const { return (width + 1) / 2; }
    [[nodiscard]] int chromaHeight() const { return (height + 1) / 2; }
    [[nodiscard]] int stride(int plane) const { return plane == 0 ? width : chromaWidth(); }
    [[nodiscard]] uint8_t* plane(int index);
    [[nodiscard]] const uint8_t* plane(int index) const;
};

using VideoFramePtr = std::shared_ptr<const VideoFrame>;

/// Interleaved 32-bit float PCM. pts = time of the first sample.
struct AudioFrame {
    int sampleRate = 48000;
    int channels = 2;
    MediaTime pts{0, 48000};
    std::vector<float> samples;  ///< frameCount() * channels values, interleaved

    [[nodiscard]] int frameCount() const {
        return channels ? static_cast<int>(samples.size()) / channels : 0;
    }
};

using AudioFramePtr = std::shared_ptr<const AudioFrame>;

}  // namespace podium

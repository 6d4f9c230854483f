#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "core/encoded_packet.h"
#include "core/status.h"
#include "core/video_frame.h"

struct AVCodecContext;
struct AVFrame;
struct AVPacket;

namespace podium::encoder {

/// AAC-LC settings. Rates in Hz, bitrate in kbit/s.
struct AacConfig {
    int sampleRate = 48000;
    int channels = 2;
    int bitrateKbps = 128;
};

/// The audio track's encoder: RAII over libavcodec's native "aac" encoder (AAC-LC). Accepts
/// interleaved float PCM of the configured rate and channel count in chunks of any size,
/// encodes 1024-sample frames and times them by sample count: packet k has pts = dts = 1024 * k
/// in the sample-rate timescale, duration 1024, every packet a keyframe. The encoder's priming
/// (primingSamples(), 1024 for this encoder) is cancelled at the input: the first
/// primingSamples() input samples are skipped, so decoded sample n (priming included, as
/// every player without edit-list support plays it) is input sample n — audio stays in sync
/// with video in browsers and in ffmpeg alike, at the cost of the stream's first 21 ms.
/// No resampling: AudioFrames of another rate or channel count are refused.
/// Not thread-safe: one thread calls it.
class AacEncoder {
public:
    [[nodiscard]] static Result<std::unique_ptr<AacEncoder>> create(const AacConfig& config,
                                                                    int trackIndex);
    ~AacEncoder();
    AacEncoder(const AacEncoder&) = delete;
    AacEncoder& operator=(const AacEncoder&) = delete;

    /// Buffers the samples and returns every packet the encoder completed.
    [[nodiscard]] Result<std::vector<EncodedPacket>> encode(const AudioFrame& frame);
    /// Pads the last partial frame with silence and drains the encoder. No encode() after this.
    [[nodiscard]] Result<std::vector<EncodedPacket>> flush();

    /// codecString "mp4a.40.2", audioSpecificConfig, timescale = sample rate, bitrates in bps.
    [[nodiscard]] TrackInfo trackInfo(const std::string& id = "audio") const;

    /// Encoder delay in samples (AVCodecContext::initial_padding).
    [[nodiscard]] int primingSamples() const;
    [[nodiscard]] static constexpr int frameSize() { return 1024; }

private:
    struct Deleter {
        void operator()(AVCodecContext* context) const;
        void operator()(AVFrame* frame) const;
        void operator()(AVPacket* packet) const;
    };

    AacEncoder(const AacConfig& config, int trackIndex);
    Result<void> open();
    Result<void> sendFrame(bool isFinal);
    Result<void> receivePackets(std::vector<EncodedPacket>& out);
    Status error(ErrorCode code, const std::string& message) const;

    AacConfig config_;
    int trackIndex_;
    std::vector<float> pending_;  // interleaved samples not yet in a 1024-sample frame
    int64_t primingToSkip_ = -1;  // input samples still to drop (-1: not yet known)
    int64_t samplesSent_ = 0;     // pts of the next frame sent to the encoder
    int64_t packetsOut_ = 0;      // index k of the next packet out
    bool isFlushed_ = false;
    std::unique_ptr<AVCodecContext, Deleter> context_;
    std::unique_ptr<AVFrame, Deleter> frame_;
    std::unique_ptr<AVPacket, Deleter> packet_;
};

}  // namespace podium::encoder

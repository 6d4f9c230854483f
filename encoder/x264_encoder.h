#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/encoded_packet.h"
#include "core/status.h"
#include "core/video_frame.h"

typedef struct x264_t x264_t;
struct x264_picture_t;

namespace podium::encoder {

/// What one x264 rendition encodes. Sizes in pixels, bitrates in kbit/s, keyintMax in frames.
struct X264Config {
    int width = 0;
    int height = 0;
    int fpsNum = 30;
    int fpsDen = 1;
    int bitrateKbps = 0;
    int maxBitrateKbps = 0;  ///< VBV peak (buffer = 1 s of it); == bitrateKbps → CBR + filler
    std::string preset = "veryfast";
    std::string profile = "high";
    std::string tune;   ///< empty = none
    int keyintMax = 0;  ///< >= one segment, so x264's own IDRs never land off schedule
    int threads = 0;    ///< 0 = x264 auto
    bool slicedThreads = false;
    int lookaheadThreads = 0;  ///< 0 = x264 auto
    int lookaheadFrames = 0;   ///< rate-control lookahead (frames of latency); 0 = preset's
    std::string renditionId;   ///< for error and log context only
};

/// One H.264 rendition encoder: RAII over x264_t. Input I420 frames of exactly width x height
/// with increasing pts; output access units as length-prefixed (4-byte) NAL units with pts/dts
/// in the 90 kHz video timescale. IDRs come only where the caller forces them (and possibly on
/// a scene cut more than half a keyint after the last IDR: harmless, the fragmenter cuts only on
/// the schedule). Not thread-safe: one thread (the rendition's worker) calls it.
class X264Encoder {
public:
    [[nodiscard]] static Result<std::unique_ptr<X264Encoder>> create(const X264Config& config,
                                                                     int trackIndex);
    ~X264Encoder();
    X264Encoder(const X264Encoder&) = delete;
    X264Encoder& operator=(const X264Encoder&) = delete;

    /// Encodes one frame; returns the packets x264 finished (often none while its lookahead
    /// fills). forceIdr makes this frame an IDR (a segment start).
    [[nodiscard]] Result<std::vector<EncodedPacket>> encode(const VideoFrame& frame, bool forceIdr);
    /// Drains the delayed frames at end of stream. No encode() after this.
    [[nodiscard]] Result<std::vector<EncodedPacket>> flush();

    /// avcC, codec string, size, rate and bitrates (bps) of this track; timescale 90000.
    [[nodiscard]] TrackInfo trackInfo(const std::string& id) const;

    [[nodiscard]] const X264Config& config() const { return config_; }

private:
    struct X264Deleter {
        void operator()(x264_t* encoder) const;
    };

    X264Encoder(const X264Config& config, int trackIndex);
    Result<void> open();
    Result<void> readHeaders();
    Result<std::vector<EncodedPacket>> encodePicture(x264_picture_t* pictureIn);
    Status error(ErrorCode code, const std::string& message) const;

    X264Config config_;
    int trackIndex_;
    std::string logComponent_;  // "encoder 720p 1280x720"; x264's log callback reads it
    int64_t frameDuration90k_ = 0;
    int64_t lastPts90k_ = INT64_MIN;
    bool isFlushed_ = false;
    std::vector<uint8_t> avcDecoderConfig_;
    std::string codecString_;
    std::unique_ptr<x264_t, X264Deleter> encoder_;
};

}  // namespace podium::encoder

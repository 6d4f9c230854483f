#pragma once

#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "capture/audio_resampler.h"
#include "capture/av_handles.h"
#include "capture/video_converter.h"
#include "core/media_time.h"
#include "core/status.h"
#include "core/video_frame.h"

namespace podium::capture {

/// A decoded picture already on the canvas (I420), pts re-based so the file's first picture is
/// 0, in 90 kHz; `duration` is the picture's nominal display time.
struct DecodedVideo {
    std::shared_ptr<VideoFrame> frame;
    MediaTime pts;
    MediaTime duration;
};

/// Decoded audio as interleaved float stereo 48 kHz; pts (48 kHz) on the same re-based
/// timeline as the video, absent when the file gave none.
struct DecodedAudio {
    std::vector<float> samples;
    std::optional<MediaTime> pts;
};

struct EndOfFile {};

using DecodedItem = std::variant<DecodedVideo, DecodedAudio, EndOfFile>;

/// libavformat + libavcodec over one file: the best video stream (required) and the best audio
/// stream (optional), decoded, converted to the canvas and resampled, in decode order.
/// Single-threaded (the file source's thread); the codecs may use their own threads.
class FileDecoder {
public:
    /// Opens and probes `path`. Errors name the failure ("cannot open: No such file or
    /// directory", "no video stream"); the caller adds the file as context.
    [[nodiscard]] static Result<std::unique_ptr<FileDecoder>> open(const std::string& path,
                                                                   int canvasWidth,
                                                                   int canvasHeight);

    [[nodiscard]] bool hasAudio() const { return audioCodec_ != nullptr; }
    /// One decoded item; EndOfFile once everything (including decoder delay) was returned.
    [[nodiscard]] Result<DecodedItem> next();
    /// Back to the start of the file for another pass (the same re-basing origin is kept).
    [[nodiscard]] Result<void> rewind();

private:
    struct Pending {
        DecodedItem item;
        int64_t rawPtsUs = 0;  ///< microseconds on the file's own timeline (AV_NOPTS_VALUE: none)
    };

    FileDecoder(int canvasWidth, int canvasHeight) : converter_(canvasWidth, canvasHeight) {}
    [[nodiscard]] Result<void> openStreams(const std::string& path);
    [[nodiscard]] Result<void> readPacket();
    [[nodiscard]] Result<void> receiveVideo();
    [[nodiscard]] Result<void> receiveAudio(bool endOfInput);
    [[nodiscard]] int64_t toMicros(int64_t ts, AVRational timeBase) const;
    DecodedItem rebase(Pending pending);

    std::string path_;
    AvFormatPtr format_;
    AvCodecContextPtr videoCodec_;
    AvCodecContextPtr audioCodec_;
    int videoStream_ = -1;
    int audioStream_ = -1;
    AvPacketPtr packet_;
    AvFramePtr frame_;
    VideoConverter converter_;
    AudioResampler resampler_;
    std::deque<Pending> ready_;
    bool inputEnded_ = false;
    bool sawVideo_ = false;
    std::optional<int64_t> originUs_;  ///< raw pts of the first picture: timeline 0
    int64_t lastVideoPtsUs_ = 0;
    int64_t nominalFrameUs_ = 33333;
};

}  // namespace podium::capture

#pragma once

#include <cstdint>
#include <deque>
#include <memory>
#include <string>
#include <vector>

#include "capture/media_source.h"
#include "capture/source_thread.h"
#include "core/clock.h"

namespace podium::capture {

class FileDecoder;
struct DecodedVideo;
struct DecodedAudio;

struct FileSourceConfig {
    std::string path;
    bool loop = false;
    Pacing pacing = Pacing::RealTime;
    int canvasWidth = 1280;
    int canvasHeight = 720;
    int fpsNum = 30;
    int fpsDen = 1;
};

/// A media file as a live source: the best video stream decoded, fitted to the canvas (I420,
/// black bars keep the aspect ratio) and re-timed to the preset frame rate: output frame n has
/// pts n * frame duration (90 kHz) and shows the latest decoded picture whose re-based pts is
/// <= that time (pictures are dropped or repeated). The best audio stream (if any) comes out as
/// 10 ms frames of float stereo 48 kHz on the same timeline, contiguous from sample 0 (silence
/// pads a late start, an early start is trimmed). With `loop` the file restarts after its end
/// and the timeline continues. Without it, onEnd follows the last frame.
/// One thread decodes, converts and delivers video and audio in timeline order.
class FileSource final : public MediaSource {
public:
    /// Opens and probes the file. Errors read e.g.
    /// `file source "x.mp4": cannot open: No such file or directory`.
    [[nodiscard]] static Result<std::unique_ptr<FileSource>> open(FileSourceConfig config,
                                                                  const Clock& clock);
    ~FileSource() override;

    [[nodiscard]] std::string describe() const override;
    [[nodiscard]] SourceFormat format() const override;
    [[nodiscard]] Result<void> start(SourceCallbacks callbacks) override;
    void stop() override;

private:
    struct Picture {
        std::shared_ptr<VideoFrame> unsent;  ///< decoded, not yet delivered (moved out once)
        VideoFramePtr sent;                  ///< last delivery of it, copied for repeats
        int64_t pts90k = 0;                  ///< absolute timeline position
    };

    FileSource(FileSourceConfig config, const Clock& clock, std::unique_ptr<FileDecoder> decoder);
    void run(const std::stop_token& stop, const SourceCallbacks& callbacks);
    [[nodiscard]] Result<void> decodeMore();
    void acceptVideo(DecodedVideo video);
    void acceptAudio(DecodedAudio audio);
    [[nodiscard]] Result<void> endPass();
    [[nodiscard]] int64_t audioEnd() const;  ///< sample index after the last buffered sample
    [[nodiscard]] int64_t outputPts(int64_t sequence) const;
    [[nodiscard]] VideoFramePtr nextVideo(int64_t sequence);
    [[nodiscard]] AudioFramePtr nextAudio();
    [[nodiscard]] Status withFile(const Status& status) const;
    template <typename NeedMore>
    [[nodiscard]] Result<bool> fill(const std::stop_token& stop, NeedMore needMore);
    void resetTimeline();

    FileSourceConfig config_;
    std::unique_ptr<FileDecoder> decoder_;
    bool hasAudio_ = false;
    bool started_ = false;
    SourceThread thread_;

    // Source-thread state (reset by start()).
    std::deque<Picture> pictures_;
    std::vector<float> audioFifo_;  ///< interleaved stereo; unsent part starts at fifoRead_
    size_t fifoRead_ = 0;           ///< index (in floats) of the first unsent value
    int64_t audioSent_ = 0;         ///< samples delivered so far (= next audio pts)
    int64_t passOffset90k_ = 0;     ///< timeline position of the current pass's start
    int64_t passEnd90k_ = 0;        ///< end of the latest picture of this pass
    int64_t passPictures_ = 0;
    bool passAudioAligned_ = false;
    bool finished_ = false;    ///< no more input (end of a non-looping file)
    int64_t videoEnd90k_ = 0;  ///< valid when finished_
};

}  // namespace podium::capture

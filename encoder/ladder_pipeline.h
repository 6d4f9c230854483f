#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include "core/bounded_queue.h"
#include "core/encoded_packet.h"
#include "core/segment_schedule.h"
#include "core/status.h"
#include "core/video_frame.h"
#include "encoder/frame_fanout.h"
#include "encoder/preset.h"

namespace podium::encoder {

class AacEncoder;
class RenditionWorker;

/// Where encoded packets of every track go: the packager thread's input ("packets").
/// Block: encoded packets are never dropped.
using PacketQueue = BoundedQueue<EncodedPacketPtr>;

struct LadderOptions {
    FanoutPolicy framePolicy = FanoutPolicy::DropOldestCommon;  ///< Block for files/benchmarks
    size_t frameQueueCapacity = 3;  ///< frames per rendition before the policy applies
    bool withAudio = true;
    /// x264 frame threads per rendition, in ladder order; missing or 0 entries are sized from
    /// the machine's cores and the rendition's share of the ladder's pixels.
    std::vector<int> x264Threads;
};

/// Per-rendition counters, readable from any thread.
struct RenditionStats {
    std::string id;
    uint64_t framesEncoded = 0;
    uint64_t bytesOut = 0;
    int64_t lastPts90k = -1;
    size_t queuedFrames = 0;
};

struct LadderStats {
    std::vector<RenditionStats> renditions;
    uint64_t droppedFrames = 0;  ///< same frames in every rendition
    uint64_t framesIn = 0;
    uint64_t audioPackets = 0;
};

/// The encoding stage: one worker thread per rendition (scale + x264) fed through one
/// FrameFanout, plus one AAC lane. IDRs are forced on the first frame of every SegmentSchedule
/// segment, decided once here so every rendition gets its IDR on the same source frame.
/// Threads: pushVideo/pushAudio from the source thread(s); workers push into the PacketQueue.
class LadderPipeline {
public:
    static Result<std::unique_ptr<LadderPipeline>> create(const Preset& preset,
                                                          const LadderOptions& options);
    ~LadderPipeline();

    /// Video renditions first (trackIndex 0..n-1, ladder order), then audio if enabled.
    [[nodiscard]] const std::vector<TrackInfo>& tracks() const { return tracks_; }
    [[nodiscard]] const SegmentSchedule& schedule() const { return schedule_; }

    /// Starts the workers. Packets of every track go to `out` (each track in decode order).
    /// `onError` is called (from a worker thread) once if an encoder fails.
    Result<void> start(PacketQueue& out, std::function<void(const Status&)> onError);

    void pushVideo(const VideoFramePtr& frame);
    void pushAudio(const AudioFramePtr& frame);

    /// Ends the stream: workers drain their queues, flush the encoders' delayed frames, exit.
    /// Idempotent. Does not close `out` (the caller does, after finish returns).
    void finish();

    [[nodiscard]] LadderStats stats() const;

private:
    LadderPipeline(const Preset& preset, const LadderOptions& options);
    void runAudio();
    void reportError(const Status& status);

    Preset preset_;
    LadderOptions options_;
    SegmentSchedule schedule_;
    std::vector<TrackInfo> tracks_;
    std::vector<std::unique_ptr<RenditionWorker>> workers_;
    std::unique_ptr<AacEncoder> audio_;
    std::unique_ptr<FrameFanout> frames_;
    std::unique_ptr<BoundedQueue<AudioFramePtr>> audioFrames_;
    std::jthread audioThread_;
    PacketQueue* out_ = nullptr;
    std::function<void(const Status&)> onError_;
    std::once_flag errorOnce_;
    std::optional<MediaTime> lastPts_;
    std::atomic<uint64_t> framesIn_{0};
    std::atomic<uint64_t> audioPackets_{0};
    bool started_ = false;
    bool finished_ = false;
};

}  // namespace podium::encoder

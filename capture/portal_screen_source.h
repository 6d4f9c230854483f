#pragma once

#include <atomic>
#include <memory>
#include <mutex>
#include <optional>
#include <stop_token>
#include <string>

#include "capture/av_handles.h"
#include "capture/media_source.h"
#include "capture/pipewire_stream.h"
#include "capture/portal_screencast.h"
#include "capture/source_thread.h"
#include "capture/video_converter.h"
#include "core/clock.h"

namespace podium::capture {

/// What to share through the desktop portal, and the canvas to deliver.
struct PortalScreenConfig {
    PortalRequest request;   ///< source types, cursor, persistence, restore token, deadlines
    std::string busAddress;  ///< "" = the session bus (tests give a private bus)
    int canvasWidth = 1280;  ///< output size (even)
    int canvasHeight = 720;
    int fpsNum = 30;
    int fpsDen = 1;
};

/// Where a picture PipeWire stamped at `ptsNs` (CLOCK_MONOTONIC) and that reached us at
/// `arrivalNs` lies on a session clock that read `arrivalOnClock` at its arrival. A missing or
/// implausible stamp (not on CLOCK_MONOTONIC, in the future, older than 2 s) counts as "just
/// now". Pure; exposed for tests.
MediaTime captureTimeOnClock(int64_t ptsNs, int64_t arrivalNs, MediaTime arrivalOnClock);

/// Screen capture on Wayland desktops: the ScreenCast portal asks the person what to share (a
/// monitor or a window, in the desktop's own dialog) and hands back a PipeWire stream. Each
/// picture is converted once into the canvas (I420, aspect kept) on PipeWire's loop thread;
/// the source thread emits the newest one at the canvas rate and repeats the last picture when
/// the screen did not change (a screencast sends frames only on change). When the sharing ends
/// (the person clicked "Stop sharing", the portal or PipeWire went away) the source keeps
/// emitting a "screen sharing ended" slate and the broadcast goes on; a new source (Start
/// again) asks again. start()/stop() from the owning thread.
class PortalScreenSource final : public MediaSource {
public:
    /// The portal exchange (CreateSession, SelectSources, Start): may wait for the person's
    /// choice, up to request.choiceTimeout or until `stop` is requested. Fails in one line: no
    /// portal, cancelled, no answer, refused.
    static Result<std::unique_ptr<PortalScreenSource>> open(PortalScreenConfig config,
                                                            const Clock& clock,
                                                            const std::stop_token& stop = {});
    ~PortalScreenSource() override;

    [[nodiscard]] std::string describe() const override;
    [[nodiscard]] SourceFormat format() const override;
    /// Opens the PipeWire connection (OpenPipeWireRemote) and the stream, then the thread.
    [[nodiscard]] Result<void> start(SourceCallbacks callbacks) override;
    void stop() override;

    /// The single-use token the portal returned for the next open (keep it; empty = none).
    [[nodiscard]] std::string restoreToken() const { return stream_.restoreToken; }
    /// True once the sharing ended (the slate is shown).
    [[nodiscard]] bool lost() const { return lost_.load(); }

    struct Stats {
        int64_t received = 0;  ///< pictures from PipeWire, each converted once
        int64_t emitted = 0;   ///< frames delivered at the canvas rate
        int64_t repeated = 0;  ///< ticks without a new picture: the last one again
        int64_t slate = 0;     ///< slate frames after the sharing ended
        double lastAgeMs = 0;  ///< capture-to-delivery delay of the newest picture
    };
    [[nodiscard]] Stats stats() const;

private:
    PortalScreenSource(PortalScreenConfig config, const Clock& clock,
                       std::unique_ptr<PortalScreenCast> portal, PortalStream stream);
    void onFrame(const PipeWireFrame& frame);  // PipeWire's loop thread
    void run(const std::stop_token& stop, const SourceCallbacks& callbacks);
    [[nodiscard]] std::optional<Status> checkEnded();
    [[nodiscard]] MediaTime videoPts(int64_t sequence) const;
    [[nodiscard]] std::shared_ptr<VideoFrame> makeSlate() const;

    PortalScreenConfig config_;
    const Clock& clock_;
    std::unique_ptr<PortalScreenCast> portal_;  // source thread while running, else owner
    PortalStream stream_;
    std::unique_ptr<PipeWireStream> pipewire_;

    // Loop-thread side: the converter and the newest converted picture.
    VideoConverter converter_;
    AvFramePtr view_;
    mutable std::mutex pendingMutex_;
    std::shared_ptr<VideoFrame> pending_;
    MediaTime pendingCaptured_;

    std::shared_ptr<const VideoFrame> last_;  // source thread
    std::atomic<bool> lost_{false};
    std::atomic<int64_t> received_{0};
    std::atomic<int64_t> emitted_{0};
    std::atomic<int64_t> repeated_{0};
    std::atomic<int64_t> slate_{0};
    std::atomic<double> lastAgeMs_{0};
    SourceThread thread_;
};

}  // namespace podium::capture

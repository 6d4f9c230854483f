#pragma once

#include <memory>
#include <mutex>
#include <string>

#include "capture/compositor.h"
#include "capture/media_source.h"

namespace podium::capture {

/// A main video source + optional PiP source + optional separate audio source + title, seen
/// as one MediaSource whose format() is the canvas. The video timeline is the main source's
/// (one output frame per main frame, same pts/sequence), composed with the latest PiP frame;
/// audio comes from the audio source if given, else from the main source. A PiP or audio
/// source failing is logged and dropped (the broadcast goes on); the main source's end/error
/// is forwarded. Callbacks come from the main source's thread (video) and the audio source's
/// thread (audio), never concurrently (serialised by a mutex), each in timeline order.
/// The title and the PiP (source and layout) can change while running (setTitle, setPip): the
/// next main frame is composed with them.
class CompositeSource final : public MediaSource {
public:
    CompositeSource(std::unique_ptr<MediaSource> main, std::unique_ptr<MediaSource> pip,
                    std::unique_ptr<MediaSource> audio, CompositorConfig compositor);
    ~CompositeSource() override;

    [[nodiscard]] std::string describe() const override;
    [[nodiscard]] SourceFormat format() const override;
    [[nodiscard]] Result<void> start(SourceCallbacks callbacks) override;
    void stop() override;

    /// The lower-third text from the next frame on ("" removes it). Any thread.
    void setTitle(std::string title);
    /// Replaces the picture-in-picture: `pip` (null: none) in `layout`. A new source is
    /// started first when this source runs; if it fails, its Status is returned and nothing
    /// changes. The old PiP source is stopped after the swap. Owner thread (like start/stop),
    /// never from a callback; may take as long as opening a camera.
    [[nodiscard]] Result<void> setPip(std::unique_ptr<MediaSource> pip, PipLayout layout);
    /// Moves or resizes the PiP (the same source) from the next frame on. Any thread.
    void setPipLayout(PipLayout layout);
    /// The title and PiP layout in use (the PiP layout is empty without a PiP source). Any thread.
    [[nodiscard]] CompositorConfig scene() const;

private:
    Result<void> startPip(MediaSource& pip, uint64_t generation);
    void composeAndDeliver(const VideoFramePtr& frame);

    std::unique_ptr<MediaSource> main_;
    std::unique_ptr<MediaSource> pip_;  ///< swapped under sceneMutex_ (describe() reads it)
    std::unique_ptr<MediaSource> audio_;
    const int width_;
    const int height_;
    SourceCallbacks callbacks_;
    bool started_ = false;  ///< owner thread only

    mutable std::mutex sceneMutex_;  ///< guards scene_, sceneChanged_, pip_ (the pointer)
    CompositorConfig scene_;         ///< what the next frame uses
    bool sceneChanged_ = false;
    Compositor compositor_;  ///< the main source's thread only: rebuilt from scene_ on a change

    std::mutex pipMutex_;  ///< guards latestPip_, pipGeneration_
    VideoFramePtr latestPip_;
    uint64_t pipGeneration_ = 0;  ///< frames of a replaced PiP source are ignored
    std::mutex deliverMutex_;     ///< callbacks never run concurrently
};

}  // namespace podium::capture

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
class CompositeSource final : public MediaSource {
public:
    CompositeSource(std::unique_ptr<MediaSource> main, std::unique_ptr<MediaSource> pip,
                    std::unique_ptr<MediaSource> audio, CompositorConfig compositor);
    ~CompositeSource() override;

    [[nodiscard]] std::string describe() const override;
    [[nodiscard]] SourceFormat format() const override;
    [[nodiscard]] Result<void> start(SourceCallbacks callbacks) override;
    void stop() override;

private:
    std::unique_ptr<MediaSource> main_;
    std::unique_ptr<MediaSource> pip_;
    std::unique_ptr<MediaSource> audio_;
    Compositor compositor_;
    SourceCallbacks callbacks_;
    std::mutex pipMutex_;
    VideoFramePtr latestPip_;
    std::mutex deliverMutex_;  ///< callbacks never run concurrently
};

}  // namespace podium::capture

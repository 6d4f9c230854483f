#pragma once

#include <memory>

#include "capture/media_source.h"

namespace podium::capture {

/// `--latency-probe` for every source (issue #12): draws the latency probe strip
/// (latency_strip.h) into each picture of another source, with the wall clock of the moment the
/// picture reached it, so the /watch page can show glass to glass for a camera, a screen or a
/// file as it does for the test pattern (which draws its own). What the camera or the desktop
/// took before handing the picture over is not in the figure. Each picture is copied before
/// drawing (the inner source may still hold it). Audio and the other callbacks pass through.
/// Same threading as MediaSource; callbacks run on the inner source's thread.
class LatencyProbeSource final : public MediaSource {
public:
    explicit LatencyProbeSource(std::unique_ptr<MediaSource> inner);
    ~LatencyProbeSource() override;

    [[nodiscard]] std::string describe() const override;
    [[nodiscard]] SourceFormat format() const override;
    [[nodiscard]] Result<void> start(SourceCallbacks callbacks) override;
    void stop() override;

    /// The source it marks (to change its scene while live).
    [[nodiscard]] MediaSource& inner() { return *inner_; }

private:
    std::unique_ptr<MediaSource> inner_;
};

}  // namespace podium::capture

#include "capture/latency_probe_source.h"

#include <utility>

#include "capture/latency_strip.h"
#include "core/clock.h"

namespace podium::capture {

LatencyProbeSource::LatencyProbeSource(std::unique_ptr<MediaSource> inner)
    : inner_(std::move(inner)) {}

LatencyProbeSource::~LatencyProbeSource() {
    stop();
}

std::string LatencyProbeSource::describe() const {
    return inner_->describe() + " with the latency probe";
}

SourceFormat LatencyProbeSource::format() const {
    return inner_->format();
}

Result<void> LatencyProbeSource::start(SourceCallbacks callbacks) {
    auto onVideo = std::move(callbacks.onVideo);
    callbacks.onVideo = [onVideo = std::move(onVideo)](VideoFramePtr frame) {
        if (frame && frame->format == PixelFormat::I420) {
            auto marked = std::make_shared<VideoFrame>(*frame);
            drawLatencyStrip(*marked, wallClockMillis());
            frame = std::move(marked);
        }
        if (onVideo) {
            onVideo(std::move(frame));
        }
    };
    return inner_->start(std::move(callbacks));
}

void LatencyProbeSource::stop() {
    inner_->stop();
}

}  // namespace podium::capture

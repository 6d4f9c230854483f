#pragma once

#include <optional>
#include <string>

#include "core/video_frame.h"

namespace podium::capture {

/// A rectangle on the canvas, in pixels.
struct CanvasRect {
    int x = 0;
    int y = 0;
    int width = 0;
    int height = 0;
    friend bool operator==(const CanvasRect&, const CanvasRect&) = default;
};

enum class PipCorner { TopLeft = 1, TopRight, BottomLeft, BottomRight };

/// Where and how big the picture-in-picture is.
struct PipLayout {
    PipCorner corner = PipCorner::BottomRight;
    double widthFraction = 0.25;  ///< PiP width as a fraction of the canvas width (0.05..0.9)
    int marginPx = 24;            ///< gap between the PiP border and the canvas edges
    int borderPx = 2;             ///< thin light border around the PiP (0 = none)
    friend bool operator==(const PipLayout&, const PipLayout&) = default;
};

struct CompositorConfig {
    int width = 1280;  ///< canvas size in pixels (even)
    int height = 720;
    std::optional<PipLayout> pip;  ///< drawn when compose() is given a PiP frame
    std::string title;             ///< lower-third text; empty = no title bar
};

/// Builds the canvas from I420 frames with OpenCV: the main frame scaled with its aspect kept
/// (black bars), an optional picture-in-picture with a thin border, an optional lower-third
/// title (a darkened semi-transparent band with white text; ASCII, Hershey font). Not
/// thread-safe: one compositor per producing thread. The placement functions are pure.
class Compositor {
public:
    explicit Compositor(CompositorConfig config);

    [[nodiscard]] const CompositorConfig& config() const { return config_; }

    /// The canvas for `main` (+ `pip` when given and configured). pts/sequence copied from
    /// `main`. When nothing is to be done (main already canvas-sized, no PiP, no title) returns
    /// `main` itself (no copy).
    [[nodiscard]] VideoFramePtr compose(const VideoFramePtr& main, const VideoFramePtr& pip) const;

    /// Where a srcW x srcH picture lands inside `box` with its aspect kept (centred, even).
    [[nodiscard]] static CanvasRect fit(int srcW, int srcH, CanvasRect box);
    /// The PiP picture's rectangle (border excluded) for a srcW x srcH PiP source.
    [[nodiscard]] static CanvasRect pipRect(const PipLayout& layout, int srcW, int srcH,
                                            int canvasW, int canvasH);
    /// The lower-third band: full width, about a tenth of the height, above the bottom margin.
    [[nodiscard]] static CanvasRect titleBand(int canvasW, int canvasH);

private:
    void drawPip(VideoFrame& canvas, const VideoFrame& pip) const;
    void drawTitle(VideoFrame& canvas) const;

    CompositorConfig config_;
};

/// Scales `src` into `dst` at `rect` (even x/y/width/height) on all three planes; other
/// pixels of `dst` are left untouched. Bilinear (area when shrinking).
void scaleInto(const VideoFrame& src, VideoFrame& dst, CanvasRect rect);
/// Fills `rect` (even) of an I420 frame with one Y/U/V colour.
void fillI420(VideoFrame& frame, CanvasRect rect, uint8_t y, uint8_t u, uint8_t v);

}  // namespace podium::capture

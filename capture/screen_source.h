#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "capture/av_handles.h"
#include "capture/media_source.h"
#include "capture/screen_rect.h"
#include "capture/source_thread.h"
#include "core/clock.h"

namespace podium::capture {

class XcbDisplay;
class XcbGrabber;

/// What to capture from an X11 display.
struct ScreenConfig {
    std::string display;  ///< e.g. ":99"; "" = $DISPLAY
    /// Area of the root window (pixels); unset = the whole screen. Clipped to the screen.
    std::optional<ScreenRect> region;
    uint32_t windowId = 0;    ///< capture this window, following its geometry (0 = none)
    std::string windowTitle;  ///< or the first top-level window whose title contains this
    int canvasWidth = 1280;   ///< output size; 0 x 0 = the captured area's size (even)
    int canvasHeight = 720;
    int fpsNum = 30;
    int fpsDen = 1;
    bool drawCursor = true;
    bool allowShm = true;  ///< false forces the xcb_get_image path (tests, remote displays)

    /// Parses the CLI forms `screen`, `screen:DISPLAY`, `screen:DISPLAY+X,Y,WxH`,
    /// `window:ID` (0x hex or decimal) and `window:TITLE`. Canvas and fps keep their defaults.
    static Result<ScreenConfig> fromSpec(const std::string& spec);
};

/// BGRX pixels (4 bytes/pixel) -> I420 canvas, scaled with the aspect kept and black bars,
/// through libswscale (BT.601 limited range). One thread.
class BgrxConverter {
public:
    [[nodiscard]] Result<std::shared_ptr<VideoFrame>> convert(const uint8_t* bgrx, int width,
                                                              int height, int canvasWidth,
                                                              int canvasHeight);

private:
    SwsPtr sws_;
};

/// Live X11 screen capture (whole screen, a rectangle, or one window followed as it moves)
/// through xcb + MIT-SHM (falls back to plain GetImage), with the cursor blended in (XFixes).
/// Frames are grabbed at the preset rate, paced by the Clock (pts = sequence * frame duration;
/// when a grab overruns, sequences are skipped to stay live). An unchanged grab (memcmp with
/// the previous one) re-emits the previous I420 picture (a plane copy, no grab conversion) with the
/// new pts: a static slide costs one grab and one compare per frame (see tst_screen_source for ms).
/// start()/stop() from the owning thread; captureFrame() only while not started.
class ScreenSource final : public MediaSource {
public:
    /// Connects to the display and resolves the window. Fails with a clear Status without X11.
    static Result<std::unique_ptr<ScreenSource>> open(ScreenConfig config, const Clock& clock);
    ~ScreenSource() override;

    [[nodiscard]] std::string describe() const override;
    [[nodiscard]] SourceFormat format() const override;
    [[nodiscard]] Result<void> start(SourceCallbacks callbacks) override;
    void stop() override;

    /// One grab + conversion (or re-use) as frame `sequence`; what the thread does per frame.
    [[nodiscard]] Result<VideoFramePtr> captureFrame(int64_t sequence);

    struct Stats {
        int64_t grabs = 0;
        int64_t conversions = 0;  ///< grabs that changed and were converted
        int64_t reused = 0;       ///< unchanged grabs: previous picture re-emitted
    };
    [[nodiscard]] Stats stats() const;
    /// The captured area (root coordinates) of the latest grab.
    [[nodiscard]] ScreenRect area() const;

private:
    ScreenSource(ScreenConfig config, const Clock& clock, std::unique_ptr<XcbDisplay> display);
    [[nodiscard]] Result<ScreenRect> currentArea() const;
    void drawCursor(uint8_t* bgrx, const ScreenRect& area) const;
    void run(const std::stop_token& stop, const SourceCallbacks& callbacks);
    [[nodiscard]] MediaTime videoPts(int64_t sequence) const;

    ScreenConfig config_;
    std::unique_ptr<XcbDisplay> display_;
    std::unique_ptr<XcbGrabber> grabber_;
    BgrxConverter converter_;
    VideoFramePtr last_;
    ScreenRect area_{};
    std::atomic<int64_t> grabs_{0};
    std::atomic<int64_t> conversions_{0};
    std::atomic<int64_t> reused_{0};
    const Clock& clock_;
    SourceThread thread_;
};

}  // namespace podium::capture

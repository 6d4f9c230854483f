#pragma once

#include <atomic>
#include <memory>
#include <optional>
#include <string>

#include "capture/media_source.h"
#include "capture/source_thread.h"
#include "capture/v4l2_devices.h"
#include "core/clock.h"

namespace podium::capture {

struct CameraConfig {
    std::string path = "/dev/video0";  ///< a V4L2 device node, or a video file when isFile
    bool isFile = false;               ///< open `path` as a file (tests, demos) instead of a camera
    int canvasWidth = 1280;            ///< output size (even)
    int canvasHeight = 720;
    int fpsNum = 30;
    int fpsDen = 1;
    std::optional<CameraMode> mode;  ///< asked of the device; unset = chooseMode on its modes
    int64_t retryMs = 1000;          ///< a lost camera is reopened this often (clock time)

    /// Parses `camera` and `camera:/dev/videoN`.
    static Result<CameraConfig> fromSpec(const std::string& spec);
};

/// Webcam capture through OpenCV VideoCapture (V4L2 backend; any backend for files). Frames
/// are taken at the preset rate, paced by the Clock (pts = sequence * frame duration), each
/// converted to I420 at the canvas size with the aspect kept. When the camera disappears (read
/// fails, device unplugged, file ended) the source keeps emitting a "camera lost -
/// reconnecting" slate at the frame rate and tries to reopen every retryMs: the broadcast
/// goes on. OpenCV exceptions are caught here. start()/stop() from the owning thread.
class CameraSource final : public MediaSource {
public:
    /// Checks the config; the device itself is opened by the thread (and reopened as needed).
    static Result<std::unique_ptr<CameraSource>> create(CameraConfig config, const Clock& clock);
    ~CameraSource() override;

    [[nodiscard]] std::string describe() const override;
    [[nodiscard]] SourceFormat format() const override;
    [[nodiscard]] Result<void> start(SourceCallbacks callbacks) override;
    void stop() override;

    /// True while the slate is shown.
    [[nodiscard]] bool lost() const { return lost_.load(); }
    /// The slate picture's text band (luma lit there), canvas pixels; for tests and the UI.
    struct TextArea {
        int x, y, width, height;
    };
    [[nodiscard]] TextArea slateTextArea() const;

private:
    struct Capture;
    CameraSource(CameraConfig config, const Clock& clock);
    void run(const std::stop_token& stop, const SourceCallbacks& callbacks);
    [[nodiscard]] MediaTime videoPts(int64_t sequence) const;
    [[nodiscard]] std::shared_ptr<VideoFrame> makeSlate() const;

    CameraConfig config_;
    const Clock& clock_;
    std::unique_ptr<Capture> capture_;
    std::atomic<bool> lost_{false};
    SourceThread thread_;
};

}  // namespace podium::capture

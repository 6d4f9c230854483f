#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/status.h"

namespace podium::capture {

/// One capture mode a camera offers.
struct CameraMode {
    uint32_t fourcc = 0;  ///< V4L2 pixel format, e.g. 'MJPG', 'YUYV'
    int width = 0;
    int height = 0;
    double fps = 0;  ///< frames per second
    [[nodiscard]] std::string fourccText() const;
    friend bool operator==(const CameraMode&, const CameraMode&) = default;
};

/// A V4L2 video capture device.
struct CameraDevice {
    std::string path;  ///< /dev/videoN
    std::string card;  ///< the device's name, e.g. "HD Pro Webcam C920"
    std::string driver;
    std::vector<CameraMode> modes;
    [[nodiscard]] std::string id() const { return "camera:" + path; }
};

/// The ioctl calls device listing makes, behind an interface so tests replay recorded answers.
class V4l2Io {
public:
    virtual ~V4l2Io() = default;
    /// ioctl(request, arg): 0 on success, or -errno (EINVAL ends an enumeration).
    virtual int call(unsigned long request, void* arg) = 0;
};

/// Real ioctls on an opened device node (O_RDWR | O_NONBLOCK); closes it on destruction.
class V4l2DeviceIo final : public V4l2Io {
public:
    static Result<std::unique_ptr<V4l2DeviceIo>> open(const std::string& path);
    ~V4l2DeviceIo() override;
    int call(unsigned long request, void* arg) override;

private:
    explicit V4l2DeviceIo(int fd) : fd_(fd) {}
    int fd_;
};

/// VIDIOC_QUERYCAP, then VIDIOC_ENUM_FMT / ENUM_FRAMESIZES / ENUM_FRAMEINTERVALS: the card
/// name and every discrete (or the largest stepwise) mode. NotFound when it is not a capture
/// device (metadata nodes of UVC cameras).
Result<CameraDevice> probeCamera(V4l2Io& io, const std::string& path);

/// Every /dev/video* that is a capture device, sorted by path; unreadable nodes are skipped.
std::vector<CameraDevice> listCameras();

/// The mode to ask for a canvasW x canvasH canvas at `fps`: modes reaching the frame rate
/// first, then the smallest size covering the canvas (else the largest below it), MJPEG or
/// YUYV over other formats, MJPEG over YUYV at equal size. Pure. nullopt for no modes.
std::optional<CameraMode> chooseMode(const std::vector<CameraMode>& modes, int canvasW, int canvasH,
                                     double fps);

}  // namespace podium::capture

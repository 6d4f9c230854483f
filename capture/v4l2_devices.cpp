#include "v4l2_devices.h"

#include <fcntl.h>
#include <linux/videodev2.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <tuple>

namespace podium::capture {

std::string CameraMode::fourccText() const {
    std::string s;
    for (int i = 0; i < 4; ++i) {
        s += char((fourcc >> (8 * i)) & 0xff);
    }
    return s;
}

Result<std::unique_ptr<V4l2DeviceIo>> V4l2DeviceIo::open(const std::string& path) {
    const int fd = ::open(path.c_str(), O_RDWR | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) {
        const int e = errno;
        return makeError(e == ENOENT                   ? ErrorCode::NotFound
                         : (e == EACCES || e == EPERM) ? ErrorCode::PermissionDenied
                                                       : ErrorCode::Unavailable,
                         "cannot open " + path + ": " + std::strerror(e));
    }
    return std::unique_ptr<V4l2DeviceIo>(new V4l2DeviceIo(fd));
}

V4l2DeviceIo::~V4l2DeviceIo() {
    ::close(fd_);
}

int V4l2DeviceIo::call(unsigned long request, void* arg) {
    int rc = 0;
    do {
        rc = ::ioctl(fd_, request, arg);
    } while (rc < 0 && errno == EINTR);
    return rc < 0 ? -errno : 0;
}

namespace {

void addIntervals(V4l2Io& io, uint32_t fourcc, int w, int h, std::vector<CameraMode>& out) {
    v4l2_frmivalenum iv{};
    iv.pixel_format = fourcc;
    iv.width = uint32_t(w);
    iv.height = uint32_t(h);
    for (iv.index = 0; io.call(VIDIOC_ENUM_FRAMEINTERVALS, &iv) == 0; ++iv.index) {
        const v4l2_fract f = iv.type == V4L2_FRMIVAL_TYPE_DISCRETE ? iv.discrete : iv.stepwise.min;
        if (f.numerator > 0) {
            out.push_back({fourcc, w, h, double(f.denominator) / f.numerator});
        }
        if (iv.type != V4L2_FRMIVAL_TYPE_DISCRETE) {
            break;
        }
    }
}

}  // namespace

Result<CameraDevice> probeCamera(V4l2Io& io, const std::string& path) {
    v4l2_capability cap{};
    if (const int rc = io.call(VIDIOC_QUERYCAP, &cap); rc < 0) {
        return makeError(ErrorCode::Unavailable,
                         path + ": VIDIOC_QUERYCAP failed: " + std::strerror(-rc));
    }
    const uint32_t caps =
        (cap.capabilities & V4L2_CAP_DEVICE_CAPS) ? cap.device_caps : cap.capabilities;
    if (!(caps & V4L2_CAP_VIDEO_CAPTURE)) {
        return makeError(ErrorCode::NotFound, path + " is not a video capture device");
    }
    CameraDevice device;
    device.path = path;
    device.card = reinterpret_cast<const char*>(cap.card);
    device.driver = reinterpret_cast<const char*>(cap.driver);
    v4l2_fmtdesc fmt{};
    fmt.type = V4L2_BUF_TYPE_VIDEO_CAPTURE;
    for (fmt.index = 0; io.call(VIDIOC_ENUM_FMT, &fmt) == 0; ++fmt.index) {
        v4l2_frmsizeenum size{};
        size.pixel_format = fmt.pixelformat;
        for (size.index = 0; io.call(VIDIOC_ENUM_FRAMESIZES, &size) == 0; ++size.index) {
            if (size.type == V4L2_FRMSIZE_TYPE_DISCRETE) {
                addIntervals(io, fmt.pixelformat, int(size.discrete.width),
                             int(size.discrete.height), device.modes);
                continue;
            }
            addIntervals(io, fmt.pixelformat, int(size.stepwise.max_width),
                         int(size.stepwise.max_height), device.modes);
            break;
        }
    }
    return device;
}

std::vector<CameraDevice> listCameras() {
    std::vector<std::string> paths;
    std::error_code ec;
    for (const auto& entry : std::filesystem::directory_iterator("/dev", ec)) {
        const std::string name = entry.path().filename().string();
        if (name.rfind("video", 0) == 0) {
            paths.push_back(entry.path().string());
        }
    }
    std::sort(paths.begin(), paths.end());
    std::vector<CameraDevice> cameras;
    for (const auto& path : paths) {
        auto io = V4l2DeviceIo::open(path);
        if (!io) {
            continue;
        }
        if (auto device = probeCamera(**io, path)) {
            cameras.push_back(std::move(*device));
        }
    }
    return cameras;
}

std::optional<CameraMode> chooseMode(const std::vector<CameraMode>& modes, int canvasW, int canvasH,
                                     double fps) {
    const auto key = [&](const CameraMode& m) {
        const bool fastEnough = m.fps + 0.5 >= fps;
        const bool covers = m.width >= canvasW && m.height >= canvasH;
        const int64_t area = int64_t(m.width) * m.height;
        const int formatRank = m.fourcc == V4L2_PIX_FMT_MJPEG  ? 0
                               : m.fourcc == V4L2_PIX_FMT_YUYV ? 1
                                                               : 2;
        // Lower is better: frame rate, then covering sizes (smallest first) before smaller
        // ones (largest first), then the format, then the fps closest above.
        return std::make_tuple(fastEnough ? 0 : 1, covers ? 0 : 1, covers ? area : -area,
                               formatRank, std::abs(m.fps - fps));
    };
    const auto best = std::min_element(
        modes.begin(), modes.end(), [&](const auto& a, const auto& b) { return key(a) < key(b); });
    if (best == modes.end()) {
        return std::nullopt;
    }
    return *best;
}

}  // namespace podium::capture

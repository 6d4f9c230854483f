#pragma once

#include <string>
#include <vector>

#include "capture/pulse_audio_source.h"
#include "capture/screen_rect.h"
#include "capture/v4l2_devices.h"

namespace podium::capture {

struct ScreenInfo {
    std::string display;  ///< e.g. ":0"
    int width = 0;
    int height = 0;
    [[nodiscard]] std::string id() const { return "screen:" + display; }
};

struct WindowInfo {
    uint32_t windowId = 0;
    std::string title;
    ScreenRect geometry;                   ///< root coordinates
    [[nodiscard]] std::string id() const;  ///< "window:0x3a00007"
};

/// What `podium-cli sources` prints. Each subsystem fails softly: its list stays empty and a
/// note says why (no DISPLAY, no PulseAudio server, no /dev/video*).
struct SourceList {
    std::vector<ScreenInfo> screens;
    std::vector<WindowInfo> windows;
    std::vector<CameraDevice> cameras;
    std::vector<AudioDeviceInfo> audio;
    std::vector<std::string> notes;
};

/// Lists screens ($DISPLAY or `display`), top-level windows, V4L2 cameras with modes and
/// PulseAudio capture devices. Any thread; takes up to a few hundred ms.
SourceList listSources(const std::string& display = "", const std::string& pulseServer = "");

}  // namespace podium::capture

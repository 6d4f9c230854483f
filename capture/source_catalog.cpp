#include "source_catalog.h"

#include <cstdio>

#include "capture/xcb_display.h"

namespace podium::capture {

std::string WindowInfo::id() const {
    char buf[32];
    std::snprintf(buf, sizeof buf, "window:0x%x", windowId);
    return buf;
}

SourceList listSources(const std::string& display, const std::string& pulseServer) {
    SourceList list;
    if (auto x = XcbDisplay::open(display)) {
        list.screens.push_back({(*x)->name(), (*x)->width(), (*x)->height()});
        for (xcb_window_t w : (*x)->topLevelWindows()) {
            auto rect = (*x)->windowRect(w);
            if (rect) {
                list.windows.push_back({w, (*x)->windowTitle(w), *rect});
            }
        }
    } else {
        list.notes.push_back("screens: " + x.error().toString());
    }
    list.cameras = listCameras();
    if (list.cameras.empty()) {
        list.notes.push_back("cameras: no V4L2 capture device found (/dev/video*)");
    }
    if (auto audio = listAudioSources(pulseServer)) {
        list.audio = std::move(*audio);
    } else {
        list.notes.push_back("audio: " + audio.error().toString());
    }
    return list;
}

}  // namespace podium::capture

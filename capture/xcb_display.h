#pragma once

#include <cstdint>
#include <cstdlib>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <xcb/xcb.h>

#include "capture/screen_rect.h"
#include "core/status.h"

namespace podium::capture {

/// Frees an xcb reply (malloc'ed by xcb).
struct XcbReplyFreer {
    void operator()(void* p) const { std::free(p); }
};
template <typename T>
using XcbReply = std::unique_ptr<T, XcbReplyFreer>;

struct XcbConnectionCloser {
    void operator()(xcb_connection_t* c) const { xcb_disconnect(c); }
};
using XcbConnectionPtr = std::unique_ptr<xcb_connection_t, XcbConnectionCloser>;

/// The mouse pointer's picture: premultiplied ARGB (0xAARRGGBB), top-left at (x, y) on the
/// root window (hot spot already subtracted).
struct CursorImage {
    int x = 0;
    int y = 0;
    int width = 0;
    int height = 0;
    std::vector<uint32_t> argb;
};

/// One connection to an X11 display (xcb), with the few queries capture needs: screen size,
/// window geometry and titles (_NET_WM_NAME / WM_NAME), the client list (_NET_CLIENT_LIST), the
/// cursor image (XFixes). Errors become Status with the display name as context. Not
/// thread-safe: used by one thread at a time (the source's thread, or the caller of open()).
class XcbDisplay {
public:
    /// Connects to `name` ("" = $DISPLAY). Without DISPLAY (or a Wayland-only session): an
    /// Unavailable Status saying that screen capture needs an X11 display.
    static Result<std::unique_ptr<XcbDisplay>> open(const std::string& name);
    ~XcbDisplay();
    XcbDisplay(const XcbDisplay&) = delete;
    XcbDisplay& operator=(const XcbDisplay&) = delete;

    [[nodiscard]] xcb_connection_t* connection() const { return conn_.get(); }
    [[nodiscard]] xcb_window_t root() const { return screen_->root; }
    [[nodiscard]] int width() const { return screen_->width_in_pixels; }
    [[nodiscard]] int height() const { return screen_->height_in_pixels; }
    [[nodiscard]] const std::string& name() const { return name_; }
    [[nodiscard]] bool hasShm() const { return hasShm_; }

    /// A window's rectangle in root coordinates (border excluded).
    [[nodiscard]] Result<ScreenRect> windowRect(xcb_window_t window) const;
    /// _NET_WM_NAME (UTF-8) or WM_NAME; empty when it has neither.
    [[nodiscard]] std::string windowTitle(xcb_window_t window) const;
    /// Top-level windows: _NET_CLIENT_LIST when a window manager publishes it, otherwise the
    /// mapped children of the root window.
    [[nodiscard]] std::vector<xcb_window_t> topLevelWindows() const;
    /// The first top-level window whose title contains `title`.
    [[nodiscard]] Result<xcb_window_t> findWindow(const std::string& title) const;
    /// The current cursor, when XFixes is available.
    [[nodiscard]] std::optional<CursorImage> cursor() const;

private:
    XcbDisplay(XcbConnectionPtr conn, const xcb_screen_t* screen, std::string name);
    [[nodiscard]] xcb_atom_t atom(const char* name) const;
    [[nodiscard]] std::string stringProperty(xcb_window_t window, xcb_atom_t property,
                                             xcb_atom_t type) const;

    XcbConnectionPtr conn_;
    const xcb_screen_t* screen_;
    std::string name_;
    bool hasShm_ = false;
    bool hasXfixes_ = false;
};

/// Grabs root-window areas as BGRX pixels (4 bytes per pixel, stride = width * 4) into two
/// alternating buffers: MIT-SHM segments (xcb_shm_get_image) when the server offers them,
/// otherwise memory filled from xcb_get_image. The buffer of the previous grab stays valid
/// until the next grab, so callers can compare the two. One thread.
class XcbGrabber {
public:
    XcbGrabber(const XcbDisplay& display, bool allowShm);
    ~XcbGrabber();
    XcbGrabber(const XcbGrabber&) = delete;
    XcbGrabber& operator=(const XcbGrabber&) = delete;

    /// Grabs `area` (inside the screen); returns the pixels (valid until the next-but-one grab).
    [[nodiscard]] Result<uint8_t*> grab(const ScreenRect& area);
    /// The pixels of the grab before the last one (nullptr before two grabs or after a size
    /// change), same area size.
    [[nodiscard]] const uint8_t* previous() const;
    [[nodiscard]] bool usingShm() const { return useShm_; }

private:
    struct Buffer;
    [[nodiscard]] Result<void> prepare(Buffer& buffer, size_t bytes);
    [[nodiscard]] Result<void> grabShm(Buffer& buffer, const ScreenRect& area);
    [[nodiscard]] Result<void> grabPlain(Buffer& buffer, const ScreenRect& area);

    const XcbDisplay& display_;
    bool useShm_;
    std::unique_ptr<Buffer> buffers_[2];
    int current_ = 0;
};

}  // namespace podium::capture

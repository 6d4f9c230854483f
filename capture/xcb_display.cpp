#include "xcb_display.h"

#include <sys/ipc.h>
#include <sys/shm.h>

#include <cerrno>
#include <cstring>
#include <utility>

#include <xcb/shm.h>
#include <xcb/xfixes.h>

namespace podium::capture {
namespace {

const char* kNoX11 =
    "screen capture needs an X11 display (set DISPLAY); Wayland-only sessions are not "
    "supported yet";

Status xcbError(const std::string& what, const xcb_generic_error_t* error) {
    return Status(ErrorCode::Unavailable,
                  what + " failed (X error " + std::to_string(error ? error->error_code : 0) + ")");
}

}  // namespace

// ---- XcbDisplay --------------------------------------------------------------------------

XcbDisplay::XcbDisplay(XcbConnectionPtr conn, const xcb_screen_t* screen, std::string name)
    : conn_(std::move(conn)), screen_(screen), name_(std::move(name)) {
    xcb_connection_t* c = conn_.get();
    const xcb_query_extension_reply_t* shm = xcb_get_extension_data(c, &xcb_shm_id);
    hasShm_ = shm && shm->present;
    const xcb_query_extension_reply_t* fixes = xcb_get_extension_data(c, &xcb_xfixes_id);
    if (fixes && fixes->present) {
        XcbReply<xcb_xfixes_query_version_reply_t> v(xcb_xfixes_query_version_reply(
            c, xcb_xfixes_query_version(c, XCB_XFIXES_MAJOR_VERSION, XCB_XFIXES_MINOR_VERSION),
            nullptr));
        hasXfixes_ = v && v->major_version >= 1;
    }
}

XcbDisplay::~XcbDisplay() = default;

Result<std::unique_ptr<XcbDisplay>> XcbDisplay::open(const std::string& name) {
    const char* env = std::getenv("DISPLAY");
    const std::string display = name.empty() ? (env ? env : "") : name;
    if (display.empty()) {
        return makeError(ErrorCode::Unavailable, kNoX11);
    }
    int screenIndex = 0;
    XcbConnectionPtr conn(xcb_connect(display.c_str(), &screenIndex));
    if (!conn || xcb_connection_has_error(conn.get())) {
        return makeError(
            Status(ErrorCode::Unavailable, std::string("cannot connect to X display: ") + kNoX11)
                .withContext("display " + display));
    }
    xcb_screen_iterator_t it = xcb_setup_roots_iterator(xcb_get_setup(conn.get()));
    for (int i = 0; i < screenIndex && it.rem; ++i) {
        xcb_screen_next(&it);
    }
    if (!it.rem) {
        return makeError(Status(ErrorCode::NotFound, "no such screen").withContext(display));
    }
    return std::unique_ptr<XcbDisplay>(new XcbDisplay(std::move(conn), it.data, display));
}

xcb_atom_t XcbDisplay::atom(const char* atomName) const {
    XcbReply<xcb_intern_atom_reply_t> r(xcb_intern_atom_reply(
        conn_.get(), xcb_intern_atom(conn_.get(), 1, uint16_t(std::strlen(atomName)), atomName),
        nullptr));
    return r ? r->atom : xcb_atom_t(XCB_ATOM_NONE);
}

std::string XcbDisplay::stringProperty(xcb_window_t window, xcb_atom_t property,
                                       xcb_atom_t type) const {
    if (property == XCB_ATOM_NONE || type == XCB_ATOM_NONE) {
        return {};
    }
    XcbReply<xcb_get_property_reply_t> r(xcb_get_property_reply(
        conn_.get(), xcb_get_property(conn_.get(), 0, window, property, type, 0, 1024), nullptr));
    if (!r || r->format != 8) {
        return {};
    }
    const auto* data = static_cast<const char*>(xcb_get_property_value(r.get()));
    return std::string(data, size_t(xcb_get_property_value_length(r.get())));
}

Result<ScreenRect> XcbDisplay::windowRect(xcb_window_t window) const {
    xcb_connection_t* c = conn_.get();
    xcb_generic_error_t* error = nullptr;
    XcbReply<xcb_get_geometry_reply_t> g(
        xcb_get_geometry_reply(c, xcb_get_geometry(c, window), &error));
    XcbReply<xcb_generic_error_t> errorOwner(error);
    if (!g) {
        return makeError(xcbError("window geometry", error).withContext(name_));
    }
    XcbReply<xcb_translate_coordinates_reply_t> t(xcb_translate_coordinates_reply(
        c, xcb_translate_coordinates(c, window, root(), 0, 0), nullptr));
    if (!t) {
        return makeError(ErrorCode::Unavailable, "window position unavailable");
    }
    return ScreenRect{t->dst_x, t->dst_y, g->width, g->height};
}

std::string XcbDisplay::windowTitle(xcb_window_t window) const {
    std::string title = stringProperty(window, atom("_NET_WM_NAME"), atom("UTF8_STRING"));
    if (title.empty()) {
        title = stringProperty(window, XCB_ATOM_WM_NAME, XCB_ATOM_STRING);
    }
    return title;
}

std::vector<xcb_window_t> XcbDisplay::topLevelWindows() const {
    xcb_connection_t* c = conn_.get();
    std::vector<xcb_window_t> windows;
    const xcb_atom_t clientList = atom("_NET_CLIENT_LIST");
    if (clientList != XCB_ATOM_NONE) {
        XcbReply<xcb_get_property_reply_t> r(xcb_get_property_reply(
            c, xcb_get_property(c, 0, root(), clientList, XCB_ATOM_WINDOW, 0, 4096), nullptr));
        if (r && r->format == 32 && xcb_get_property_value_length(r.get()) > 0) {
            const auto* ids = static_cast<const xcb_window_t*>(xcb_get_property_value(r.get()));
            windows.assign(ids, ids + xcb_get_property_value_length(r.get()) / 4);
            return windows;
        }
    }
    XcbReply<xcb_query_tree_reply_t> tree(
        xcb_query_tree_reply(c, xcb_query_tree(c, root()), nullptr));
    if (!tree) {
        return windows;
    }
    const xcb_window_t* children = xcb_query_tree_children(tree.get());
    for (int i = 0; i < xcb_query_tree_children_length(tree.get()); ++i) {
        XcbReply<xcb_get_window_attributes_reply_t> a(
            xcb_get_window_attributes_reply(c, xcb_get_window_attributes(c, children[i]), nullptr));
        if (a && a->map_state == XCB_MAP_STATE_VIEWABLE &&
            a->_class == XCB_WINDOW_CLASS_INPUT_OUTPUT) {
            windows.push_back(children[i]);
        }
    }
    return windows;
}

Result<xcb_window_t> XcbDisplay::findWindow(const std::string& title) const {
    for (xcb_window_t w : topLevelWindows()) {
        if (windowTitle(w).find(title) != std::string::npos) {
            return w;
        }
    }
    return makeError(
        Status(ErrorCode::NotFound, "no window titled \"" + title + "\"").withContext(name_));
}

std::optional<CursorImage> XcbDisplay::cursor() const {
    if (!hasXfixes_) {
        return std::nullopt;
    }
    xcb_connection_t* c = conn_.get();
    XcbReply<xcb_xfixes_get_cursor_image_reply_t> r(
        xcb_xfixes_get_cursor_image_reply(c, xcb_xfixes_get_cursor_image(c), nullptr));
    if (!r || r->width == 0 || r->height == 0) {
        return std::nullopt;
    }
    CursorImage image{r->x - r->xhot, r->y - r->yhot, r->width, r->height, {}};
    const uint32_t* pixels = xcb_xfixes_get_cursor_image_cursor_image(r.get());
    image.argb.assign(pixels, pixels + size_t(r->width) * r->height);
    return image;
}

// ---- XcbGrabber --------------------------------------------------------------------------

struct XcbGrabber::Buffer {
    xcb_connection_t* conn = nullptr;
    xcb_shm_seg_t segment = 0;
    uint8_t* shm = nullptr;  ///< attached SHM memory, or null
    std::vector<uint8_t> plain;
    size_t bytes = 0;
    int width = 0;  ///< area size of the grab held, 0 = none
    int height = 0;

    uint8_t* data() { return shm ? shm : plain.data(); }
    void release() {
        if (shm) {
            xcb_shm_detach(conn, segment);
            shmdt(shm);
            shm = nullptr;
        }
        bytes = 0;
        width = height = 0;
    }
    ~Buffer() { release(); }
};

XcbGrabber::XcbGrabber(const XcbDisplay& display, bool allowShm)
    : display_(display), useShm_(allowShm && display.hasShm()) {
    buffers_[0] = std::make_unique<Buffer>();
    buffers_[1] = std::make_unique<Buffer>();
    buffers_[0]->conn = buffers_[1]->conn = display.connection();
}

XcbGrabber::~XcbGrabber() = default;

Result<void> XcbGrabber::prepare(Buffer& buffer, size_t bytes) {
    if (buffer.bytes == bytes) {
        return ok();
    }
    buffer.release();
    if (!useShm_) {
        buffer.plain.resize(bytes);
        buffer.bytes = bytes;
        return ok();
    }
    const int id = shmget(IPC_PRIVATE, bytes, IPC_CREAT | 0600);
    if (id < 0) {
        return makeError(ErrorCode::Unavailable,
                         std::string("shmget failed: ") + std::strerror(errno));
    }
    void* memory = shmat(id, nullptr, 0);
    if (memory == reinterpret_cast<void*>(-1)) {
        shmctl(id, IPC_RMID, nullptr);
        return makeError(ErrorCode::Unavailable,
                         std::string("shmat failed: ") + std::strerror(errno));
    }
    xcb_connection_t* c = display_.connection();
    buffer.segment = xcb_generate_id(c);
    XcbReply<xcb_generic_error_t> error(
        xcb_request_check(c, xcb_shm_attach_checked(c, buffer.segment, uint32_t(id), 0)));
    shmctl(id, IPC_RMID, nullptr);  // freed once both sides have detached
    if (error) {
        shmdt(memory);
        return makeError(xcbError("MIT-SHM attach", error.get()));
    }
    buffer.shm = static_cast<uint8_t*>(memory);
    buffer.bytes = bytes;
    return ok();
}

Result<void> XcbGrabber::grabShm(Buffer& buffer, const ScreenRect& a) {
    xcb_connection_t* c = display_.connection();
    xcb_generic_error_t* error = nullptr;
    XcbReply<xcb_shm_get_image_reply_t> r(xcb_shm_get_image_reply(
        c,
        xcb_shm_get_image(c, display_.root(), int16_t(a.x), int16_t(a.y), uint16_t(a.width),
                          uint16_t(a.height), ~0u, XCB_IMAGE_FORMAT_Z_PIXMAP, buffer.segment, 0),
        &error));
    XcbReply<xcb_generic_error_t> errorOwner(error);
    if (!r) {
        return makeError(xcbError("MIT-SHM GetImage", error));
    }
    return ok();
}

Result<void> XcbGrabber::grabPlain(Buffer& buffer, const ScreenRect& a) {
    xcb_connection_t* c = display_.connection();
    xcb_generic_error_t* error = nullptr;
    XcbReply<xcb_get_image_reply_t> r(xcb_get_image_reply(
        c,
        xcb_get_image(c, XCB_IMAGE_FORMAT_Z_PIXMAP, display_.root(), int16_t(a.x), int16_t(a.y),
                      uint16_t(a.width), uint16_t(a.height), ~0u),
        &error));
    XcbReply<xcb_generic_error_t> errorOwner(error);
    if (!r) {
        return makeError(xcbError("GetImage", error));
    }
    const size_t length = size_t(xcb_get_image_data_length(r.get()));
    if (length < buffer.bytes) {
        return makeError(ErrorCode::Unsupported,
                         "unexpected X image layout (need 32 bits per pixel, depth 24)");
    }
    std::memcpy(buffer.plain.data(), xcb_get_image_data(r.get()), buffer.bytes);
    return ok();
}

Result<uint8_t*> XcbGrabber::grab(const ScreenRect& area) {
    current_ ^= 1;
    Buffer& buffer = *buffers_[current_];
    buffer.width = buffer.height = 0;
    const size_t bytes = size_t(area.width) * area.height * 4;
    auto ready = prepare(buffer, bytes);
    if (ready && useShm_) {
        ready = grabShm(buffer, area);
        if (!ready) {  // e.g. a remote display: fall back for good
            useShm_ = false;
            buffers_[0]->release();
            buffers_[1]->release();
            ready = prepare(buffer, bytes);
        }
    }
    if (ready && !useShm_) {
        ready = grabPlain(buffer, area);
    }
    if (!ready) {
        return makeError(std::move(ready.error()).withContext(display_.name()));
    }
    buffer.width = area.width;
    buffer.height = area.height;
    return buffer.data();
}

const uint8_t* XcbGrabber::previous() const {
    const Buffer& now = *buffers_[current_];
    Buffer& before = *buffers_[current_ ^ 1];
    if (before.width == 0 || before.width != now.width || before.height != now.height) {
        return nullptr;
    }
    return before.data();
}

}  // namespace podium::capture

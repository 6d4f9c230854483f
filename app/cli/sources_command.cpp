#include <QCommandLineParser>
#include <chrono>
#include <cstdio>
#include <map>

#include "app/cli/cli_support.h"
#include "app/cli/commands.h"
#include "app/session/source_spec.h"
#include "capture/portal_screencast.h"
#include "capture/source_catalog.h"

namespace podium::cli {

namespace {
// "MJPG 1920x1080 30, 1280x720 30; YUYV 640x480 30" — modes grouped by pixel format.
std::string describeModes(const std::vector<capture::CameraMode>& modes) {
    std::map<std::string, std::string> byFormat;
    for (const auto& m : modes) {
        auto& text = byFormat[m.fourccText()];
        char buf[64];
        std::snprintf(buf, sizeof buf, "%s%dx%d@%g", text.empty() ? "" : ", ", m.width, m.height,
                      m.fps);
        text += buf;
    }
    std::string out;
    for (const auto& [format, sizes] : byFormat) {
        out += (out.empty() ? "" : "; ") + format + " " + sizes;
    }
    return out;
}

// "ScreenCast version 4: monitors, windows; cursor embedded" or why there is no portal.
std::string describePortal() {
    auto bus = capture::DbusConnection::openSession();
    if (!bus) {
        return "not available: " + bus.error().toString();
    }
    auto portal = capture::PortalScreenCast::connect(std::move(*bus), std::chrono::seconds(3));
    if (!portal) {
        return "not available: " + portal.error().toString();
    }
    const auto& caps = (*portal)->capabilities();
    std::string what;
    if (caps.sourceTypes & capture::PortalRequest::kMonitor) {
        what += "monitors";
    }
    if (caps.sourceTypes & capture::PortalRequest::kWindow) {
        what += what.empty() ? "windows" : ", windows";
    }
    std::string out = "ScreenCast version " + std::to_string(caps.version) + ": shares " +
                      (what.empty() ? "nothing" : what);
    if (caps.cursorModes & 2) {
        out += "; cursor drawn in";
    }
    if (caps.version >= 4) {
        out += "; remembers the choice";
    }
    return out;
}

void printScreenPath() {
    const app::ScreenPath path = app::chooseScreenPath();
    std::printf("\nScreen (--source screen)\n");
    if (path.portal) {
        std::printf("  %-26s %s: the desktop portal (the desktop asks what to share)\n", "screen",
                    path.reason.c_str());
    } else {
        std::printf("  %-26s %s: X11 (--source portal uses the desktop portal)\n", "screen",
                    path.reason.c_str());
    }
    std::printf("  %-26s %s\n", "portal", describePortal().c_str());
    std::printf("  %-26s %s\n", "portal:choose", "asks again instead of restoring the last choice");
}
}  // namespace

int runSources(const QStringList& args) {
    QCommandLineParser parser;
    parser.setApplicationDescription(
        "List screens, windows, cameras and audio inputs with the ids --source, --pip and "
        "--audio accept.");
    parser.addOptions({{"display", "X11 display to list (default $DISPLAY).", "DISPLAY"}});
    if (!parseOrExplain(parser, "sources", args)) {
        return parser.isSet("help") ? 0 : 2;
    }
    const auto list = capture::listSources(parser.value("display").toStdString());
    std::printf("testpattern                 moving test picture with a beep every second\n");
    printScreenPath();
    std::printf("\nX11 screens\n");
    for (const auto& s : list.screens) {
        std::printf("  %-26s %dx%d (a region: %s+X,Y,WxH)\n", s.id().c_str(), s.width, s.height,
                    s.id().c_str());
    }
    std::printf("\nWindows\n");
    for (const auto& w : list.windows) {
        std::printf("  %-26s %dx%d  %s\n", w.id().c_str(), w.geometry.width, w.geometry.height,
                    w.title.c_str());
    }
    std::printf("\nCameras (--source or --pip)\n");
    for (const auto& c : list.cameras) {
        std::printf("  %-26s %s: %s\n", c.id().c_str(), c.card.c_str(),
                    describeModes(c.modes).c_str());
    }
    std::printf("\nAudio inputs (--audio)\n");
    for (const auto& a : list.audio) {
        std::printf("  %-26s %s%s\n", a.id().c_str(), a.description.c_str(),
                    a.isMonitor ? " (what the speakers play)" : "");
    }
    for (const auto& note : list.notes) {
        std::printf("\nnote: %s\n", note.c_str());
    }
    return 0;
}

}  // namespace podium::cli

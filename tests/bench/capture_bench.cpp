// Screen capture benchmark (not a test): captures the screen for a while through one path and
// prints what it delivered and what it cost, as one line of key=value pairs:
//
//   capture_bench portal|x11 [SECONDS] [WxH] [FPS]     (defaults: 20 s, 1920x1080, 30)
//
// portal: the ScreenCast portal + PipeWire of the session in the environment
// (DBUS_SESSION_BUS_ADDRESS); x11: the X11 screen of $DISPLAY. The first 2 s are warm-up and
// not counted. "pictures" are the distinct screen pictures converted (the portal's frames; the
// X11 grabs that changed), "frames" what the source delivered at the canvas rate, "cpu" the
// process's user+system CPU over the window as a percentage of one core.
// tests/bench/screen_capture_bench.sh runs both paths side by side.
#include <sys/resource.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <thread>

#include "capture/portal_screen_source.h"
#include "capture/screen_source.h"

using namespace podium;
using namespace podium::capture;

namespace {

double cpuSeconds() {
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    const auto seconds = [](const timeval& t) { return double(t.tv_sec) + t.tv_usec / 1e6; };
    return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

struct Counts {
    int64_t pictures = 0;
    int64_t frames = 0;
};

}  // namespace

int main(int argc, char** argv) {
    const std::string path = argc > 1 ? argv[1] : "";
    const double seconds = argc > 2 ? std::atof(argv[2]) : 20;
    int width = 1920;
    int height = 1080;
    if (argc > 3 && std::sscanf(argv[3], "%dx%d", &width, &height) != 2) {
        std::fprintf(stderr, "size must look like 1920x1080\n");
        return 2;
    }
    const int fps = argc > 4 ? std::atoi(argv[4]) : 30;
    if ((path != "portal" && path != "x11") || seconds <= 0 || fps <= 0) {
        std::fprintf(stderr, "usage: capture_bench portal|x11 [SECONDS] [WxH] [FPS]\n");
        return 2;
    }

    SteadyClock clock;
    std::unique_ptr<MediaSource> source;
    std::function<Counts()> counts;
    std::atomic<int64_t> frames{0};
    if (path == "portal") {
        PortalScreenConfig config;
        config.canvasWidth = width;
        config.canvasHeight = height;
        config.fpsNum = fps;
        auto portal = PortalScreenSource::open(config, clock);
        if (!portal) {
            std::fprintf(stderr, "%s\n", portal.error().toString().c_str());
            return 1;
        }
        auto* p = portal->get();
        counts = [p, &frames] { return Counts{p->stats().received, frames.load()}; };
        source = std::move(*portal);
    } else {
        ScreenConfig config;
        config.canvasWidth = width;
        config.canvasHeight = height;
        config.fpsNum = fps;
        auto screen = ScreenSource::open(config, clock);
        if (!screen) {
            std::fprintf(stderr, "%s\n", screen.error().toString().c_str());
            return 1;
        }
        auto* s = screen->get();
        counts = [s, &frames] { return Counts{s->stats().conversions, frames.load()}; };
        source = std::move(*screen);
    }
    SourceCallbacks callbacks;
    callbacks.onVideo = [&frames](VideoFramePtr) { ++frames; };
    if (auto r = source->start(std::move(callbacks)); !r) {
        std::fprintf(stderr, "%s\n", r.error().toString().c_str());
        return 1;
    }
    std::this_thread::sleep_for(std::chrono::seconds(2));  // warm-up
    const Counts before = counts();
    const double cpuBefore = cpuSeconds();
    const auto start = std::chrono::steady_clock::now();
    std::this_thread::sleep_for(std::chrono::duration<double>(seconds));
    const Counts after = counts();
    const double cpu = cpuSeconds() - cpuBefore;
    const double wall =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    source->stop();
    std::printf(
        "path=%s size=%dx%d canvas_fps=%d seconds=%.1f pictures_per_s=%.1f "
        "frames_per_s=%.1f cpu_percent=%.1f\n",
        path.c_str(), width, height, fps, wall, (after.pictures - before.pictures) / wall,
        (after.frames - before.frames) / wall, 100.0 * cpu / wall);
    return 0;
}

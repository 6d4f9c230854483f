#pragma once

#include <thread>

namespace podium::gui {

/// Copies everything written to stderr (core/log.h's lines, libav's messages) into the
/// in-app LogRing while still writing it to the original stderr. Installs a pipe over fd 2 in
/// the constructor; the destructor restores fd 2 and joins the reader thread. One per process,
/// owned by main(). Construct before any engine thread starts.
class StderrTap {
public:
    StderrTap();
    ~StderrTap();
    StderrTap(const StderrTap&) = delete;
    StderrTap& operator=(const StderrTap&) = delete;

private:
    void run();

    int originalFd_ = -1;
    int readFd_ = -1;
    std::jthread reader_;
};

}  // namespace podium::gui

#include "app/gui/stderr_tap.h"

#include <unistd.h>

#include <QString>
#include <string>

#include "app/gui/log_ring.h"
#include "core/thread.h"

namespace podium::gui {

StderrTap::StderrTap() {
    int fds[2] = {-1, -1};
    if (::pipe(fds) != 0) {
        return;  // no tap: the log dock shows only the app's own lines
    }
    originalFd_ = ::dup(STDERR_FILENO);
    if (originalFd_ < 0 || ::dup2(fds[1], STDERR_FILENO) < 0) {
        ::close(fds[0]);
        ::close(fds[1]);
        return;
    }
    ::close(fds[1]);
    readFd_ = fds[0];
    if (auto reader = startThread("stderr tap", [this](std::stop_token) { run(); })) {
        reader_ = std::move(*reader);
    } else {
        ::dup2(originalFd_, STDERR_FILENO);
        ::close(readFd_);
        ::close(originalFd_);
        readFd_ = -1;
    }
}

StderrTap::~StderrTap() {
    if (readFd_ < 0) {
        return;
    }
    ::dup2(originalFd_, STDERR_FILENO);  // closes the pipe's last write end: the reader sees EOF
    reader_.join();
    ::close(readFd_);
    ::close(originalFd_);
}

void StderrTap::run() {
    std::string pending;
    char buffer[4096];
    for (;;) {
        const ssize_t n = ::read(readFd_, buffer, sizeof buffer);
        if (n <= 0) {
            break;
        }
        (void)!::write(originalFd_, buffer, size_t(n));
        pending.append(buffer, size_t(n));
        size_t newline = 0;
        while ((newline = pending.find('\n')) != std::string::npos) {
            LogRing::instance().append(QString::fromUtf8(pending.data(), int(newline)));
            pending.erase(0, newline + 1);
        }
    }
    if (!pending.empty()) {
        LogRing::instance().append(QString::fromStdString(pending));
    }
}

}  // namespace podium::gui

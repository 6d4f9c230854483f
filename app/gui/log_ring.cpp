#include "app/gui/log_ring.h"

namespace podium::gui {

LogRing& LogRing::instance() {
    static LogRing ring;
    return ring;
}

void LogRing::append(const QString& line) {
    std::lock_guard lock(mutex_);
    pending_.push_back(line);
    while (pending_.size() > kCapacity) {
        pending_.pop_front();
    }
}

QStringList LogRing::takeNew() {
    std::lock_guard lock(mutex_);
    QStringList out;
    out.reserve(int(pending_.size()));
    for (auto& line : pending_) {
        out.push_back(std::move(line));
    }
    pending_.clear();
    return out;
}

}  // namespace podium::gui

#pragma once

#include <QString>
#include <QStringList>
#include <deque>
#include <mutex>

namespace podium::gui {

/// The in-app log the log dock shows: a bounded ring of lines, appended from any thread
/// (the stderr tap's reader, the controller), read by the GUI thread with takeNew() on a timer.
/// core/log.h writes to stderr only; StderrTap copies those lines here.
class LogRing {
public:
    static constexpr size_t kCapacity = 2000;  ///< lines kept; older ones are forgotten

    static LogRing& instance();

    void append(const QString& line);
    /// Lines appended since the previous call (at most kCapacity).
    QStringList takeNew();

private:
    std::mutex mutex_;
    std::deque<QString> pending_;
};

}  // namespace podium::gui

#pragma once

#include <atomic>
#include <cstdint>
#include <string>
#include <utility>

namespace podium {

enum class LogLevel { Debug = 1, Info, Warning, Error };

/// Lines below this level are not printed. Default Info (PODIUM_LOG=debug lowers it).
void setLogLevel(LogLevel level);
LogLevel logLevel();

/// One line to stderr: "12:00:01.234 W [encoder 720p] message". Thread-safe.
void logLine(LogLevel level, const std::string& component, const std::string& message);

inline void logDebug(const std::string& c, const std::string& m) { logLine(LogLevel::Debug, c, m); }
inline void logInfo(const std::string& c, const std::string& m) { logLine(LogLevel::Info, c, m); }
inline void logWarning(const std::string& c, const std::string& m) {
    logLine(LogLevel::Warning, c, m);
}
inline void logError(const std::string& c, const std::string& m) { logLine(LogLevel::Error, c, m); }

/// Reports a repeating event at most once per `intervalMs`, with the count since the last
/// report ("queue full, dropped 37 frames") — never once per frame.
class RateLimitedLog {
public:
    RateLimitedLog(std::string component, int64_t intervalMs = 5000)
        : component_(std::move(component)), intervalMs_(intervalMs) {}
    void hit(LogLevel level, const std::string& what);

private:
    std::string component_;
    int64_t intervalMs_;
    std::atomic<int64_t> pending_{0};
    std::atomic<int64_t> lastReportMs_{0};
};

}  // namespace podium

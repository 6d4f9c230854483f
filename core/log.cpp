#include "log.h"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <mutex>

namespace podium {

namespace {
LogLevel initialLevel() {
    const char* env = std::getenv("PODIUM_LOG");
    if (env && std::strcmp(env, "debug") == 0) {
        return LogLevel::Debug;
    }
    if (env && std::strcmp(env, "warning") == 0) {
        return LogLevel::Warning;
    }
    return LogLevel::Info;
}
std::atomic<LogLevel> gLevel{initialLevel()};
std::mutex gOutput;

char levelLetter(LogLevel level) {
    switch (level) {
        case LogLevel::Debug: return 'D';
        case LogLevel::Info: return 'I';
        case LogLevel::Warning: return 'W';
        case LogLevel::Error: return 'E';
    }
    return '?';
}

int64_t steadyMillis() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::steady_clock::now().time_since_epoch())
        .count();
}
}  // namespace

void setLogLevel(LogLevel level) { gLevel = level; }
LogLevel logLevel() { return gLevel; }

void logLine(LogLevel level, const std::string& component, const std::string& message) {
    if (level < gLevel.load()) {
        return;
    }
    const auto now = std::chrono::system_clock::now();
    const std::time_t secs = std::chrono::system_clock::to_time_t(now);
    const int ms = static_cast<int>(
        std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() %
        1000);
    std::tm tm{};
    localtime_r(&secs, &tm);
    std::lock_guard lock(gOutput);
    std::fprintf(stderr, "%02d:%02d:%02d.%03d %c [%s] %s\n", tm.tm_hour, tm.tm_min, tm.tm_sec, ms,
                 levelLetter(level), component.c_str(), message.c_str());
}

void RateLimitedLog::hit(LogLevel level, const std::string& what) {
    const int64_t count = ++pending_;
    const int64_t now = steadyMillis();
    int64_t last = lastReportMs_.load();
    if (now - last < intervalMs_ && last != 0) {
        return;
    }
    if (!lastReportMs_.compare_exchange_strong(last, now)) {
        return;
    }
    pending_ -= count;
    logLine(level, component_, what + " (x" + std::to_string(count) + ")");
}

}  // namespace podium

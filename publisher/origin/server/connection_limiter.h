#pragma once

#include <atomic>
#include <mutex>
#include <string>
#include <unordered_map>

namespace podium::publisher::origin {

/// Counts the server's open connections, in total and per client address, against
/// OriginLimits::maxConnections and maxConnectionsPerClient. The acceptor asks admit() for
/// every new socket; an admitted connection calls release() once when it closes. The table
/// holds one entry per address with open connections, so it is bounded by maxConnections.
/// Thread-safe (connections close on any I/O thread).
class ConnectionLimiter {
public:
    enum class Admission { Admitted = 1, ServerFull, ClientFull };

    ConnectionLimiter(int maxTotal, int maxPerClient)
        : maxTotal_(maxTotal), maxPerClient_(maxPerClient) {}

    [[nodiscard]] Admission admit(const std::string& clientIp);
    void release(const std::string& clientIp);

    [[nodiscard]] int open() const;
    [[nodiscard]] int maxTotal() const { return maxTotal_; }
    [[nodiscard]] int maxPerClient() const { return maxPerClient_; }

private:
    const int maxTotal_;
    const int maxPerClient_;
    mutable std::mutex mutex_;
    int open_ = 0;
    std::unordered_map<std::string, int> perClient_;
};

/// A place in a bounded count (ingest POSTs, parked requests): taken with tryTake, given back
/// by the destructor. Move-only.
class CountedSlot {
public:
    CountedSlot() = default;
    /// A slot when `counter` was below `max` (it is then incremented); an empty one otherwise.
    static CountedSlot tryTake(std::atomic<int>& counter, int max);
    ~CountedSlot() { reset(); }
    CountedSlot(CountedSlot&& other) noexcept : counter_(other.counter_) {
        other.counter_ = nullptr;
    }
    CountedSlot& operator=(CountedSlot&& other) noexcept;
    CountedSlot(const CountedSlot&) = delete;
    CountedSlot& operator=(const CountedSlot&) = delete;

    [[nodiscard]] explicit operator bool() const { return counter_ != nullptr; }
    void reset();

private:
    std::atomic<int>* counter_ = nullptr;
};

}  // namespace podium::publisher::origin

#include "publisher/origin/server/connection_limiter.h"

namespace podium::publisher::origin {

ConnectionLimiter::Admission ConnectionLimiter::admit(const std::string& clientIp) {
    std::lock_guard lock(mutex_);
    if (open_ >= maxTotal_) {
        return Admission::ServerFull;
    }
    int& mine = perClient_[clientIp];
    if (mine >= maxPerClient_) {
        if (mine == 0) {
            perClient_.erase(clientIp);
        }
        return Admission::ClientFull;
    }
    ++mine;
    ++open_;
    return Admission::Admitted;
}

void ConnectionLimiter::release(const std::string& clientIp) {
    std::lock_guard lock(mutex_);
    auto it = perClient_.find(clientIp);
    if (it == perClient_.end()) {
        return;
    }
    --open_;
    if (--it->second <= 0) {
        perClient_.erase(it);
    }
}

int ConnectionLimiter::open() const {
    std::lock_guard lock(mutex_);
    return open_;
}

CountedSlot CountedSlot::tryTake(std::atomic<int>& counter, int max) {
    int now = counter.load(std::memory_order_relaxed);
    do {
        if (now >= max) {
            return CountedSlot();
        }
    } while (!counter.compare_exchange_weak(now, now + 1, std::memory_order_relaxed));
    CountedSlot slot;
    slot.counter_ = &counter;
    return slot;
}

CountedSlot& CountedSlot::operator=(CountedSlot&& other) noexcept {
    if (this != &other) {
        reset();
        counter_ = other.counter_;
        other.counter_ = nullptr;
    }
    return *this;
}

void CountedSlot::reset() {
    if (counter_) {
        counter_->fetch_sub(1, std::memory_order_relaxed);
        counter_ = nullptr;
    }
}

}  // namespace podium::publisher::origin

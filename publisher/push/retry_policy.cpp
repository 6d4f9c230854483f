#include "publisher/push/retry_policy.h"

#include <algorithm>
#include <cmath>

namespace podium::publisher::push {

bool isTransient(const Status& status) {
    switch (status.code()) {
        case ErrorCode::Unavailable:
        case ErrorCode::Io:
        case ErrorCode::Internal:
        case ErrorCode::FailedPrecondition:
            return true;
        default:
            return false;
    }
}

std::chrono::milliseconds backoffDelay(const RetryConfig& config, int attempt, double unit) {
    const double base =
        double(config.initialDelay.count()) * std::pow(config.factor, std::max(0, attempt));
    const double scaled = base * (1.0 + config.jitter * (2.0 * unit - 1.0));
    const double capped = std::min(scaled, double(config.maxDelay.count()));
    return std::chrono::milliseconds(int64_t(std::max(0.0, capped)));
}

RetryPolicy::RetryPolicy(RetryConfig config, std::vector<std::string> urls, uint64_t seed)
    : config_(config), urls_(std::move(urls)), rng_(seed ? seed : 1) {
    if (urls_.empty()) {
        urls_.emplace_back();
    }
}

double RetryPolicy::nextUnit() {
    // xorshift64: good enough to spread reconnects of several encoders.
    rng_ ^= rng_ << 13;
    rng_ ^= rng_ >> 7;
    rng_ ^= rng_ << 17;
    return double(rng_ % 1000000) / 1000000.0;
}

RetryPolicy::Decision RetryPolicy::onFailure(const Status& status) {
    Decision d;
    if (!isTransient(status)) {
        d.url = currentUrl();
        return d;
    }
    ++retries_;
    ++failuresInRow_;
    d.retry = true;
    const bool roundDone = failuresInRow_ % int(urls_.size()) == 0;
    current_ = (current_ + 1) % urls_.size();
    d.url = currentUrl();
    if (urls_.size() > 1 && !roundDone) {
        d.delay = std::chrono::milliseconds(0);  // a backup not yet tried this round: at once
    } else {
        const int round = failuresInRow_ / int(urls_.size()) - 1;
        d.delay = backoffDelay(config_, round, nextUnit());
    }
    return d;
}

void RetryPolicy::onSuccess() {
    failuresInRow_ = 0;
}

}  // namespace podium::publisher::push

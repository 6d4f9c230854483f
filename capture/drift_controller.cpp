#include "drift_controller.h"

#include <algorithm>
#include <cmath>

namespace podium::capture {

void DriftController::observe(double outputSeconds, double clockSeconds, double blockSeconds) {
    const double e = outputSeconds - clockSeconds;
    errors_.push_back(e);
    durations_.push_back(blockSeconds);
    sum_ += e;
    windowFill_ += blockSeconds;
    while (windowFill_ > settings_.windowSeconds && errors_.size() > 1) {
        sum_ -= errors_.front();
        windowFill_ -= durations_.front();
        errors_.pop_front();
        durations_.pop_front();
    }
}

double DriftController::error() const {
    return errors_.empty() ? 0.0 : sum_ / double(errors_.size());
}

double DriftController::correction() const {
    const double c = -error() / settings_.settleSeconds;
    return std::clamp(c, -settings_.maxCorrection, settings_.maxCorrection);
}

bool DriftController::needsResync() const {
    return windowFill_ >= settings_.windowSeconds * 0.99 &&
           std::abs(error()) > settings_.resyncSeconds;
}

void DriftController::reset() {
    errors_.clear();
    durations_.clear();
    sum_ = 0;
    windowFill_ = 0;
}

}  // namespace podium::capture

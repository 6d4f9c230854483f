#include "publisher/push/push_status.h"

namespace podium::publisher::push {

const char* pushStateName(PushState state) {
    switch (state) {
        case PushState::Connecting:
            return "connecting";
        case PushState::Live:
            return "live";
        case PushState::Retrying:
            return "retrying";
        case PushState::Failed:
            return "failed";
        case PushState::Finished:
            return "finished";
    }
    return "?";
}

uint64_t SegmentSpool::push(SegmentPtr segment) {
    items_.push_back(std::move(segment));
    uint64_t dropped = 0;
    const auto unsentSeconds = [&] {
        double s = 0;
        for (size_t i = cursor_; i < items_.size(); ++i) {
            s += items_[i]->duration.seconds();
        }
        return s;
    };
    // Keep at least the newest segment; drop the oldest unsent ones beyond the limit.
    while (items_.size() - cursor_ > 1 && unsentSeconds() > limit_.seconds()) {
        items_.erase(items_.begin() + std::ptrdiff_t(cursor_));
        ++dropped;
    }
    while (cursor_ > keepSent_) {
        items_.pop_front();
        --cursor_;
    }
    return dropped;
}

SegmentPtr SegmentSpool::next() const {
    return idle() ? nullptr : items_[cursor_];
}

void SegmentSpool::markSent() {
    if (!idle()) {
        ++cursor_;
    }
    while (cursor_ > keepSent_) {
        items_.pop_front();
        --cursor_;
    }
}

void SegmentSpool::rewind(size_t count) {
    cursor_ -= std::min(count, cursor_);
}

uint64_t SegmentSpool::bytesUnsent() const {
    uint64_t n = 0;
    for (size_t i = cursor_; i < items_.size(); ++i) {
        n += items_[i]->bytes.size();
    }
    return n;
}

}  // namespace podium::publisher::push

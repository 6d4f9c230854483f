#include "publisher/push/segment_spool.h"

#include <unistd.h>

#include <atomic>
#include <fstream>

#include "core/log.h"

namespace podium::publisher::push {

namespace {
std::atomic<uint64_t> gSpoolCounter{0};
}  // namespace

SegmentSpool::SegmentSpool(MediaTime limit, size_t keepSent, const std::filesystem::path& directory)
    : limit_(limit), keepSent_(keepSent) {
    if (directory.empty()) {
        return;
    }
    std::error_code ec;
    const auto folder = directory / ("podium-spool-" + std::to_string(::getpid()) + "-" +
                                     std::to_string(++gSpoolCounter));
    std::filesystem::create_directories(folder, ec);
    if (ec) {
        logWarning("push", "cannot use spool folder " + folder.string() + ": " + ec.message() +
                               " (spooling in memory)");
        return;
    }
    folder_ = folder;
}

SegmentSpool::~SegmentSpool() {
    if (!folder_.empty()) {
        std::error_code ec;
        std::filesystem::remove_all(folder_, ec);
    }
}

SegmentSpool::Item SegmentSpool::store(SegmentPtr segment) {
    Item item{segment, {}, segment->bytes.size()};
    if (folder_.empty()) {
        return item;
    }
    const auto file = folder_ / (std::to_string(nextFile_++) + ".m4s");
    std::ofstream out(file, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(segment->bytes.data()),
              std::streamsize(segment->bytes.size()));
    out.close();
    if (!out) {
        std::error_code ec;
        std::filesystem::remove(file, ec);
        logWarning("push", "cannot write spool file " + file.string() + " (kept in memory)");
        return item;
    }
    auto meta = std::make_shared<Segment>(*segment);
    meta->bytes.clear();
    meta->bytes.shrink_to_fit();
    item.segment = std::move(meta);
    item.file = file;
    return item;
}

void SegmentSpool::erase(std::deque<Item>::iterator it) {
    if (!it->file.empty()) {
        std::error_code ec;
        std::filesystem::remove(it->file, ec);
    }
    items_.erase(it);
}

uint64_t SegmentSpool::push(SegmentPtr segment) {
    items_.push_back(store(std::move(segment)));
    uint64_t dropped = 0;
    const auto unsentSeconds = [&] {
        double s = 0;
        for (size_t i = cursor_; i < items_.size(); ++i) {
            s += items_[i].segment->duration.seconds();
        }
        return s;
    };
    // Keep at least the newest segment; drop the oldest unsent ones beyond the limit.
    while (items_.size() - cursor_ > 1 && unsentSeconds() > limit_.seconds()) {
        erase(items_.begin() + std::ptrdiff_t(cursor_));
        ++dropped;
    }
    while (cursor_ > keepSent_) {
        erase(items_.begin());
        --cursor_;
    }
    return dropped;
}

SegmentPtr SegmentSpool::next() const {
    if (idle()) {
        return nullptr;
    }
    const Item& item = items_[cursor_];
    if (item.file.empty()) {
        return item.segment;
    }
    auto segment = std::make_shared<Segment>(*item.segment);
    segment->bytes.resize(item.size);
    std::ifstream in(item.file, std::ios::binary);
    in.read(reinterpret_cast<char*>(segment->bytes.data()), std::streamsize(item.size));
    if (!in) {
        logWarning("push", "cannot read spool file " + item.file.string());
        return nullptr;
    }
    return segment;
}

bool SegmentSpool::isNext(const Segment& segment) const {
    const SegmentPtr head = peek();
    return head && head->trackIndex == segment.trackIndex && head->number == segment.number &&
           head->start == segment.start;
}

void SegmentSpool::markSent() {
    if (!idle()) {
        ++cursor_;
    }
    while (cursor_ > keepSent_) {
        erase(items_.begin());
        --cursor_;
    }
}

void SegmentSpool::rewind(size_t count) {
    cursor_ -= std::min(count, cursor_);
}

uint64_t SegmentSpool::bytesUnsent() const {
    uint64_t n = 0;
    for (size_t i = cursor_; i < items_.size(); ++i) {
        n += items_[i].size;
    }
    return n;
}

uint64_t SegmentSpool::bytesInMemory() const {
    uint64_t n = 0;
    for (const auto& item : items_) {
        n += item.segment->bytes.size();
    }
    return n;
}

}  // namespace podium::publisher::push

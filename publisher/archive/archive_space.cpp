#include "publisher/archive/archive_space.h"

#include <algorithm>
#include <cstdio>

namespace podium::publisher {
namespace {

constexpr uint64_t kBlockBytes = 4096;  // the usual file-system block: a file takes whole ones

uint64_t roundUp(uint64_t value, uint64_t step) {
    return (value + step - 1) / step * step;
}

std::string describeRunway(uint64_t freeBytes, int64_t bitrateBps, double seconds) {
    char text[160];
    std::snprintf(text, sizeof text, "%.1f MB free, about %.0f %s at the ladder's %.2f Mb/s",
                  double(freeBytes) / 1e6, seconds >= 120 ? seconds / 60 : seconds,
                  seconds >= 120 ? "min" : "s", double(bitrateBps) / 1e6);
    return text;
}

}  // namespace

ArchiveSpace::ArchiveSpace(ArchiveStorage& storage, std::filesystem::path folder)
    : storage_(storage), reserve_(folder / kReserveName), folder_(std::move(folder)) {}

uint64_t ArchiveSpace::neededFor(uint64_t largestPlaylistBytes, uint64_t multivariantBytes,
                                 size_t trackCount) {
    // +64: "#EXT-X-ENDLIST" and PLAYLIST-TYPE:VOD make the final copy a little longer.
    return roundUp(largestPlaylistBytes + 64, kBlockBytes) +
           roundUp(multivariantBytes, kBlockBytes) + kBlockBytes * (trackCount + 1);
}

Result<void> ArchiveSpace::hold(uint64_t bytes) {
    const uint64_t wanted = roundUp(std::max<uint64_t>(bytes, 1), kReserveStepBytes);
    if (wanted <= heldBytes_) {
        return ok();
    }
    if (auto allocated = storage_.allocate(reserve_, wanted); !allocated) {
        return allocated;
    }
    heldBytes_ = wanted;
    return ok();
}

void ArchiveSpace::release() {
    storage_.remove(reserve_);
    heldBytes_ = 0;
}

std::optional<std::string> ArchiveSpace::runwayWarning(int64_t bitrateBps) {
    if (warned_ || bitrateBps <= 0) {
        return std::nullopt;
    }
    const auto freeBytes = storage_.availableBytes(folder_);
    if (!freeBytes) {
        return std::nullopt;
    }
    const double seconds = double(*freeBytes) * 8.0 / double(bitrateBps);
    if (seconds >= double(kWarnRunwaySeconds)) {
        return std::nullopt;
    }
    warned_ = true;
    return "the archive's disk is nearly full: " + describeRunway(*freeBytes, bitrateBps, seconds) +
           " (less than 10 minutes); the archive stops, finished, when it is full, and live "
           "goes on";
}

}  // namespace podium::publisher

#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

#include "core/status.h"
#include "publisher/archive/archive_storage.h"

namespace podium::publisher {

/// The archive's disk space. Two jobs:
///  * a reserve file (".podium-reserve" in the archive folder) that keeps the archive
///    finishable: it holds at least the bytes needed to rewrite the final playlists, and is
///    given back (release()) just before they are written, so a full disk still gets a VOD
///    with EXT-X-ENDLIST;
///  * the runway: how long the disk lasts at the ladder's bitrate, to warn once when it is
///    less than kWarnRunwaySeconds.
/// Not thread-safe: the archive's thread. Sizes in bytes, bitrates in bits per second.
class ArchiveSpace {
public:
    static constexpr const char* kReserveName = ".podium-reserve";
    static constexpr int64_t kWarnRunwaySeconds = 600;
    /// The smallest reserve, and the step it grows by (a few playlists' worth).
    static constexpr uint64_t kReserveStepBytes = 64 * 1024;

    ArchiveSpace(ArchiveStorage& storage, std::filesystem::path folder);

    /// Grows the reserve to hold at least `bytes` (rounded up to kReserveStepBytes). Cheap
    /// when it already does. Fails (the disk is full) with the storage's reason.
    Result<void> hold(uint64_t bytes);
    /// Gives the reserve back (removes the file). Idempotent.
    void release();
    [[nodiscard]] uint64_t heldBytes() const { return heldBytes_; }

    /// The warning, once: when the disk has less than kWarnRunwaySeconds at `bitrateBps`
    /// left. nullopt otherwise, after the first warning, or when the space is unknown.
    std::optional<std::string> runwayWarning(int64_t bitrateBps);

    /// Reserve needed to rewrite `largestPlaylistBytes` and `multivariantBytes` once more for
    /// `trackCount` tracks: each file's new copy exists beside the old one until the rename,
    /// and every file takes whole blocks.
    static uint64_t neededFor(uint64_t largestPlaylistBytes, uint64_t multivariantBytes,
                              size_t trackCount);

private:
    ArchiveStorage& storage_;
    const std::filesystem::path reserve_;
    const std::filesystem::path folder_;
    uint64_t heldBytes_ = 0;
    bool warned_ = false;
};

}  // namespace podium::publisher

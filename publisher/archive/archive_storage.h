#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <span>

#include "core/status.h"

namespace podium::publisher {

/// Where an ArchiveSink puts its bytes. DiskStorage (makeDiskStorage()) is the real one; tests
/// inject fakes for what a real disk cannot do on demand (be slow, fill up at a given byte).
/// Called from the archive's thread only. Errors name the file and the reason in words.
class ArchiveStorage {
public:
    virtual ~ArchiveStorage() = default;

    /// Writes `bytes` to `path` crash-safely: a reader sees the old file or the new one.
    virtual Result<void> writeFile(const std::filesystem::path& path,
                                   std::span<const uint8_t> bytes) = 0;
    /// Makes `path` a file holding at least `bytes` bytes of allocated space (created or grown;
    /// never shrunk): room kept aside for later, given back by remove().
    virtual Result<void> allocate(const std::filesystem::path& path, uint64_t bytes) = 0;
    /// Removes `path` if it exists (ignores errors: used on the failure path).
    virtual void remove(const std::filesystem::path& path) = 0;
    /// Bytes an unprivileged writer may still use on the file system holding `folder`;
    /// nullopt when the system cannot tell.
    [[nodiscard]] virtual std::optional<uint64_t> availableBytes(
        const std::filesystem::path& folder) const = 0;
};

/// The real disk: writeFileAtomically(), posix_fallocate(), unlink(), statvfs().
std::unique_ptr<ArchiveStorage> makeDiskStorage();

}  // namespace podium::publisher

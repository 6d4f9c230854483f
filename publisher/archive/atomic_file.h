#pragma once

#include <cstdint>
#include <filesystem>
#include <span>
#include <string_view>

#include "core/status.h"

namespace podium::publisher {

/// Writes `bytes` to `target` crash-safely: into a hidden temp file in the same folder
/// (".<name>.tmp"), flushed and fsync'ed, then renamed over `target`. A reader sees the old
/// file or the new one, never half of one; on failure the temp file is removed and `target`
/// is untouched. Errors name the file. Blocking I/O: call from a sink/worker thread.
Result<void> writeFileAtomically(const std::filesystem::path& target,
                                 std::span<const uint8_t> bytes);
Result<void> writeFileAtomically(const std::filesystem::path& target, std::string_view text);

}  // namespace podium::publisher

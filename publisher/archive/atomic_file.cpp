#include "publisher/archive/atomic_file.h"

#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>
#include <string>

namespace podium::publisher {
namespace {

struct FileCloser {
    void operator()(std::FILE* f) const {
        if (f) {
            std::fclose(f);
        }
    }
};
using FilePtr = std::unique_ptr<std::FILE, FileCloser>;

tl::unexpected<Status> ioError(const std::string& what, const std::filesystem::path& path,
                               int error) {
    const ErrorCode code = error == ENOSPC || error == EDQUOT ? ErrorCode::NoSpace : ErrorCode::Io;
    return makeError(code, "cannot " + what + " " + path.string() + ": " + std::strerror(error));
}

Result<void> writeAndSync(const std::filesystem::path& temp, const uint8_t* data, size_t size) {
    FilePtr file(std::fopen(temp.c_str(), "wb"));
    if (!file) {
        return ioError("create", temp, errno);
    }
    if (size > 0 && std::fwrite(data, 1, size, file.get()) != size) {
        return ioError("write", temp, errno);
    }
    if (std::fflush(file.get()) != 0 || ::fsync(::fileno(file.get())) != 0) {
        return ioError("flush", temp, errno);
    }
    if (std::fclose(file.release()) != 0) {
        return ioError("close", temp, errno);
    }
    return ok();
}

}  // namespace

Result<void> writeFileAtomically(const std::filesystem::path& target,
                                 std::span<const uint8_t> bytes) {
    const std::filesystem::path temp =
        target.parent_path() / ("." + target.filename().string() + ".tmp");
    auto written = writeAndSync(temp, bytes.data(), bytes.size());
    if (written && std::rename(temp.c_str(), target.c_str()) != 0) {
        written = ioError("rename into", target, errno);
    }
    if (!written) {
        std::error_code ignored;
        std::filesystem::remove(temp, ignored);
    }
    return written;
}

Result<void> writeFileAtomically(const std::filesystem::path& target, std::string_view text) {
    return writeFileAtomically(
        target,
        std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(text.data()), text.size()));
}

}  // namespace podium::publisher

#include "publisher/archive/archive_storage.h"

#include <fcntl.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>

#include "publisher/archive/atomic_file.h"

namespace podium::publisher {
namespace {

namespace fs = std::filesystem;

/// Closes a file descriptor when it goes out of scope.
class FileDescriptor {
public:
    explicit FileDescriptor(int fd) : fd_(fd) {}
    ~FileDescriptor() {
        if (fd_ >= 0) {
            ::close(fd_);
        }
    }
    FileDescriptor(const FileDescriptor&) = delete;
    FileDescriptor& operator=(const FileDescriptor&) = delete;
    [[nodiscard]] int get() const { return fd_; }

private:
    int fd_;
};

class DiskStorage final : public ArchiveStorage {
public:
    Result<void> writeFile(const fs::path& path, std::span<const uint8_t> bytes) override {
        return writeFileAtomically(path, bytes);
    }

    Result<void> allocate(const fs::path& path, uint64_t bytes) override {
        FileDescriptor fd(::open(path.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0644));
        if (fd.get() < 0) {
            return ioError("create", path, errno);
        }
        // posix_fallocate returns the error (it does not set errno). Where the file system has
        // no fallocate, glibc writes the blocks instead: the space is held either way.
        if (const int error = ::posix_fallocate(fd.get(), 0, static_cast<off_t>(bytes));
            error != 0) {
            return ioError("reserve " + std::to_string(bytes) + " bytes in", path, error);
        }
        return ok();
    }

    void remove(const fs::path& path) override { ::unlink(path.c_str()); }

    [[nodiscard]] std::optional<uint64_t> availableBytes(const fs::path& folder) const override {
        struct statvfs info {};
        if (::statvfs(folder.c_str(), &info) != 0) {
            return std::nullopt;
        }
        return uint64_t(info.f_bavail) * uint64_t(info.f_frsize);
    }

private:
    static tl::unexpected<Status> ioError(const std::string& what, const fs::path& path,
                                          int error) {
        const ErrorCode code = error == EACCES || error == EPERM    ? ErrorCode::PermissionDenied
                               : error == ENOSPC || error == EDQUOT ? ErrorCode::NoSpace
                                                                    : ErrorCode::Io;
        return makeError(code,
                         "cannot " + what + " " + path.string() + ": " + std::strerror(error));
    }
};

}  // namespace

std::unique_ptr<ArchiveStorage> makeDiskStorage() {
    return std::make_unique<DiskStorage>();
}

}  // namespace podium::publisher

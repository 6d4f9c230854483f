#pragma once

#include <filesystem>

namespace podium::publisher {

/// True if `p` (absolute, or relative to `root`) names `root` itself or something below it
/// once "." and ".." are resolved lexically; false for anything escaping root ("../x",
/// "/etc/passwd", "a/../../x"). Pure: no file-system access, so symlinks are not followed
/// (callers must not create symlinks inside served/archived folders). Any thread.
bool isInside(const std::filesystem::path& root, const std::filesystem::path& p);

/// True if `name` is one plain path component safe as a folder/file name we create
/// (not empty, not "." or "..", no '/', no NUL).
bool isSafeComponent(const std::string& name);

}  // namespace podium::publisher

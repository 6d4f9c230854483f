#include "publisher/archive/path_guard.h"

#include <string>

namespace podium::publisher {

bool isInside(const std::filesystem::path& root, const std::filesystem::path& p) {
    if (root.empty()) {
        return false;
    }
    const std::filesystem::path base = root.lexically_normal();
    const std::filesystem::path full = (p.is_absolute() ? p : root / p).lexically_normal();
    auto b = base.begin();
    auto f = full.begin();
    for (; b != base.end(); ++b, ++f) {
        if (b->empty() && std::next(b) == base.end()) {
            break;  // trailing separator of "root/" normalises to an empty last element
        }
        if (f == full.end() || *f != *b) {
            return false;
        }
    }
    for (; f != full.end(); ++f) {
        if (*f == "..") {
            return false;
        }
    }
    return true;
}

bool isSafeComponent(const std::string& name) {
    return !name.empty() && name != "." && name != ".." && name.find('/') == std::string::npos &&
           name.find('\0') == std::string::npos;
}

}  // namespace podium::publisher

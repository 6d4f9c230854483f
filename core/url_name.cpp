#include "core/url_name.h"

#include <algorithm>

namespace podium {

bool isUrlName(std::string_view name) {
    return !name.empty() && name.size() <= kMaxUrlNameLength &&
           std::all_of(name.begin(), name.end(), isUrlNameChar);
}

std::string urlNameRule() {
    return "letters, digits, - and _ (1 to " + std::to_string(kMaxUrlNameLength) + " characters)";
}

std::string toUrlName(std::string_view text, std::string_view fallback) {
    std::string out(text.substr(0, kMaxUrlNameLength));
    for (char& c : out) {
        c = isUrlNameChar(c) ? c : '_';
    }
    return out.empty() ? std::string(fallback) : out;
}

}  // namespace podium

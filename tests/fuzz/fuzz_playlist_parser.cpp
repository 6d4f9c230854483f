// libFuzzer target: the relay's HLS playlist reader (multivariant and media), and the URL
// helpers over every URI it returns, as the pull client uses them.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "publisher/relay/playlist_parser.h"

namespace relay = podium::publisher::relay;

namespace {

bool isSafeId(const std::string& id) {
    if (id.empty()) {
        return false;
    }
    for (const char c : id) {
        const bool safe = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                          (c >= '0' && c <= '9') || c == '_' || c == '-';
        if (!safe) {
            return false;
        }
    }
    return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const std::string text(reinterpret_cast<const char*>(data), size);
    const std::string base = "http://upstream:8080/live/ch/index.m3u8";
    if (auto variants = relay::parseMultivariant(text)) {
        for (const auto& v : *variants) {
            if (!isSafeId(relay::trackIdFromUri(v.uri))) {
                std::abort();  // a track id names URLs and folders
            }
            (void)relay::resolveUrl(base, v.uri);
        }
    }
    if (auto media = relay::parseMediaPlaylist(text)) {
        (void)relay::resolveUrl(base, media->mapUri);
        for (const auto& s : media->segments) {
            (void)relay::resolveUrl(base, s.uri);
        }
    }
    return 0;
}

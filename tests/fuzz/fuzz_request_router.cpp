// libFuzzer target: the origin's request-target router (path guard, percent-decoding, query
// parameters). Every name it returns must have passed the path guard.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <variant>

#include "publisher/origin/server/request_router.h"

namespace origin = podium::publisher::origin;

namespace {

void checkName(const std::string& name) {
    if (name.empty() || name.size() > origin::kMaxNameLength || name == "." || name == "..") {
        std::abort();
    }
    for (const char c : name) {
        const bool safe = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                          (c >= '0' && c <= '9') || c == '_' || c == '-' || c == '.';
        if (!safe) {
            std::abort();
        }
    }
}

struct NameCheck {
    void operator()(const origin::WatchRoute& r) const { checkName(r.channel); }
    void operator()(const origin::AssetRoute& r) const { checkName(r.name); }
    void operator()(const origin::MultivariantRoute& r) const { checkName(r.channel); }
    void operator()(const origin::MediaPlaylistRoute& r) const {
        checkName(r.channel);
        checkName(r.track);
    }
    void operator()(const origin::InitRoute& r) const {
        checkName(r.channel);
        checkName(r.track);
    }
    void operator()(const origin::SegmentRoute& r) const {
        checkName(r.channel);
        checkName(r.track);
    }
    void operator()(const origin::PartRoute& r) const {
        checkName(r.channel);
        checkName(r.track);
    }
    void operator()(const origin::DashMpdRoute& r) const { checkName(r.channel); }
    void operator()(const origin::SmoothManifestRoute& r) const { checkName(r.channel); }
    void operator()(const origin::SmoothFragmentRoute& r) const { checkName(r.channel); }
    void operator()(const origin::IngestRoute& r) const {
        checkName(r.channel);
        checkName(r.streamId);
        if (!r.event.empty()) {
            checkName(r.event);
        }
    }
    template <typename Other>
    void operator()(const Other&) const {}
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const std::string_view target(reinterpret_cast<const char*>(data), size);
    const origin::ParsedTarget parsed = origin::parseTarget(target);
    std::visit(NameCheck{}, parsed.route);
    (void)origin::routeKind(parsed.route);
    return 0;
}

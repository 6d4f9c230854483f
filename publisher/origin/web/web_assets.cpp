#include "publisher/origin/web/web_assets.h"

#include "publisher/origin/web/embedded_web_assets.h"

#include <vector>

namespace podium::publisher::origin {
namespace {

struct ExtensionType {
    std::string_view extension;
    std::string_view contentType;
};

constexpr ExtensionType kTypes[] = {
    {".html", "text/html; charset=utf-8"},
    {".js", "text/javascript; charset=utf-8"},
    {".mjs", "text/javascript; charset=utf-8"},
    {".css", "text/css; charset=utf-8"},
    {".json", "application/json"},
    {".svg", "image/svg+xml"},
    {".png", "image/png"},
    {".ico", "image/x-icon"},
};

// Built once, on first use (thread-safe static initialisation), from the generated table.
const std::vector<WebAsset>& table() {
    static const std::vector<WebAsset> assets = [] {
        std::vector<WebAsset> out;
        out.reserve(detail::kEmbeddedWebAssetCount);
        for (size_t i = 0; i < detail::kEmbeddedWebAssetCount; ++i) {
            const detail::EmbeddedWebFile& file = detail::kEmbeddedWebAssets[i];
            const std::string_view name(file.name);
            const std::string_view body(reinterpret_cast<const char*>(file.data), file.size);
            out.push_back(WebAsset{contentTypeForName(name), body, name});
        }
        return out;
    }();
    return assets;
}

}  // namespace

std::string_view contentTypeForName(std::string_view name) {
    for (const ExtensionType& type : kTypes) {
        if (name.ends_with(type.extension)) {
            return type.contentType;
        }
    }
    return "application/octet-stream";
}

const WebAsset* findWebAsset(std::string_view name) {
    for (const WebAsset& asset : table()) {
        if (asset.name == name) {
            return &asset;
        }
    }
    return nullptr;
}

std::span<const WebAsset> webAssets() {
    return table();
}

}  // namespace podium::publisher::origin

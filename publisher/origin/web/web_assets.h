#pragma once

#include <span>
#include <string_view>

namespace podium::publisher::origin {

// The viewer web pages and scripts compiled into the binary (resources/player/src plus hls.js and
// dash.js from resources/player/node_modules), so the origin serves them with no files on disk.
// Names: "index.html" (landing page, served at /), "player.html" (served at /watch/<channel>),
// "player.js", "player.css", "hls.min.js", "dash.all.min.js" (served at /assets/<name>).
// The data is static and immutable: any thread may call these functions at any time.
struct WebAsset {
    std::string_view contentType;  // full Content-Type header value, with charset for text
    std::string_view body;         // the file's bytes
    std::string_view name;         // e.g. "player.js"
};

// The asset called `name` exactly (no path components are interpreted: "../x" or "a/b" are
// simply unknown), or nullptr.
const WebAsset* findWebAsset(std::string_view name);

// Every embedded asset, e.g. for a listing or a test.
std::span<const WebAsset> webAssets();

// The Content-Type for a file name by its extension ("application/octet-stream" if unknown).
std::string_view contentTypeForName(std::string_view name);

}  // namespace podium::publisher::origin

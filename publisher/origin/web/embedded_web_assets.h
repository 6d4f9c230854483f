#pragma once

#include <cstddef>

namespace podium::publisher::origin::detail {

// One file embedded at build time by embed_web_assets.cmake: its URL name (e.g. "player.js")
// and its bytes. The generated data lives for the whole program; read-only, any thread.
struct EmbeddedWebFile {
    const char* name;
    const unsigned char* data;
    size_t size;  // bytes, without the trailing 0 the generator appends
};

extern const EmbeddedWebFile kEmbeddedWebAssets[];
extern const size_t kEmbeddedWebAssetCount;

}  // namespace podium::publisher::origin::detail

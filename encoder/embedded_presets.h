#pragma once

#include <cstddef>
#include <string_view>

// Private to podium_encoder: the preset files of resources/presets/, embedded at build time by
// embed_presets.cmake (the generated embedded_presets_data.cpp defines these).
namespace podium::encoder::detail {

struct EmbeddedFile {
    std::string_view fileName;  ///< e.g. "user-group-720p.json"
    std::string_view text;      ///< the file's JSON text
};

extern const EmbeddedFile kEmbeddedPresets[];
extern const size_t kEmbeddedPresetCount;

}  // namespace podium::encoder::detail

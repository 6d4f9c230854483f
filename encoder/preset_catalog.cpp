// Built-in presets and preset lookup by name, file stem or path (declared in preset.h).
#include <algorithm>
#include <cctype>
#include <fstream>
#include <sstream>

#include "core/log.h"
#include "embedded_presets.h"
#include "preset.h"

namespace podium::encoder {
namespace {

std::string lowercase(std::string_view text) {
    std::string out(text);
    std::transform(out.begin(), out.end(), out.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return out;
}

bool endsWith(const std::string& text, std::string_view suffix) {
    return text.size() >= suffix.size() &&
           lowercase(text.substr(text.size() - suffix.size())) == suffix;
}

std::string fileStem(std::string_view fileName) {
    const size_t dot = fileName.rfind('.');
    return std::string(fileName.substr(0, dot));
}

Result<Preset> loadPresetFile(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        return makeError(ErrorCode::NotFound, "preset file \"" + path + "\" not found");
    }
    std::ostringstream text;
    text << in.rdbuf();
    if (in.bad()) {
        return makeError(ErrorCode::Io, "cannot read preset file \"" + path + "\"");
    }
    return parsePreset(text.str(), path);
}

}  // namespace

std::vector<Preset> builtinPresets() {
    std::vector<Preset> presets;
    for (size_t i = 0; i < detail::kEmbeddedPresetCount; ++i) {
        const detail::EmbeddedFile& file = detail::kEmbeddedPresets[i];
        auto preset = parsePreset(file.text, "built-in:" + std::string(file.fileName));
        if (preset) {
            presets.push_back(std::move(*preset));
        } else {
            // A broken built-in is a build defect (tst_preset catches it); keep the others usable.
            logError("encoder", preset.error().toString());
        }
    }
    return presets;
}

std::string defaultPresetName() {
    return "User group 720p";
}

Result<Preset> findPreset(const std::string& nameOrPath) {
    if (endsWith(nameOrPath, ".json")) {
        return loadPresetFile(nameOrPath);
    }
    const std::string wanted = lowercase(nameOrPath);
    std::string available;
    for (Preset& preset : builtinPresets()) {
        const std::string file = preset.sourceName.substr(preset.sourceName.find(':') + 1);
        if (lowercase(preset.name) == wanted || lowercase(fileStem(file)) == wanted) {
            return std::move(preset);
        }
        available += (available.empty() ? "\"" : ", \"") + preset.name + "\"";
    }
    return makeError(ErrorCode::NotFound, "unknown preset \"" + nameOrPath + "\" (available: " +
                                              available + ", or a path to a .json file)");
}

}  // namespace podium::encoder

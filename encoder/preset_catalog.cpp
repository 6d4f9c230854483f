// Built-in presets, the user's own preset folder, and preset lookup by name, file stem or path
// (declared in preset.h and preset_catalog.h).
#include "encoder/preset_catalog.h"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <system_error>

#include <nlohmann/json.hpp>

#include "core/log.h"
#include "embedded_presets.h"

namespace podium::encoder {
namespace {

namespace fs = std::filesystem;
constexpr std::string_view kBuiltinPrefix = "built-in:";

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
    const size_t slash = fileName.find_last_of("/:");
    const std::string_view base =
        slash == std::string_view::npos ? fileName : fileName.substr(slash + 1);
    return std::string(base.substr(0, base.rfind('.')));
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

bool matches(const Preset& preset, const std::string& wanted) {
    return lowercase(preset.name) == wanted || lowercase(fileStem(preset.sourceName)) == wanted;
}

Status nameTaken(const Preset& preset, const std::string& owner) {
    return Status(ErrorCode::InvalidArgument,
                  "field \"name\": " + owner + " is already called \"" + preset.name + "\"")
        .withContext("preset \"" + preset.name + "\"");
}

/// Same file, whatever the spelling of the path ("a/./b.json" == "a/b.json").
bool samePath(const std::string& a, const std::string& b) {
    if (a.empty() || b.empty()) {
        return false;
    }
    std::error_code ec;
    const bool same = fs::equivalent(a, b, ec);
    return ec ? fs::path(a).lexically_normal() == fs::path(b).lexically_normal() : same;
}

Result<void> writeAtomically(const fs::path& path, const std::string& text) {
    fs::path temp = path;
    temp += ".tmp";
    {
        std::ofstream out(temp, std::ios::binary | std::ios::trunc);
        out << text;
        out.flush();
        if (!out) {
            return makeError(ErrorCode::Io, "cannot write \"" + temp.string() + "\"");
        }
    }
    std::error_code ec;
    fs::rename(temp, path, ec);
    if (ec) {
        fs::remove(temp, ec);
        return makeError(ErrorCode::Io, "cannot write \"" + path.string() + "\": " + ec.message());
    }
    return ok();
}

}  // namespace

std::vector<Preset> builtinPresets() {
    std::vector<Preset> presets;
    for (size_t i = 0; i < detail::kEmbeddedPresetCount; ++i) {
        const detail::EmbeddedFile& file = detail::kEmbeddedPresets[i];
        auto preset =
            parsePreset(file.text, std::string(kBuiltinPrefix) + std::string(file.fileName));
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

bool isBuiltin(const Preset& preset) {
    return preset.sourceName.rfind(kBuiltinPrefix, 0) == 0;
}

std::string userPresetFolder() {
    const char* xdg = std::getenv("XDG_CONFIG_HOME");
    fs::path base;
    if (xdg && *xdg && fs::path(xdg).is_absolute()) {
        base = xdg;
    } else {
        const char* home = std::getenv("HOME");
        base = fs::path(home && *home ? home : ".") / ".config";
    }
    return (base / "podium" / "presets").string();
}

UserPresets loadUserPresets(const std::string& folder) {
    UserPresets out;
    std::error_code ec;
    if (!fs::is_directory(folder, ec)) {
        return out;
    }
    for (const auto& entry : fs::directory_iterator(folder, ec)) {
        const std::string path = entry.path().string();
        if (!entry.is_regular_file(ec) || !endsWith(path, ".json")) {
            continue;
        }
        auto preset = loadPresetFile(path);
        if (preset) {
            out.presets.push_back(std::move(*preset));
        } else {
            out.problems.push_back(preset.error());
        }
    }
    if (ec) {
        out.problems.push_back(
            Status(ErrorCode::Io, "cannot list \"" + folder + "\": " + ec.message()));
    }
    std::sort(out.presets.begin(), out.presets.end(), [](const Preset& a, const Preset& b) {
        return lowercase(a.name) < lowercase(b.name);
    });
    return out;
}

std::string presetToJson(const Preset& p) {
    nlohmann::ordered_json root;
    root["name"] = p.name;
    root["description"] = p.description;
    root["canvasWidth"] = p.canvasWidth;
    root["canvasHeight"] = p.canvasHeight;
    root["fpsNum"] = p.fpsNum;
    root["fpsDen"] = p.fpsDen;
    root["segmentSeconds"] = p.segmentSeconds;
    root["partSeconds"] = p.partSeconds;
    root["partHoldBackParts"] = p.partHoldBackParts;
    root["dashLatencyTargetSeconds"] = p.dashLatencyTargetSeconds;
    root["x264Preset"] = p.x264Preset;
    root["x264Profile"] = p.x264Profile;
    root["x264Tune"] = p.x264Tune;
    root["x264LookaheadFrames"] = p.x264LookaheadFrames;
    root["audioBitrateKbps"] = p.audioBitrateKbps;
    root["audioSampleRate"] = p.audioSampleRate;
    root["audioChannels"] = p.audioChannels;
    auto& renditions = root["renditions"] = nlohmann::ordered_json::array();
    for (const auto& r : p.renditions) {
        renditions.push_back({{"id", r.id},
                              {"width", r.width},
                              {"height", r.height},
                              {"bitrateKbps", r.bitrateKbps},
                              {"maxBitrateKbps", r.maxBitrateKbps}});
    }
    return root.dump(4) + "\n";
}

std::string presetFileStem(const std::string& name) {
    std::string stem;
    for (unsigned char c : name) {
        if (std::isalnum(c)) {
            stem += static_cast<char>(std::tolower(c));
        } else if (!stem.empty() && stem.back() != '-') {
            stem += '-';
        }
    }
    while (!stem.empty() && stem.back() == '-') {
        stem.pop_back();
    }
    return stem.empty() ? "preset" : stem.substr(0, 80);
}

Result<Preset> validateUserPreset(const Preset& preset, const std::string& replacingPath,
                                  const std::string& folder) {
    auto parsed = parsePreset(presetToJson(preset), preset.name);
    if (!parsed) {
        return parsed;
    }
    const std::string wanted = lowercase(preset.name);
    for (const Preset& builtin : builtinPresets()) {
        if (lowercase(builtin.name) == wanted) {
            return makeError(nameTaken(preset, "a built-in preset"));
        }
    }
    for (const Preset& other : loadUserPresets(folder).presets) {
        if (lowercase(other.name) == wanted && !samePath(other.sourceName, replacingPath)) {
            return makeError(nameTaken(preset, "your preset \"" + other.sourceName + "\""));
        }
    }
    return parsed;
}

Result<std::string> saveUserPreset(const Preset& preset, const std::string& replacingPath,
                                   const std::string& folder) {
    auto valid = validateUserPreset(preset, replacingPath, folder);
    if (!valid) {
        return makeError(valid.error());
    }
    std::error_code ec;
    fs::create_directories(folder, ec);
    if (ec) {
        return makeError(ErrorCode::Io, "cannot create \"" + folder + "\": " + ec.message());
    }
    const std::string stem = presetFileStem(preset.name);
    fs::path path = fs::path(folder) / (stem + ".json");
    for (int n = 2; fs::exists(path, ec) && !samePath(path.string(), replacingPath); ++n) {
        path = fs::path(folder) / (stem + "-" + std::to_string(n) + ".json");
    }
    if (auto written = writeAtomically(path, presetToJson(*valid)); !written) {
        return makeError(written.error());
    }
    if (!replacingPath.empty() && !samePath(path.string(), replacingPath)) {
        fs::remove(replacingPath, ec);  // a rename: the old file goes once the new one is there
    }
    return path.string();
}

Result<void> deleteUserPreset(const std::string& path, const std::string& folder) {
    std::error_code ec;
    const fs::path file = fs::weakly_canonical(path, ec);
    const fs::path root = fs::weakly_canonical(folder, ec);
    if (path.rfind(kBuiltinPrefix, 0) == 0 || file.parent_path() != root) {
        return makeError(ErrorCode::InvalidArgument,
                         "\"" + path + "\" is not one of your presets (" + folder + ")");
    }
    if (!fs::remove(file, ec) || ec) {
        return makeError(ErrorCode::Io, "cannot delete \"" + path + "\"" +
                                            (ec ? ": " + ec.message() : ": no such file"));
    }
    return ok();
}

Result<Preset> findPreset(const std::string& nameOrPath) {
    if (endsWith(nameOrPath, ".json")) {
        return loadPresetFile(nameOrPath);
    }
    const std::string wanted = lowercase(nameOrPath);
    std::string available;
    auto list = [&available](const Preset& p) {
        available += (available.empty() ? "\"" : ", \"") + p.name + "\"";
    };
    for (Preset& preset : builtinPresets()) {
        if (matches(preset, wanted)) {
            return std::move(preset);
        }
        list(preset);
    }
    UserPresets user = loadUserPresets();
    for (Preset& preset : user.presets) {
        if (matches(preset, wanted)) {
            return std::move(preset);
        }
        list(preset);
    }
    std::string broken;
    for (const Status& problem : user.problems) {
        broken += "; skipped " + problem.toString();
    }
    return makeError(ErrorCode::NotFound, "unknown preset \"" + nameOrPath + "\" (available: " +
                                              available + ", or a path to a .json file)" + broken);
}

}  // namespace podium::encoder

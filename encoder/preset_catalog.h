#pragma once

#include <string>
#include <vector>

#include "core/status.h"
#include "encoder/preset.h"

namespace podium::encoder {

/// The user's own presets: JSON files in one folder, read with the same loader (parsePreset) as
/// the built-ins, listed next to them and found by findPreset() (so `podium-cli --preset NAME`
/// and the desktop app see the same ones). Plain files and no global state: any thread, but two
/// writers of the same folder race like any two programs editing one file.

/// $XDG_CONFIG_HOME/podium/presets, or $HOME/.config/podium/presets when XDG_CONFIG_HOME is
/// unset or relative (XDG Base Directory spec). The folder may not exist yet.
[[nodiscard]] std::string userPresetFolder();

struct UserPresets {
    std::vector<Preset> presets;   ///< sorted by name; sourceName is the file's path
    std::vector<Status> problems;  ///< one per file that could not be read (file, field, reason)
};

/// Every *.json file of `folder` (a missing folder is an empty list, not an error). A broken
/// file is reported in `problems` and skipped: the others stay usable.
[[nodiscard]] UserPresets loadUserPresets(const std::string& folder = userPresetFolder());

/// The preset as JSON the loader reads back to an equal Preset (every field, 4-space indent).
[[nodiscard]] std::string presetToJson(const Preset& preset);

/// Checks `preset` with the loader's own rules and words (it is written as JSON and parsed
/// back): `preset "My talk": field "renditions[0].width": must be even for 4:2:0 video (got
/// 853)`. Also refuses a name a built-in uses, or another user preset of `folder` uses (the file
/// `replacingPath` excepted: the preset being edited). Returns the preset as loaded.
[[nodiscard]] Result<Preset> validateUserPreset(const Preset& preset,
                                                const std::string& replacingPath = {},
                                                const std::string& folder = userPresetFolder());

/// Validates, then writes `preset` into `folder` (created if needed) as <name-as-file>.json,
/// atomically (temporary file + rename). With `replacingPath` (an edit or a rename) that file
/// is replaced and, when the name changed, removed. Returns the path written.
[[nodiscard]] Result<std::string> saveUserPreset(const Preset& preset,
                                                 const std::string& replacingPath = {},
                                                 const std::string& folder = userPresetFolder());

/// Removes a user preset's file. Refuses a built-in ("built-in:...") or a file outside `folder`.
[[nodiscard]] Result<void> deleteUserPreset(const std::string& path,
                                            const std::string& folder = userPresetFolder());

/// True when `preset` was loaded from a file (not embedded in the binary).
[[nodiscard]] bool isBuiltin(const Preset& preset);

/// "My talk 1080p!" -> "my-talk-1080p": the file stem a preset is saved under.
[[nodiscard]] std::string presetFileStem(const std::string& name);

}  // namespace podium::encoder

#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/media_time.h"
#include "core/status.h"

namespace podium::encoder {

/// One rung of the ladder: an H.264 rendition. Sizes in pixels, bitrates in kbit/s.
struct RenditionSpec {
    std::string id;  ///< URL-safe name, [A-Za-z0-9_-]+ ("720p")
    int width = 0;
    int height = 0;
    int bitrateKbps = 0;     ///< target (average) bitrate
    int maxBitrateKbps = 0;  ///< VBV peak; == bitrateKbps means CBR

    bool operator==(const RenditionSpec&) const = default;
};

/// A validated encoding preset (a resources/presets/*.json file or a user's file).
/// Plain data: any thread may read it. Sizes in pixels, durations in seconds, bitrates in kbit/s.
struct Preset {
    std::string name;  ///< shown to users, e.g. "User group 720p"
    std::string description;
    std::string sourceName;  ///< the file path, or "built-in:<file>" for an embedded preset
    int canvasWidth = 0;
    int canvasHeight = 0;
    int fpsNum = 30;
    int fpsDen = 1;
    double segmentSeconds = 2.0;  ///< a whole number of frames
    double partSeconds = 0.5;     ///< LL-HLS part / CMAF chunk; divides the segment in frames
    /// LL-HLS PART-HOLD-BACK in part targets: how close to the live edge players may play. The
    /// spec's minimum is 2, its recommendation (and the default) 3; less is less delay and
    /// less margin for a late part.
    double partHoldBackParts = 3.0;
    /// The DASH ServiceDescription latency target in seconds (what dash.js steers to with its
    /// stock settings); 0 = derived by the origin (segment + 2 parts).
    double dashLatencyTargetSeconds = 0.0;
    std::string x264Preset;   ///< one of x264_preset_names ("veryfast")
    std::string x264Profile;  ///< "baseline", "main" or "high"
    std::string x264Tune;     ///< one of x264_tune_names, or empty
    /// x264's rate-control lookahead in frames (optional, 0 = the x264 preset's own: 10 for
    /// veryfast). Every frame waits through it before it is encoded, so it is encoder latency:
    /// live presets keep it short.
    int x264LookaheadFrames = 0;
    int audioBitrateKbps = 128;
    int audioSampleRate = 48000;
    int audioChannels = 2;
    std::vector<RenditionSpec> renditions;  ///< highest first

    /// Segment duration in the video timescale (90 kHz), exact for whole-frame durations.
    [[nodiscard]] MediaTime segmentDuration() const;
    /// Part duration in the video timescale (90 kHz).
    [[nodiscard]] MediaTime partDuration() const;
    /// Number of frames in one segment / one part.
    [[nodiscard]] int segmentFrames() const;
    [[nodiscard]] int partFrames() const;

    bool operator==(const Preset&) const = default;
};

/// Parses and validates preset JSON. Every failure is one line naming the source, the field and
/// the reason: `preset "foo.json": field "renditions[1].bitrateKbps": must be a positive integer
/// (got -5)`. Unknown fields are refused so typos are never silent. Never throws.
[[nodiscard]] Result<Preset> parsePreset(std::string_view jsonText, const std::string& sourceName);

/// The presets shipped inside the binary (resources/presets/*.json), sorted by file name.
[[nodiscard]] std::vector<Preset> builtinPresets();

/// "User group 720p": the preset used when none is chosen.
[[nodiscard]] std::string defaultPresetName();

/// A path ending in ".json" is loaded from disk (NotFound naming the path if it is missing);
/// anything else matches a built-in, then one of the user's own presets (preset_catalog.h), by
/// name (case-insensitive) or file stem ("user-group-720p"). An unknown name is NotFound listing
/// the available names.
[[nodiscard]] Result<Preset> findPreset(const std::string& nameOrPath);

}  // namespace podium::encoder

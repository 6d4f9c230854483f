#include "preset.h"

#include <x264.h>

#include <algorithm>
#include <climits>
#include <cmath>
#include <optional>
#include <set>

#include <nlohmann/json.hpp>

namespace podium::encoder {
namespace {

using nlohmann::json;

constexpr int kMinSize = 16;
constexpr int kMaxSize = 4096;
constexpr int kMaxBitrateKbps = 200000;
constexpr const char* kProfiles[] = {"baseline", "main", "high"};

Status fieldError(const std::string& field, const std::string& reason) {
    return Status(ErrorCode::InvalidArgument, "field \"" + field + "\": " + reason);
}

/// The offending value as the user wrote it, short enough for one line.
std::string shown(const json& value) {
    std::string text = value.dump();
    if (text.size() > 40) {
        text = text.substr(0, 37) + "...";
    }
    return text;
}

std::string joined(const char* const* names) {
    std::string out;
    for (; *names; ++names) {
        out += out.empty() ? "" : ", ";
        out += *names;
    }
    return out;
}

bool isListed(const char* const* names, const std::string& value) {
    for (; *names; ++names) {
        if (value == *names) {
            return true;
        }
    }
    return false;
}

/// Reads the fields of one JSON object, remembering which were read so that the rest can be
/// refused as unknown. `prefix` names the object in error messages ("renditions[1].").
class ObjectReader {
public:
    ObjectReader(const json& object, std::string prefix)
        : object_(object), prefix_(std::move(prefix)) {}

    Result<int> integer(const std::string& key, int min, int max, std::optional<int> fallback) {
        const json* value = find(key);
        if (!value) {
            return fallback ? Result<int>(*fallback) : makeError(missing(key));
        }
        const bool isInteger = value->is_number_integer();
        const long long v = isInteger ? value->get<long long>() : 0;
        if (!isInteger || v < min || v > max) {
            const std::string wanted = min == 1 && (!isInteger || v < 1)
                                           ? "a positive integer"
                                           : (isInteger ? "in " : "an integer in ") +
                                                 std::to_string(min) + ".." + std::to_string(max);
            return makeError(
                fieldError(prefix_ + key, "must be " + wanted + " (got " + shown(*value) + ")"));
        }
        return static_cast<int>(v);
    }

    Result<double> number(const std::string& key, double min, double max,
                          std::optional<double> fallback = std::nullopt,
                          const std::string& unit = "seconds") {
        const json* value = find(key);
        if (!value) {
            return fallback ? Result<double>(*fallback) : makeError(missing(key));
        }
        const double v = value->is_number() ? value->get<double>() : NAN;
        if (!(v >= min && v <= max)) {
            return makeError(fieldError(prefix_ + key, "must be a number of " + unit + " in " +
                                                           shown(min) + ".." + shown(max) +
                                                           " (got " + shown(*value) + ")"));
        }
        return v;
    }

    Result<std::string> string(const std::string& key, std::optional<std::string> fallback) {
        const json* value = find(key);
        if (!value) {
            return fallback ? Result<std::string>(*fallback) : makeError(missing(key));
        }
        if (!value->is_string()) {
            return makeError(
                fieldError(prefix_ + key, "must be a string (got " + shown(*value) + ")"));
        }
        return value->get<std::string>();
    }

    const json* find(const std::string& key) {
        read_.insert(key);
        auto it = object_.find(key);
        return it == object_.end() ? nullptr : &*it;
    }

    /// Refuses any field that was never asked for (a typo must not be silently ignored).
    Result<void> refuseUnknown() const {
        for (auto it = object_.begin(); it != object_.end(); ++it) {
            if (!read_.count(it.key())) {
                std::string known;
                for (const auto& k : read_) {
                    known += (known.empty() ? "" : ", ") + k;
                }
                return makeError(
                    fieldError(prefix_ + it.key(), "unknown field (known: " + known + ")"));
            }
        }
        return ok();
    }

private:
    Status missing(const std::string& key) const {
        return fieldError(prefix_ + key, "is required");
    }

    const json& object_;
    std::string prefix_;
    std::set<std::string> read_;
};

/// Frames in `seconds` at fpsNum/fpsDen, or nullopt when that is not a whole number.
std::optional<int> wholeFrames(double seconds, int fpsNum, int fpsDen) {
    const double frames = seconds * fpsNum / fpsDen;
    const double rounded = std::round(frames);
    if (rounded < 1 || std::abs(frames - rounded) > 1e-6 * std::max(1.0, frames)) {
        return std::nullopt;
    }
    return static_cast<int>(rounded);
}

bool isUrlSafe(const std::string& id) {
    return !id.empty() && std::all_of(id.begin(), id.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
               c == '_' || c == '-';
    });
}

Result<int> evenSize(ObjectReader& reader, const std::string& prefix, const std::string& key) {
    auto size = reader.integer(key, kMinSize, kMaxSize, std::nullopt);
    if (size && *size % 2 != 0) {
        return makeError(fieldError(
            prefix + key, "must be even for 4:2:0 video (got " + std::to_string(*size) + ")"));
    }
    return size;
}

Result<RenditionSpec> readRendition(const json& value, size_t index, const Preset& preset) {
    const std::string prefix = "renditions[" + std::to_string(index) + "].";
    if (!value.is_object()) {
        return makeError(fieldError(prefix.substr(0, prefix.size() - 1),
                                    "must be an object (got " + shown(value) + ")"));
    }
    ObjectReader reader(value, prefix);
    RenditionSpec r;
    auto id = reader.string("id", std::nullopt);
    auto width = evenSize(reader, prefix, "width");
    auto height = evenSize(reader, prefix, "height");
    auto bitrate = reader.integer("bitrateKbps", 1, kMaxBitrateKbps, std::nullopt);
    if (!id || !width || !height || !bitrate) {
        return makeError(!id       ? id.error()
                         : !width  ? width.error()
                         : !height ? height.error()
                                   : bitrate.error());
    }
    auto maxBitrate = reader.integer("maxBitrateKbps", 1, kMaxBitrateKbps, *bitrate);
    if (!maxBitrate) {
        return makeError(maxBitrate.error());
    }
    if (auto unknown = reader.refuseUnknown(); !unknown) {
        return makeError(unknown.error());
    }
    r = RenditionSpec{*id, *width, *height, *bitrate, *maxBitrate};
    if (!isUrlSafe(r.id)) {
        return makeError(fieldError(prefix + "id",
                                    "must be a non-empty URL-safe name of "
                                    "[A-Za-z0-9_-] (got \"" +
                                        r.id + "\")"));
    }
    if (r.width > preset.canvasWidth || r.height > preset.canvasHeight) {
        const bool wide = r.width > preset.canvasWidth;
        return makeError(fieldError(prefix + (wide ? "width" : "height"),
                                    "rendition " + std::to_string(r.width) + "x" +
                                        std::to_string(r.height) + " is larger than the canvas " +
                                        std::to_string(preset.canvasWidth) + "x" +
                                        std::to_string(preset.canvasHeight)));
    }
    if (r.maxBitrateKbps < r.bitrateKbps) {
        return makeError(fieldError(prefix + "maxBitrateKbps",
                                    "must be >= bitrateKbps " + std::to_string(r.bitrateKbps) +
                                        " (got " + std::to_string(r.maxBitrateKbps) + ")"));
    }
    return r;
}

Result<void> readRenditions(ObjectReader& reader, Preset& preset) {
    const json* list = reader.find("renditions");
    if (!list) {
        return makeError(fieldError("renditions", "is required"));
    }
    if (!list->is_array() || list->empty()) {
        return makeError(fieldError(
            "renditions", "must be a non-empty array of renditions (got " + shown(*list) + ")"));
    }
    std::set<std::string> ids;
    for (size_t i = 0; i < list->size(); ++i) {
        auto r = readRendition((*list)[i], i, preset);
        if (!r) {
            return makeError(r.error());
        }
        const std::string prefix = "renditions[" + std::to_string(i) + "].";
        if (!ids.insert(r->id).second) {
            return makeError(fieldError(prefix + "id", "duplicate id \"" + r->id + "\""));
        }
        if (!preset.renditions.empty()) {
            const RenditionSpec& previous = preset.renditions.back();
            if (r->bitrateKbps >= previous.bitrateKbps || r->height > previous.height) {
                return makeError(fieldError(prefix + "bitrateKbps",
                                            "renditions must be ordered highest first (" + r->id +
                                                " is not below " + previous.id + ")"));
            }
        }
        preset.renditions.push_back(std::move(*r));
    }
    return ok();
}

Result<void> readVideo(ObjectReader& reader, Preset& p) {
    auto width = evenSize(reader, "", "canvasWidth");
    auto height = evenSize(reader, "", "canvasHeight");
    auto fpsNum = reader.integer("fpsNum", 1, 240000, std::nullopt);
    auto fpsDen = reader.integer("fpsDen", 1, 1001, 1);
    for (const Result<int>* r : {&width, &height, &fpsNum, &fpsDen}) {
        if (!*r) {
            return makeError(r->error());
        }
    }
    p.canvasWidth = *width;
    p.canvasHeight = *height;
    p.fpsNum = *fpsNum;
    p.fpsDen = *fpsDen;
    const double fps = double(p.fpsNum) / p.fpsDen;
    if (fps < 1 || fps > 120) {
        return makeError(
            fieldError("fpsNum", "frame rate must be 1..120 fps (got " + shown(fps) + ")"));
    }
    return ok();
}

Result<void> readTiming(ObjectReader& reader, Preset& p) {
    auto segment = reader.number("segmentSeconds", 1, 10);
    if (!segment) {
        return makeError(segment.error());
    }
    auto part = reader.number("partSeconds", 1e-3, *segment);
    if (!part) {
        return makeError(part.error());
    }
    // LL-HLS PART-HOLD-BACK: at least 2 part targets (RFC 8216bis 4.4.3.8), 3 recommended.
    auto holdBack = reader.number("partHoldBackParts", 2, 10, 3.0, "part targets");
    if (!holdBack) {
        return makeError(holdBack.error());
    }
    auto dashTarget = reader.number("dashLatencyTargetSeconds", 0, 60, 0.0);
    if (!dashTarget) {
        return makeError(dashTarget.error());
    }
    if (*dashTarget != 0 && *dashTarget < 2 * *part) {
        return makeError(fieldError("dashLatencyTargetSeconds",
                                    "must be 0 (derived) or at least two parts (" +
                                        shown(2 * *part) + " s; got " + shown(*dashTarget) + ")"));
    }
    p.segmentSeconds = *segment;
    p.partSeconds = *part;
    p.partHoldBackParts = *holdBack;
    p.dashLatencyTargetSeconds = *dashTarget;
    const auto segmentFrames = wholeFrames(p.segmentSeconds, p.fpsNum, p.fpsDen);
    if (!segmentFrames) {
        return makeError(fieldError("segmentSeconds", "must be a whole number of frames at " +
                                                          shown(double(p.fpsNum) / p.fpsDen) +
                                                          " fps (got " + shown(*segment) + ")"));
    }
    const auto partFrames = wholeFrames(p.partSeconds, p.fpsNum, p.fpsDen);
    if (!partFrames || *segmentFrames % *partFrames != 0) {
        return makeError(fieldError(
            "partSeconds", "must divide the segment (" + std::to_string(*segmentFrames) +
                               " frames) into parts of whole frames (got " + shown(*part) + ")"));
    }
    return ok();
}

Result<void> readCodecs(ObjectReader& reader, Preset& p) {
    auto preset = reader.string("x264Preset", std::nullopt);
    auto profile = reader.string("x264Profile", std::nullopt);
    auto tune = reader.string("x264Tune", std::string());
    auto lookahead = reader.integer("x264LookaheadFrames", 0, 250, 0);
    auto audioBitrate = reader.integer("audioBitrateKbps", 32, 320, std::nullopt);
    auto sampleRate = reader.integer("audioSampleRate", 1, 384000, 48000);
    auto channels = reader.integer("audioChannels", 1, 2, 2);
    for (const auto* r : {&preset, &profile, &tune}) {
        if (!*r) {
            return makeError(r->error());
        }
    }
    for (const auto* r : {&lookahead, &audioBitrate, &sampleRate, &channels}) {
        if (!*r) {
            return makeError(r->error());
        }
    }
    if (!isListed(x264_preset_names, *preset)) {
        return makeError(fieldError(
            "x264Preset",
            "unknown x264 preset \"" + *preset + "\" (known: " + joined(x264_preset_names) + ")"));
    }
    if (std::find(std::begin(kProfiles), std::end(kProfiles), *profile) == std::end(kProfiles)) {
        return makeError(
            fieldError("x264Profile", "must be baseline, main or high (got \"" + *profile + "\")"));
    }
    if (!tune->empty() && !isListed(x264_tune_names, *tune)) {
        return makeError(fieldError("x264Tune", "unknown x264 tune \"" + *tune + "\" (known: " +
                                                    joined(x264_tune_names) + ", or empty)"));
    }
    if (*sampleRate != 44100 && *sampleRate != 48000) {
        return makeError(fieldError(
            "audioSampleRate", "must be 44100 or 48000 (got " + std::to_string(*sampleRate) + ")"));
    }
    p.x264Preset = *preset;
    p.x264Profile = *profile;
    p.x264Tune = *tune;
    p.x264LookaheadFrames = *lookahead;
    p.audioBitrateKbps = *audioBitrate;
    p.audioSampleRate = *sampleRate;
    p.audioChannels = *channels;
    return ok();
}

Result<Preset> readPreset(const json& root) {
    if (!root.is_object()) {
        return makeError(ErrorCode::InvalidArgument,
                         "must be a JSON object (got " + shown(root) + ")");
    }
    ObjectReader reader(root, "");
    Preset p;
    auto name = reader.string("name", std::nullopt);
    auto description = reader.string("description", std::string());
    if (!name || !description) {
        return makeError(!name ? name.error() : description.error());
    }
    if (name->empty()) {
        return makeError(fieldError("name", "must not be empty"));
    }
    p.name = *name;
    p.description = *description;
    for (auto step : {readVideo, readTiming, readCodecs, readRenditions}) {
        if (auto done = step(reader, p); !done) {
            return makeError(done.error());
        }
    }
    if (auto unknown = reader.refuseUnknown(); !unknown) {
        return makeError(unknown.error());
    }
    return p;
}

/// "line 3, column 7: invalid JSON (syntax error ...)" from nlohmann's parse error.
Status jsonSyntaxError(std::string_view text, const json::parse_error& e) {
    const size_t end = std::min<size_t>(e.byte > 0 ? e.byte - 1 : 0, text.size());
    const std::string_view before = text.substr(0, end);
    const size_t line = 1 + std::count(before.begin(), before.end(), '\n');
    const size_t lineStart = before.rfind('\n');
    const size_t column = end - (lineStart == std::string_view::npos ? 0 : lineStart + 1) + 1;
    std::string reason = e.what();
    if (const size_t at = reason.find("column "); at != std::string::npos) {
        if (const size_t colon = reason.find(": ", at); colon != std::string::npos) {
            reason = reason.substr(colon + 2);
        }
    }
    return Status(ErrorCode::Parse, "line " + std::to_string(line) + ", column " +
                                        std::to_string(column) + ": invalid JSON (" + reason + ")");
}

}  // namespace

MediaTime Preset::segmentDuration() const {
    return MediaTime{
        rescaleTicks(int64_t(segmentFrames()) * fpsDen, fpsNum, kVideoTimescale, Rounding::Nearest),
        kVideoTimescale};
}

MediaTime Preset::partDuration() const {
    return MediaTime{
        rescaleTicks(int64_t(partFrames()) * fpsDen, fpsNum, kVideoTimescale, Rounding::Nearest),
        kVideoTimescale};
}

int Preset::segmentFrames() const {
    return static_cast<int>(std::lround(segmentSeconds * fpsNum / fpsDen));
}

int Preset::partFrames() const {
    return static_cast<int>(std::lround(partSeconds * fpsNum / fpsDen));
}

Result<Preset> parsePreset(std::string_view jsonText, const std::string& sourceName) {
    const std::string where = "preset \"" + sourceName + "\"";
    try {
        const json root = json::parse(jsonText);
        auto preset = readPreset(root);
        if (!preset) {
            return makeError(preset.error().withContext(where));
        }
        preset->sourceName = sourceName;
        return preset;
    } catch (const json::parse_error& e) {
        return makeError(jsonSyntaxError(jsonText, e).withContext(where));
    } catch (const std::exception& e) {
        return makeError(Status(ErrorCode::Internal, e.what()).withContext(where));
    }
}

}  // namespace podium::encoder

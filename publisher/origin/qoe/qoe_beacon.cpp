#include "publisher/origin/qoe/qoe_beacon.h"

#include <cmath>
#include <nlohmann/json.hpp>

#include "core/url_name.h"

namespace podium::publisher::origin {

namespace {

using Json = nlohmann::json;

constexpr double kHour = 3600;
constexpr double kWeek = 7 * 24 * 3600;

Status badField(const char* name, const std::string& what) {
    return Status(ErrorCode::Parse, std::string("beacon field \"") + name + "\" must be " + what);
}

/// The number `name`, if present, within [low, high].
Result<std::optional<double>> number(const Json& body, const char* name, double low, double high) {
    const auto it = body.find(name);
    if (it == body.end() || it->is_null()) {
        return std::optional<double>();
    }
    if (!it->is_number()) {
        return makeError(badField(name, "a number"));
    }
    const double value = it->get<double>();
    if (!std::isfinite(value) || value < low || value > high) {
        return makeError(badField(name, "a number from " + std::to_string(int64_t(low)) + " to " +
                                            std::to_string(int64_t(high))));
    }
    return std::optional<double>(value);
}

/// The text `name`, if present, following the URL-name rule.
Result<std::optional<std::string>> name(const Json& body, const char* field) {
    const auto it = body.find(field);
    if (it == body.end() || it->is_null()) {
        return std::optional<std::string>();
    }
    if (!it->is_string() || !isUrlName(it->get_ref<const std::string&>())) {
        return makeError(badField(field, urlNameRule()));
    }
    return std::optional<std::string>(it->get<std::string>());
}

}  // namespace

Result<QoeBeacon> parseQoeBeacon(std::string_view text) {
    if (text.size() > kMaxQoeBeaconBytes) {
        return makeError(ErrorCode::LimitExceeded, "beacon of " + std::to_string(text.size()) +
                                                       " bytes (at most " +
                                                       std::to_string(kMaxQoeBeaconBytes) + ")");
    }
    const Json body = Json::parse(text, nullptr, /*allow_exceptions=*/false);
    if (body.is_discarded() || !body.is_object()) {
        return makeError(ErrorCode::Parse, "a beacon is a JSON object");
    }
    QoeBeacon beacon;
    auto viewer = name(body, "viewer");
    if (!viewer) {
        return makeError(viewer.error());
    }
    if (!*viewer) {
        return makeError(badField("viewer", "present (the page's random viewer id)"));
    }
    beacon.viewer = std::move(**viewer);
    auto rendition = name(body, "rendition");
    if (!rendition) {
        return makeError(rendition.error());
    }
    beacon.rendition = rendition->value_or("");

    struct Field {
        const char* name;
        double low;
        double high;
    };
    const Field behind{"behind", 0, kHour};
    const Field g2g{"g2g", -60, kHour};
    const Field stalls{"stalls", 0, 1e6};
    const Field stallSeconds{"stallSeconds", 0, kWeek};
    const Field watchSeconds{"watchSeconds", 0, kWeek};
    const Field dropped{"dropped", 0, 1e9};
    const Field bandwidth{"bandwidth", 0, 1e11};
    std::optional<double> values[7];
    const Field* fields[7] = {&behind,       &g2g,     &stalls,   &stallSeconds,
                              &watchSeconds, &dropped, &bandwidth};
    for (int i = 0; i < 7; ++i) {
        auto read = number(body, fields[i]->name, fields[i]->low, fields[i]->high);
        if (!read) {
            return makeError(read.error());
        }
        values[i] = *read;
    }
    beacon.behindLiveSeconds = values[0];
    beacon.glassToGlassSeconds = values[1];
    beacon.stalls = uint64_t(std::llround(values[2].value_or(0)));
    beacon.stallSeconds = values[3].value_or(0);
    beacon.watchSeconds = values[4].value_or(0);
    beacon.droppedFrames = uint64_t(std::llround(values[5].value_or(0)));
    beacon.bandwidthBps = values[6];
    if (const auto it = body.find("leaving"); it != body.end() && !it->is_null()) {
        if (!it->is_boolean()) {
            return makeError(badField("leaving", "true or false"));
        }
        beacon.leaving = it->get<bool>();
    }
    return beacon;
}

}  // namespace podium::publisher::origin

#include "publisher/origin/qoe/qoe_summary_json.h"

#include <cmath>
#include <nlohmann/json.hpp>

#include "core/url_name.h"

namespace podium::publisher::origin {

namespace {

using Json = nlohmann::json;

constexpr double kHour = 3600;

Json quantiles(const std::optional<double>& p50, const std::optional<double>& p95) {
    return {{"p50", p50 ? Json(*p50) : Json(nullptr)}, {"p95", p95 ? Json(*p95) : Json(nullptr)}};
}

Status badField(const std::string& name, const std::string& what) {
    return Status(ErrorCode::Parse, "audience field \"" + name + "\" must be " + what);
}

/// A quantile object's member: null or missing is "nobody reported it".
Result<std::optional<double>> quantile(const Json& body, const char* object, const char* member,
                                       double low) {
    const auto outer = body.find(object);
    if (outer == body.end() || outer->is_null()) {
        return std::optional<double>();
    }
    if (!outer->is_object()) {
        return makeError(badField(object, "an object"));
    }
    const auto it = outer->find(member);
    if (it == outer->end() || it->is_null()) {
        return std::optional<double>();
    }
    const std::string name = std::string(object) + "." + member;
    if (!it->is_number()) {
        return makeError(badField(name, "a number or null"));
    }
    const double value = it->get<double>();
    if (!std::isfinite(value) || value < low || value > kHour) {
        return makeError(badField(name, "a number of seconds within an hour"));
    }
    return std::optional<double>(value);
}

}  // namespace

std::string qoeSummaryJson(std::string_view channel, const QoeSummary& s) {
    Json renditions = Json::object();
    for (const auto& [rendition, viewers] : s.viewersByRendition) {
        renditions[rendition] = viewers;
    }
    const Json body = {{"channel", std::string(channel)},
                       {"viewers", s.viewers},
                       {"behindLive", quantiles(s.behindLiveP50, s.behindLiveP95)},
                       {"glassToGlass", quantiles(s.glassToGlassP50, s.glassToGlassP95)},
                       {"stallRatio", s.stallRatio},
                       {"renditions", std::move(renditions)}};
    return body.dump();
}

Result<QoeSummary> parseQoeSummaryJson(std::string_view text) {
    if (text.size() > kMaxQoeSummaryBytes) {
        return makeError(ErrorCode::LimitExceeded,
                         "audience summary of " + std::to_string(text.size()) + " bytes (at most " +
                             std::to_string(kMaxQoeSummaryBytes) + ")");
    }
    const Json body = Json::parse(text, nullptr, /*allow_exceptions=*/false);
    if (body.is_discarded() || !body.is_object()) {
        return makeError(ErrorCode::Parse, "an audience summary is a JSON object");
    }
    QoeSummary s;
    const auto viewers = body.find("viewers");
    if (viewers == body.end() || !viewers->is_number_unsigned() ||
        viewers->get<uint64_t>() > 100'000'000) {
        return makeError(badField("viewers", "a count"));
    }
    s.viewers = std::size_t(viewers->get<uint64_t>());
    const struct {
        const char* object;
        const char* member;
        double low;
        std::optional<double>* slot;
    } fields[] = {{"behindLive", "p50", 0, &s.behindLiveP50},
                  {"behindLive", "p95", 0, &s.behindLiveP95},
                  {"glassToGlass", "p50", -60, &s.glassToGlassP50},
                  {"glassToGlass", "p95", -60, &s.glassToGlassP95}};
    for (const auto& f : fields) {
        auto value = quantile(body, f.object, f.member, f.low);
        if (!value) {
            return makeError(value.error());
        }
        *f.slot = *value;
    }
    if (const auto it = body.find("stallRatio"); it != body.end() && !it->is_null()) {
        if (!it->is_number() || !std::isfinite(it->get<double>()) || it->get<double>() < 0 ||
            it->get<double>() > 1) {
            return makeError(badField("stallRatio", "a number from 0 to 1"));
        }
        s.stallRatio = it->get<double>();
    }
    if (const auto it = body.find("renditions"); it != body.end() && !it->is_null()) {
        if (!it->is_object()) {
            return makeError(badField("renditions", "an object"));
        }
        if (it->size() > kMaxQoeSummaryRenditions) {
            return makeError(ErrorCode::LimitExceeded,
                             "audience summary names " + std::to_string(it->size()) +
                                 " renditions (at most " +
                                 std::to_string(kMaxQoeSummaryRenditions) + ")");
        }
        for (const auto& [rendition, count] : it->items()) {
            if (!rendition.empty() && !isUrlName(rendition)) {
                return makeError(badField("renditions", "keyed by " + urlNameRule()));
            }
            if (!count.is_number_unsigned() || count.get<uint64_t>() > s.viewers) {
                return makeError(badField("renditions." + rendition, "a count up to viewers"));
            }
            s.viewersByRendition[rendition] = std::size_t(count.get<uint64_t>());
        }
    }
    return s;
}

}  // namespace podium::publisher::origin

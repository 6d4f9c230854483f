#include "app/session/audience_text.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <vector>

namespace podium::app {

namespace {

std::string seconds(double s) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.1f s", s);
    return buf;
}

std::string percent(double ratio) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.0f %%", std::clamp(ratio, 0.0, 1.0) * 100.0);
    return buf;
}

std::string renditionMix(const publisher::origin::QoeSummary& a) {
    std::vector<std::pair<std::string, std::size_t>> mix(a.viewersByRendition.begin(),
                                                         a.viewersByRendition.end());
    std::stable_sort(mix.begin(), mix.end(),
                     [](const auto& x, const auto& y) { return x.second > y.second; });
    std::string out;
    for (const auto& [rendition, viewers] : mix) {
        out += (out.empty() ? "" : ", ") +
               (rendition.empty() ? std::string("unknown") : rendition) + " " +
               std::to_string(viewers);
    }
    return out;
}

}  // namespace

std::string audienceLine(const publisher::origin::QoeSummary& a) {
    std::string line = "viewers " + std::to_string(a.viewers);
    if (a.viewers == 0) {
        return line;
    }
    if (a.behindLiveP50) {
        line += " · " + seconds(*a.behindLiveP50) + " behind";
    }
    if (a.glassToGlassP50) {
        line += " · glass " + seconds(*a.glassToGlassP50);
    }
    line += " · " + percent(a.stallRatio) + " stalled";
    return line;
}

std::string audienceDetails(const publisher::origin::QoeSummary& a) {
    std::string text = std::to_string(a.viewers) + (a.viewers == 1 ? " viewer" : " viewers");
    if (a.viewers == 0) {
        return text;
    }
    if (a.behindLiveP50) {
        text += " · behind live " + seconds(*a.behindLiveP50);
        if (a.behindLiveP95) {
            text += " (p95 " + seconds(*a.behindLiveP95) + ")";
        }
    }
    if (a.glassToGlassP50) {
        text += " · glass to glass " + seconds(*a.glassToGlassP50);
    }
    text += " · " + percent(a.stallRatio) + " stalled";
    if (const std::string mix = renditionMix(a); !mix.empty()) {
        text += " · " + mix;
    }
    return text;
}

}  // namespace podium::app

#include "publisher/origin/server/origin_stats.h"

#include <algorithm>
#include <cstring>
#include <optional>
#include <sstream>

namespace podium::publisher::origin {
namespace {

/// Escapes a Prometheus label value (backslash, quote, newline).
std::string label(const std::string& value) {
    std::string out;
    for (char c : value) {
        if (c == '\\' || c == '"')
            out.push_back('\\');
        if (c == '\n') {
            out += "\\n";
            continue;
        }
        out.push_back(c);
    }
    return out;
}

/// The viewers' own reports per channel (POST /qoe/<ch>, issue #12).
void writeQoe(std::ostream& out, const ChannelStore& store) {
    std::ostringstream viewers;
    std::ostringstream latency;
    std::ostringstream g2g;
    std::ostringstream stalls;
    std::ostringstream mix;
    const auto now = QoeTable::Clock::now();
    for (const std::string& name : store.channelNames()) {
        auto channel = store.find(name);
        if (!channel)
            continue;
        const QoeSummary s = channel->qoe().summary(now);
        const std::string ch = "channel=\"" + label(name) + "\"";
        viewers << "podium_qoe_viewers{" << ch << "} " << s.viewers << '\n';
        const auto quantiles = [&](std::ostream& o, const char* metric, std::optional<double> p50,
                                   std::optional<double> p95) {
            if (p50)
                o << metric << '{' << ch << ",quantile=\"0.5\"} " << *p50 << '\n';
            if (p95)
                o << metric << '{' << ch << ",quantile=\"0.95\"} " << *p95 << '\n';
        };
        quantiles(latency, "podium_qoe_latency_seconds", s.behindLiveP50, s.behindLiveP95);
        quantiles(g2g, "podium_qoe_glass_to_glass_seconds", s.glassToGlassP50, s.glassToGlassP95);
        stalls << "podium_qoe_stall_ratio{" << ch << "} " << s.stallRatio << '\n';
        for (const auto& [rendition, count] : s.viewersByRendition) {
            mix << "podium_qoe_viewers_by_rendition{" << ch << ",rendition=\"" << label(rendition)
                << "\"} " << count << '\n';
        }
    }
    out << "# HELP podium_qoe_viewers Viewers whose page reported in the last 15 s.\n"
        << "# TYPE podium_qoe_viewers gauge\n"
        << viewers.str()
        << "# HELP podium_qoe_latency_seconds Delay behind live the viewers report.\n"
        << "# TYPE podium_qoe_latency_seconds gauge\n"
        << latency.str()
        << "# HELP podium_qoe_glass_to_glass_seconds Capture to display, read from the "
           "latency probe strip.\n"
        << "# TYPE podium_qoe_glass_to_glass_seconds gauge\n"
        << g2g.str()
        << "# HELP podium_qoe_stall_ratio Time stalled over time stalled and playing.\n"
        << "# TYPE podium_qoe_stall_ratio gauge\n"
        << stalls.str() << "# HELP podium_qoe_viewers_by_rendition Viewers per rendition playing.\n"
        << "# TYPE podium_qoe_viewers_by_rendition gauge\n"
        << mix.str();
}

/// Wall-clock age (s) of the newest complete segment's end, or -1 without one.
double newestSegmentAgeSeconds(const manifest::TrackView& track, int64_t nowMs) {
    for (auto it = track.segments.rbegin(); it != track.segments.rend(); ++it) {
        if (!it->isComplete())
            continue;
        const double endMs = double(it->programDateTimeMs) + it->duration.seconds() * 1000.0;
        return (double(nowMs) - endMs) / 1000.0;
    }
    return -1;
}

}  // namespace

void OriginStats::countRequest(const char* kind) {
    for (std::size_t i = 0; i < kKinds.size(); ++i) {
        if (std::strcmp(kKinds[i], kind) == 0) {
            requests_[i].fetch_add(1, std::memory_order_relaxed);
            return;
        }
    }
}

bool OriginStats::tryStartWait(int max) {
    uint64_t now = waiting_.load(std::memory_order_relaxed);
    do {
        if (now >= static_cast<uint64_t>(std::max(max, 0)))
            return false;
    } while (!waiting_.compare_exchange_weak(now, now + 1, std::memory_order_relaxed));
    return true;
}

void OriginStats::sawViewer(const std::string& clientIp, const std::string& userAgent,
                            int64_t nowMs) {
    viewers_.saw(clientIp, userAgent, nowMs);
}

OriginMetrics OriginStats::snapshot(int64_t nowMs) const {
    OriginMetrics m;
    for (std::size_t i = 0; i < kKinds.size(); ++i) {
        const uint64_t n = requests_[i].load(std::memory_order_relaxed);
        m.requestsByKind[kKinds[i]] = n;
        m.requestsTotal += n;
    }
    m.bytesOut = bytesOut_.load(std::memory_order_relaxed);
    m.openConnections = connections_.load(std::memory_order_relaxed);
    m.waitingRequests = waiting_.load(std::memory_order_relaxed);
    m.refused = refused_.load(std::memory_order_relaxed);
    m.acceptErrors = acceptErrors_.load(std::memory_order_relaxed);
    m.viewers = viewers_.countSince(nowMs - kViewerWindowMs);
    m.viewerEntries = viewers_.size();
    return m;
}

std::string OriginStats::renderPrometheus(const ChannelStore& store, int64_t nowMs) const {
    const OriginMetrics m = snapshot(nowMs);
    std::ostringstream out;
    out << "# HELP podium_origin_requests_total HTTP requests answered, by kind of URL.\n"
        << "# TYPE podium_origin_requests_total counter\n";
    for (const auto& [kind, count] : m.requestsByKind) {
        out << "podium_origin_requests_total{kind=\"" << kind << "\"} " << count << '\n';
    }
    out << "# HELP podium_origin_bytes_out_total Response body bytes sent.\n"
        << "# TYPE podium_origin_bytes_out_total counter\n"
        << "podium_origin_bytes_out_total " << m.bytesOut << '\n'
        << "# HELP podium_origin_viewers Distinct clients (IP + User-Agent) in the last 10 s.\n"
        << "# TYPE podium_origin_viewers gauge\n"
        << "podium_origin_viewers " << m.viewers << '\n'
        << "# HELP podium_origin_connections Open HTTP connections.\n"
        << "# TYPE podium_origin_connections gauge\n"
        << "podium_origin_connections " << m.openConnections << '\n'
        << "# HELP podium_origin_waiting_requests Requests parked on a blocking reload.\n"
        << "# TYPE podium_origin_waiting_requests gauge\n"
        << "podium_origin_waiting_requests " << m.waitingRequests << '\n'
        << "# HELP podium_origin_refused_total Connections and requests refused by a limit.\n"
        << "# TYPE podium_origin_refused_total counter\n"
        << "podium_origin_refused_total " << m.refused << '\n'
        << "# HELP podium_origin_accept_errors_total Failed accepts (out of descriptors).\n"
        << "# TYPE podium_origin_accept_errors_total counter\n"
        << "podium_origin_accept_errors_total " << m.acceptErrors << '\n';
    std::ostringstream bytesIn;
    std::ostringstream age;
    for (const std::string& name : store.channelNames()) {
        auto channel = store.find(name);
        if (!channel)
            continue;
        const manifest::ChannelViewPtr view = channel->view();
        for (const manifest::TrackView& track : view->tracks) {
            const std::string labels =
                "{channel=\"" + label(name) + "\",track=\"" + label(track.info.id) + "\"}";
            bytesIn << "podium_origin_ingest_bytes_total" << labels << ' ' << track.bytesIn << '\n';
            const double seconds = newestSegmentAgeSeconds(track, nowMs);
            if (seconds >= 0) {
                age << "podium_origin_newest_segment_age_seconds" << labels << ' ' << seconds
                    << '\n';
            }
        }
    }
    writeQoe(out, store);
    out << "# HELP podium_origin_ingest_bytes_total Media bytes received per track.\n"
        << "# TYPE podium_origin_ingest_bytes_total counter\n"
        << bytesIn.str()
        << "# HELP podium_origin_newest_segment_age_seconds Wall-clock age of the newest "
           "complete segment's end.\n"
        << "# TYPE podium_origin_newest_segment_age_seconds gauge\n"
        << age.str();
    return out.str();
}

}  // namespace podium::publisher::origin

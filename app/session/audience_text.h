#pragma once

#include <string>

#include "publisher/origin/qoe/qoe_table.h"

namespace podium::app {

/// One line for a terminal: "viewers 2 · 1.1 s behind · 0 % stalled" (the median delay;
/// "· glass 1.3 s" when the viewers read the latency probe). Pure.
[[nodiscard]] std::string audienceLine(const publisher::origin::QoeSummary& audience);

/// Everything the health panel shows: viewers, median and p95 delay behind live, glass to
/// glass, the stall ratio and the rendition mix ("720p 2, 360p 1"). Pure.
[[nodiscard]] std::string audienceDetails(const publisher::origin::QoeSummary& audience);

}  // namespace podium::app

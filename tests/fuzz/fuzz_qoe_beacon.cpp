// libFuzzer target: the viewers' QoE beacon reader (a body any browser can POST), then the
// table that aggregates what it accepts; and the audience summary reader (what another origin
// answers on /api/channels/<ch>/qoe), whose accepted summaries must write back and read again.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include <cstdlib>

#include "publisher/origin/qoe/qoe_beacon.h"
#include "publisher/origin/qoe/qoe_summary_json.h"
#include "publisher/origin/qoe/qoe_table.h"

namespace origin = podium::publisher::origin;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const std::string_view body(reinterpret_cast<const char*>(data), size);
    auto beacon = origin::parseQoeBeacon(body);
    if (beacon) {
        origin::QoeTable table;
        const auto now = origin::QoeTable::Clock::now();
        (void)table.add(*beacon, now);
        (void)table.summary(now);
    }
    if (auto summary = origin::parseQoeSummaryJson(body)) {
        if (!origin::parseQoeSummaryJson(origin::qoeSummaryJson("c", *summary))) {
            std::abort();  // what we accept, we must be able to write and read back
        }
    }
    return 0;
}

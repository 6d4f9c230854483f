// libFuzzer target: the viewers' QoE beacon reader (a body any browser can POST), then the
// table that aggregates what it accepts.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "publisher/origin/qoe/qoe_beacon.h"
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
    return 0;
}

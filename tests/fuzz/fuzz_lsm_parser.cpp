// libFuzzer target: the Smooth Live Server Manifest reader (UTF-8 / UTF-16 XML) and the
// UTF-16 converter on its own.
#include <cstddef>
#include <cstdint>
#include <span>

#include "publisher/origin/ingest/lsm_parser.h"

namespace origin = podium::publisher::origin;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const std::span<const uint8_t> bytes(data, size);
    (void)origin::LsmParser::parse(bytes);
    (void)origin::utf16ToUtf8(bytes);
    return 0;
}

// libFuzzer target: BoxReader::parse over arbitrary bytes, then every typed reader and the text
// dump over the tree it returns. Any crash, sanitizer report or exception is a finding.
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "publisher/mp4/box_reader.h"

namespace mp4 = podium::publisher::mp4;

namespace {

void readAll(const std::vector<mp4::Box>& boxes) {
    for (const mp4::Box& box : boxes) {
        const std::string type = box.type.toString();
        if (type == "trun") {
            (void)mp4::readTrun(box);
        } else if (type == "tfhd") {
            (void)mp4::readTfhd(box);
        } else if (type == "tfdt") {
            (void)mp4::readTfdt(box);
        } else if (type == "mfhd") {
            (void)mp4::readMfhd(box);
        }
        readAll(box.children);
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const std::span<const uint8_t> bytes(data, size);
    auto boxes = mp4::BoxReader::parse(bytes);
    if (boxes) {
        readAll(*boxes);
        (void)mp4::dumpTree(*boxes);
        (void)mp4::findAllBoxes(*boxes, "moof/traf/trun");
    }
    return 0;
}

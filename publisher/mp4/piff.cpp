#include "publisher/mp4/piff.h"

#include <algorithm>

#include "publisher/mp4/byte_reader.h"

namespace podium::publisher::mp4 {

void writeTfxd(BoxWriter& out, FragmentTime time) {
    BoxScope box = out.beginUuidBox(kTfxdUuid);
    out.writeU32(0x01000000);  // version 1, flags 0
    out.writeU64(uint64_t(time.start));
    out.writeU64(uint64_t(time.duration));
}

void writeTfrf(BoxWriter& out, const std::vector<FragmentTime>& following) {
    const size_t count = std::min<size_t>(following.size(), 255);
    BoxScope box = out.beginUuidBox(kTfrfUuid);
    out.writeU32(0x01000000);
    out.writeU8(uint8_t(count));
    for (size_t i = 0; i < count; ++i) {
        out.writeU64(uint64_t(following[i].start));
        out.writeU64(uint64_t(following[i].duration));
    }
}

std::optional<int64_t> readTfxdTime(const Box& traf) {
    for (const Box& box : traf.children) {
        if (box.type == FourCC{"uuid"} && box.userType == kTfxdUuid) {
            ByteReader in(box.payload);
            const uint8_t version = in.u8();
            in.skip(3);
            const int64_t time = version == 1 ? int64_t(in.u64()) : int64_t(in.u32());
            if (in.ok()) {
                return time;
            }
        }
    }
    return std::nullopt;
}

std::vector<uint8_t> emptyMfra() {
    return {0, 0, 0, 8, 'm', 'f', 'r', 'a'};
}

}  // namespace podium::publisher::mp4

#include "publisher/mp4/box_writer.h"

#include <cassert>
#include <limits>

namespace podium::publisher::mp4 {

size_t BoxScope::close() {
    if (writer_ != nullptr) {
        size_ = writer_->size() - start_;
        assert(size_ <= std::numeric_limits<uint32_t>::max());
        writer_->patchU32(start_, static_cast<uint32_t>(size_));
        writer_ = nullptr;
    }
    return size_;
}

BoxScope BoxWriter::beginBox(FourCC type) {
    const size_t start = bytes_.size();
    writeU32(0);  // patched by BoxScope
    writeFourCC(type);
    return BoxScope(*this, start);
}

BoxScope BoxWriter::beginFullBox(FourCC type, uint8_t version, uint32_t flags) {
    BoxScope scope = beginBox(type);
    writeU8(version);
    writeU24(flags);
    return scope;
}

BoxScope BoxWriter::beginUuidBox(const std::array<uint8_t, 16>& userType) {
    BoxScope scope = beginBox(FourCC{"uuid"});
    writeBytes(userType);
    return scope;
}

void BoxWriter::patchU32(size_t offset, uint32_t v) {
    assert(offset + 4 <= bytes_.size());
    for (int i = 0; i < 4; ++i) {
        bytes_[offset + static_cast<size_t>(i)] = static_cast<uint8_t>(v >> (24 - 8 * i));
    }
}

}  // namespace podium::publisher::mp4

#include "video_frame.h"

#include <cstring>

namespace podium {

VideoFrame VideoFrame::makeI420(int width, int height) {
    VideoFrame f;
    f.width = width;
    f.height = height;
    const size_t luma = size_t(width) * height;
    const size_t chroma = size_t(f.chromaWidth()) * f.chromaHeight();
    f.data.resize(luma + 2 * chroma);
    std::memset(f.data.data(), 16, luma);
    std::memset(f.data.data() + luma, 128, 2 * chroma);
    return f;
}

uint8_t* VideoFrame::plane(int index) {
    return const_cast<uint8_t*>(static_cast<const VideoFrame*>(this)->plane(index));
}

const uint8_t* VideoFrame::plane(int index) const {
    const size_t luma = size_t(width) * height;
    const size_t chroma = size_t(chromaWidth()) * chromaHeight();
    switch (index) {
        case 0: return data.data();
        case 1: return data.data() + luma;
        default: return data.data() + luma + chroma;
    }
}

}  // namespace podium

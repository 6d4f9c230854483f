#include "app/session/process_tuning.h"

#include <malloc.h>

namespace podium::app {

void tuneProcessForVideo() {
    mallopt(M_MMAP_THRESHOLD, 64 << 20);  // frames come from the heap, not from fresh mmaps
    mallopt(M_TRIM_THRESHOLD, 256 << 20);  // and the heap is not trimmed between frames
}

}  // namespace podium::app

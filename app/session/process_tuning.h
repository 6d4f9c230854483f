#pragma once

namespace podium::app {

/// Process-wide settings for a real-time video process; call once at the top of main().
/// Video frames are 0.5-6 MB each and live for milliseconds. With glibc's defaults such blocks
/// are handed back to the kernel (munmap / heap trim) and fresh pages must be zeroed again on
/// the next frame: measured ~4% of the CPU in the ladder benchmark. Keeping freed frame memory
/// in the heap costs no extra peak memory (the same frames are reused).
void tuneProcessForVideo();

}  // namespace podium::app

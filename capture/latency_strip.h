#pragma once

#include <cstdint>
#include <optional>

#include "core/video_frame.h"

namespace podium::capture {

/// The latency probe: a wall-clock time drawn into a picture as a strip of black and white
/// blocks in its top-right corner (the title is at the bottom, the test pattern's text at the
/// top left), so that whoever shows the picture later (the /watch page, a
/// test) can read when it was captured and measure glass to glass: capture, encoder,
/// packaging, network and player together.
///
/// Layout: kRows x kColumns square cells of height/kCellsPerHeight pixels, inside a black box
/// one cell wider on every side, against the picture's top and right edges. Cells in reading order
/// (row by row, left to right): 4 sync cells (white, black, white, black), the 32 bits of the time
/// (Unix milliseconds modulo 2^32, most significant first), CRC-8 (polynomial 0x07) of those 4
/// bytes, 4 end cells (black, white, black, white). White is luma 235, black 16, chroma 128.
/// The cell size follows the picture's height, so a scaled rendition carries the same strip at
/// its own scale; cells are 18 px at 720p and 9 px at 360p, large enough for x264 at 600 kb/s.
/// Pure functions: any thread.
inline constexpr int kLatencyStripRows = 3;
inline constexpr int kLatencyStripColumns = 16;
inline constexpr int kLatencyStripCellsPerHeight = 40;

/// Draws the strip for `wallClockMs` into `frame` (I420). Frames too small for it (under
/// 120 px high or narrower than the strip) are left as they are.
void drawLatencyStrip(VideoFrame& frame, int64_t wallClockMs);

/// Reads the strip of a picture's luma plane: the time modulo 2^32, or nullopt when there is
/// no strip that passes the sync cells and the CRC.
std::optional<uint32_t> readLatencyStrip(const uint8_t* luma, int width, int height, int stride);
std::optional<uint32_t> readLatencyStrip(const VideoFrame& frame);

/// How far `shownMs` (a wall clock, Unix ms) is after the strip time `stripMs` (mod 2^32), in
/// ms: the glass-to-glass delay when `shownMs` is when the picture was displayed.
int64_t latencyStripAge(uint32_t stripMs, int64_t shownMs);

}  // namespace podium::capture

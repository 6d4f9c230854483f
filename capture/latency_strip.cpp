#include "capture/latency_strip.h"

#include <algorithm>
#include <array>
#include <cmath>

namespace podium::capture {

namespace {

constexpr int kCells = kLatencyStripRows * kLatencyStripColumns;
constexpr int kSyncCells = 4;
constexpr int kTimeBits = 32;
constexpr int kCrcBits = 8;
constexpr int kEndCells = 4;
static_assert(kSyncCells + kTimeBits + kCrcBits + kEndCells == kCells);

constexpr uint8_t kWhite = 235;
constexpr uint8_t kBlack = 16;
constexpr uint8_t kGrey = 128;

/// CRC-8, polynomial x^8 + x^2 + x + 1 (0x07), initial value 0, over the time's 4 bytes
/// (most significant first).
uint8_t crc8(uint32_t value) {
    uint8_t crc = 0;
    for (int shift = 24; shift >= 0; shift -= 8) {
        crc ^= uint8_t(value >> shift);
        for (int bit = 0; bit < 8; ++bit) {
            crc = (crc & 0x80) ? uint8_t((crc << 1) ^ 0x07) : uint8_t(crc << 1);
        }
    }
    return crc;
}

/// The cells' values, in reading order: true = white.
std::array<bool, kCells> cellsFor(uint32_t value) {
    std::array<bool, kCells> cells{};
    int i = 0;
    for (int s = 0; s < kSyncCells; ++s) {
        cells[size_t(i++)] = s % 2 == 0;  // white, black, white, black
    }
    for (int bit = kTimeBits - 1; bit >= 0; --bit) {
        cells[size_t(i++)] = (value >> bit) & 1u;
    }
    const uint8_t crc = crc8(value);
    for (int bit = kCrcBits - 1; bit >= 0; --bit) {
        cells[size_t(i++)] = (crc >> bit) & 1u;
    }
    for (int e = 0; e < kEndCells; ++e) {
        cells[size_t(i++)] = e % 2 == 1;  // black, white, black, white
    }
    return cells;
}

/// Where the strip is in a picture: a black box in the top-right corner, (columns + 2) x
/// (rows + 2) cells, the cells one cell in from its edges. Cell c of a row spans
/// [column(c), column(c + 1)) and of a column [row(c), row(c + 1)). Positions are computed in
/// fractions of a cell, so a scaled picture has its strip where the same formula says.
struct Geometry {
    double cell = 0;
    double left = 0;  ///< the box's left edge
    [[nodiscard]] int column(int c) const { return int(std::lround(left + (c + 1) * cell)); }
    [[nodiscard]] int row(int c) const { return int(std::lround((c + 1) * cell)); }
    [[nodiscard]] int boxLeft() const { return int(std::lround(left)); }
    [[nodiscard]] int boxBottom() const { return int(std::lround((kLatencyStripRows + 2) * cell)); }
};

std::optional<Geometry> geometryFor(int width, int height) {
    const double cell = double(height) / kLatencyStripCellsPerHeight;
    const double left = width - (kLatencyStripColumns + 2) * cell;
    if (height < 120 || left < 0) {
        return std::nullopt;
    }
    return Geometry{cell, left};
}

void fill(uint8_t* plane, int stride, int x0, int y0, int x1, int y1, uint8_t value) {
    for (int y = y0; y < y1; ++y) {
        std::fill(plane + ptrdiff_t(y) * stride + x0, plane + ptrdiff_t(y) * stride + x1, value);
    }
}

/// Mean luma of the middle half of a cell (the edges blur in scaling and compression).
double cellMean(const uint8_t* luma, int stride, const Geometry& g, int row, int column) {
    const double x0 = g.left + (column + 1) * g.cell;
    const double y0 = (row + 1) * g.cell;
    const int xa = int(std::floor(x0 + g.cell * 0.25));
    const int xb = std::max(xa + 1, int(std::ceil(x0 + g.cell * 0.75)));
    const int ya = int(std::floor(y0 + g.cell * 0.25));
    const int yb = std::max(ya + 1, int(std::ceil(y0 + g.cell * 0.75)));
    uint64_t sum = 0;
    for (int y = ya; y < yb; ++y) {
        for (int x = xa; x < xb; ++x) {
            sum += luma[ptrdiff_t(y) * stride + x];
        }
    }
    return double(sum) / double((xb - xa) * (yb - ya));
}

}  // namespace

void drawLatencyStrip(VideoFrame& frame, int64_t wallClockMs) {
    const auto g = geometryFor(frame.width, frame.height);
    if (!g || frame.format != PixelFormat::I420) {
        return;
    }
    const int boxLeft = g->boxLeft() & ~1;  // on a chroma sample
    const int boxBottom = g->boxBottom();
    uint8_t* y = frame.plane(0);
    fill(y, frame.stride(0), boxLeft, 0, frame.width, boxBottom, kBlack);
    const auto cells = cellsFor(uint32_t(uint64_t(wallClockMs) & 0xFFFFFFFFu));
    for (int row = 0; row < kLatencyStripRows; ++row) {
        for (int column = 0; column < kLatencyStripColumns; ++column) {
            if (cells[size_t(row * kLatencyStripColumns + column)]) {
                fill(y, frame.stride(0), g->column(column), g->row(row), g->column(column + 1),
                     g->row(row + 1), kWhite);
            }
        }
    }
    // Grey chroma under the whole box: black and white, whatever the picture's colours.
    const int cx = boxLeft / 2;
    const int cy = (boxBottom + 1) / 2;
    fill(frame.plane(1), frame.stride(1), cx, 0, frame.chromaWidth(), cy, kGrey);
    fill(frame.plane(2), frame.stride(2), cx, 0, frame.chromaWidth(), cy, kGrey);
}

std::optional<uint32_t> readLatencyStrip(const uint8_t* luma, int width, int height, int stride) {
    const auto g = geometryFor(width, height);
    if (!g || !luma || stride < width) {
        return std::nullopt;
    }
    std::array<double, kCells> means{};
    for (int row = 0; row < kLatencyStripRows; ++row) {
        for (int column = 0; column < kLatencyStripColumns; ++column) {
            means[size_t(row * kLatencyStripColumns + column)] =
                cellMean(luma, stride, *g, row, column);
        }
    }
    // The threshold halfway between the known white and black cells (sync and end), so a
    // player's or an encoder's levels (full or limited range, contrast) do not matter.
    double white = 0;
    double black = 0;
    for (int i = 0; i < kSyncCells; ++i) {
        (i % 2 == 0 ? white : black) += means[size_t(i)];
        (i % 2 == 1 ? white : black) += means[size_t(kCells - kEndCells + i)];
    }
    white /= kSyncCells;
    black /= kSyncCells;
    if (white - black < 48) {
        return std::nullopt;  // no contrast: no strip here
    }
    const double threshold = (white + black) / 2;
    std::array<bool, kCells> bits{};
    for (int i = 0; i < kCells; ++i) {
        bits[size_t(i)] = means[size_t(i)] > threshold;
    }
    uint32_t value = 0;
    for (int i = 0; i < kTimeBits; ++i) {
        value = (value << 1) | uint32_t(bits[size_t(kSyncCells + i)]);
    }
    if (bits != cellsFor(value)) {
        return std::nullopt;  // a sync cell, an end cell or the CRC disagrees
    }
    return value;
}

std::optional<uint32_t> readLatencyStrip(const VideoFrame& frame) {
    return readLatencyStrip(frame.plane(0), frame.width, frame.height, frame.stride(0));
}

int64_t latencyStripAge(uint32_t stripMs, int64_t shownMs) {
    const uint32_t shown = uint32_t(uint64_t(shownMs) & 0xFFFFFFFFu);
    // Modulo 2^32, read as signed: a strip from the future (clocks apart) comes out negative.
    return int64_t(int32_t(shown - stripMs));
}

}  // namespace podium::capture

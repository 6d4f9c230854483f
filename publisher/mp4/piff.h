#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <vector>

#include "publisher/mp4/box_reader.h"
#include "publisher/mp4/box_writer.h"

namespace podium::publisher::mp4 {

/// The Smooth Streaming (PIFF, MS-SSTR) extensions of ISO BMFF: 'uuid' boxes told apart by
/// their 16-byte usertype. Written by the Smooth push and the origin's Smooth fragments, read
/// by ingest. Everything here is pure: any thread.

/// Live Server Manifest box (MS-SSTR 2.2.2.1 for the ingest header): SMIL text after
/// version/flags.
inline constexpr std::array<uint8_t, 16> kLiveServerManifestUuid = {
    0xA5, 0xD4, 0x0B, 0x30, 0xE8, 0x14, 0x11, 0xDD, 0xBA, 0x2F, 0x08, 0x00, 0x20, 0x0C, 0x9A, 0x66};
/// TrackFragmentExtendedHeaderBox, tfxd (MS-SSTR 2.2.4.4): this fragment's absolute time and
/// duration.
inline constexpr std::array<uint8_t, 16> kTfxdUuid = {
    0x6D, 0x1D, 0x9B, 0x05, 0x42, 0xD5, 0x44, 0xE6, 0x80, 0xE2, 0x14, 0x1D, 0xAF, 0xF7, 0x57, 0xB2};
/// TfrfBox, tfrf (MS-SSTR 2.2.4.5): the times of the fragments that follow (live lookahead).
inline constexpr std::array<uint8_t, 16> kTfrfUuid = {
    0xD4, 0x80, 0x7E, 0xF2, 0xCA, 0x39, 0x46, 0x95, 0x8E, 0x54, 0x26, 0xCB, 0x9E, 0x46, 0xA7, 0x9F};

/// One fragment's place on its track's timeline, in track timescale ticks.
struct FragmentTime {
    int64_t start = 0;
    int64_t duration = 0;
};

/// Appends tfxd, version 1 (64-bit fields).
void writeTfxd(BoxWriter& out, FragmentTime time);
/// Appends tfrf, version 1, listing `following` (at most 255 entries: the count is one byte;
/// more are not written).
void writeTfrf(BoxWriter& out, const std::vector<FragmentTime>& following);

/// The absolute time of the first tfxd child of `traf`, read as signed (FFmpeg writes a
/// wrapped negative first AAC time), or nullopt when there is none or it is truncated.
std::optional<int64_t> readTfxdTime(const Box& traf);

/// The 8-byte empty `mfra` that ends a Smooth ingest stream (MS-SSTR 3.3.4.2).
std::vector<uint8_t> emptyMfra();

}  // namespace podium::publisher::mp4

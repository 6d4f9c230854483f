#pragma once

#include <cstdint>

/// The flag bits of the movie-fragment boxes, written once for the reader, the chunk writer
/// and the merger (ISO/IEC 14496-12:2022, 8.8.7.1 tfhd and 8.8.8.1 trun).
namespace podium::publisher::mp4 {

namespace tfhd_flags {
inline constexpr uint32_t kBaseDataOffset = 0x000001;
inline constexpr uint32_t kSampleDescriptionIndex = 0x000002;
inline constexpr uint32_t kDefaultSampleDuration = 0x000008;
inline constexpr uint32_t kDefaultSampleSize = 0x000010;
inline constexpr uint32_t kDefaultSampleFlags = 0x000020;
inline constexpr uint32_t kDefaultBaseIsMoof = 0x020000;
}  // namespace tfhd_flags

namespace trun_flags {
inline constexpr uint32_t kDataOffset = 0x000001;
inline constexpr uint32_t kFirstSampleFlags = 0x000004;
inline constexpr uint32_t kSampleDuration = 0x000100;
inline constexpr uint32_t kSampleSize = 0x000200;
inline constexpr uint32_t kSampleFlags = 0x000400;
inline constexpr uint32_t kSampleCompositionOffset = 0x000800;
/// The per-sample fields (what a trun v0/v1 entry may carry).
inline constexpr uint32_t kPerSampleFields =
    kSampleDuration | kSampleSize | kSampleFlags | kSampleCompositionOffset;
}  // namespace trun_flags

/// sample_flags (8.8.3.1): sample_is_non_sync_sample.
inline constexpr uint32_t kSampleIsNonSync = 0x00010000;

}  // namespace podium::publisher::mp4

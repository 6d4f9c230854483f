#pragma once

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "publisher/manifest/hls_media_playlist.h"
#include "publisher/sinks/segment_sink.h"

namespace podium::publisher {

struct ArchiveSinkConfig {
    std::filesystem::path directory;  ///< the archive folder (created with its parents)
    int64_t wallClockAnchorMs = 0;    ///< wall clock (Unix ms) of media time 0, for PDT
    int targetDurationSeconds = 1;    ///< minimum TARGETDURATION: ceil(nominal segment, s)
};

/// Writes the stream to disk as an HLS (fMP4) archive, exactly as delivered:
///   <dir>/index.m3u8                 multivariant, once every track has a segment
///   <dir>/<track.id>/init.mp4        CMAF header
///   <dir>/<track.id>/seg_<n>.m4s     segment n (SegmentSchedule number)
///   <dir>/<track.id>/index.m3u8      EVENT playlist while recording, VOD + ENDLIST after close
/// Every file is written to a temp name and renamed (crash-safe). Refuses at open() a folder
/// it cannot create or write, and a folder that already holds an archive (its index.m3u8, or
/// a track playlist left by a recording that crashed before its first multivariant). Used by
/// SinkFanout: open() on the caller's thread, then deliver()/close() on one worker thread; stats()
/// from any thread. Does not want chunks (whole segments only).
class ArchiveSink final : public SegmentSink {
public:
    explicit ArchiveSink(ArchiveSinkConfig config);

    [[nodiscard]] std::string name() const override;
    Result<void> open(const std::vector<TrackInfo>& tracks) override;
    Result<void> deliver(const SinkItem& item) override;
    Result<void> close() override;
    [[nodiscard]] SinkStats stats() const override;

private:
    struct Track {
        TrackInfo info;  ///< from open(), codec details replaced by the init's
        std::optional<std::vector<uint8_t>> init;
        HlsMediaPlaylist playlist;
        int64_t lastNumber = -1;
        uint64_t bytes = 0;         ///< media segment bytes
        double seconds = 0.0;       ///< media segment duration sum
        double peakBitrateBps = 0;  ///< highest single-segment bitrate
    };

    Result<void> checkFolder(const std::vector<TrackInfo>& tracks) const;
    Result<void> writeInit(const InitSegment& init);
    Result<void> writeSegment(const Segment& segment);
    Result<void> writeMediaPlaylist(const Track& track);
    Result<void> writeMultivariantIfDue(bool force);
    Result<void> write(const std::filesystem::path& relative, std::span<const uint8_t> bytes);
    Result<Track*> trackFor(int trackIndex, const char* what);
    [[nodiscard]] int64_t peakOf(const Track& track) const;

    const ArchiveSinkConfig config_;
    std::map<int, Track> tracks_;  ///< by TrackInfo::trackIndex
    std::vector<int64_t> writtenPeaks_;
    bool multivariantWritten_ = false;
    bool closed_ = false;
    std::atomic<uint64_t> filesWritten_{0};
    std::atomic<uint64_t> bytesWritten_{0};
};

}  // namespace podium::publisher

#pragma once

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "core/log.h"
#include "publisher/archive/archive_space.h"
#include "publisher/archive/archive_storage.h"
#include "publisher/manifest/segment_window.h"
#include "publisher/sinks/segment_sink.h"
#include "publisher/sinks/sink_fanout.h"

namespace podium::publisher {

struct ArchiveSinkConfig {
    std::filesystem::path directory;  ///< the archive folder (created with its parents)
    /// Wall clock (Unix ms) of media time 0, for PDT, when the stream's epoch is not known.
    int64_t wallClockAnchorMs = 0;
    int targetDurationSeconds = 1;  ///< minimum TARGETDURATION: ceil(nominal segment, s)
};

/// What the archive noticed about its disk (any thread).
struct ArchiveHealth {
    bool lowSpaceWarned = false;  ///< less than 10 minutes of the ladder's bitrate was left
    /// Runs of segments that never came (the queue dropped them): a discontinuity inside a
    /// track, a later start before a track's first segment.
    uint64_t gaps = 0;
    uint64_t segmentsMissing = 0;  ///< segments those gaps stand for (all tracks)
};

/// Writes the stream to disk as an HLS (fMP4) archive, exactly as delivered:
///   <dir>/index.m3u8                 multivariant, once every track has a segment
///   <dir>/<track.id>/init.mp4        CMAF header
///   <dir>/<track.id>/seg_<n>.m4s     segment n (SegmentSchedule number)
///   <dir>/<track.id>/index.m3u8      EVENT playlist while recording, VOD + ENDLIST after close
/// The playlists are the live renderer's, over a manifest::SegmentWindow that keeps every
/// segment's times but none of its bytes (WindowConfig::recording): one model of a playlist for
/// the origin, the HLS push and the archive. Every file is written to a temp name and renamed
/// (crash-safe). Refuses at open() a folder
/// it cannot create or write, and a folder that already holds an archive (its index.m3u8, or
/// a track playlist left by a recording that crashed before its first multivariant). Used by
/// SinkFanout: open() on the caller's thread, then deliver()/close() on one worker thread; stats()
/// and health() from any thread. Does not want chunks (whole segments only).
///
/// Never a half-finished VOD: when a write fails (disk full, folder gone, permission) the
/// archive stops itself: it gives back its reserve (ArchiveSpace), ends every playlist it can
/// with EXT-X-ENDLIST, rewrites the multivariant with the tracks it finished, and deliver()
/// returns the reason in words (the fan-out then stops this sink only). Segments that never
/// arrive (the queue dropped them: the disk was slower than the stream) become a
/// discontinuity in their track's playlist, logged as a gap. A discontinuity and not
/// EXT-X-GAP: FFmpeg 5.1 ignores EXT-X-GAP (it tries the URI and logs "Failed to open
/// segment"), while it reads a discontinuity silently; hls.js handles either.
class ArchiveSink final : public SegmentSink {
public:
    /// `storage` null: the real disk.
    explicit ArchiveSink(ArchiveSinkConfig config, std::unique_ptr<ArchiveStorage> storage = {});

    /// The archive's queue in the fan-out: about kQueueSeconds of segments of every track;
    /// beyond that the oldest whole segment goes (a gap in the VOD), so a slow disk never
    /// stalls the packager, the origin or the pushes.
    static constexpr double kQueueSeconds = 30.0;
    static SinkQueuePolicy queuePolicy(size_t trackCount, double segmentSeconds);

    [[nodiscard]] std::string name() const override;
    Result<void> open(const StreamDescription& stream) override;
    Result<void> deliver(const SinkItem& item) override;
    Result<void> close() override;
    [[nodiscard]] SinkStats stats() const override;
    [[nodiscard]] ArchiveHealth health() const;

private:
    struct Track {
        TrackInfo info;  ///< from open(), codec details replaced by the init's
        InitSegmentPtr init;
        int64_t lastNumber = -1;
        uint64_t playlistBytes = 0;  ///< size of the playlist last written
        bool finished = false;       ///< its final playlist (ENDLIST) is on disk
    };

    Result<void> checkFolder(const std::vector<TrackInfo>& tracks) const;
    Result<void> writeInit(const InitSegmentPtr& init);
    Result<void> writeSegment(const SegmentPtr& segment);
    Result<void> writeMediaPlaylist(Track& track);
    /// The window's snapshot of `track` (null before open()).
    [[nodiscard]] const manifest::TrackView* viewOf(const Track& track) const;
    Result<void> writeMultivariantIfDue(bool force);
    Result<void> write(const std::filesystem::path& relative, std::span<const uint8_t> bytes);
    Result<Track*> trackFor(int trackIndex, const char* what);
    [[nodiscard]] int64_t peakOf(const Track& track) const;
    [[nodiscard]] int64_t averageOf(const Track& track) const;
    void noteGap(const Track& track, int64_t firstMissing, int64_t lastMissing);
    /// Keeps the reserve big enough and warns once about a short runway.
    Result<void> watchSpace();
    /// Ends the archive: gives back the reserve, finishes every playlist it can and the
    /// multivariant (finished tracks only). With `failure`, returns it with what was saved.
    Result<void> finish(const std::optional<Status>& failure);

    const ArchiveSinkConfig config_;
    int64_t anchorMs_ = 0;  ///< wall clock of media time 0: the stream's epoch, else the config's
    const std::unique_ptr<ArchiveStorage> storage_;
    ArchiveSpace space_;
    std::map<int, Track> tracks_;                    ///< by TrackInfo::trackIndex
    std::optional<manifest::SegmentWindow> window_;  ///< the playlists (from open())
    manifest::ChannelViewPtr view_;                  ///< its snapshot after the last change
    std::vector<int64_t> writtenPeaks_;
    bool multivariantWritten_ = false;
    uint64_t multivariantBytes_ = 0;
    int64_t nominalBitrateBps_ = 0;       ///< the ladder's, from open()
    std::optional<int64_t> firstNumber_;  ///< the first segment number of any track
    bool closed_ = false;
    RateLimitedLog gapLog_;
    std::atomic<uint64_t> filesWritten_{0};
    std::atomic<uint64_t> bytesWritten_{0};
    std::atomic<bool> lowSpaceWarned_{false};
    std::atomic<uint64_t> gaps_{0};
    std::atomic<uint64_t> segmentsMissing_{0};
};

}  // namespace podium::publisher

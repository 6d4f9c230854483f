#include "publisher/archive/archive_sink.h"

#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <set>

#include "core/log.h"
#include "publisher/archive/atomic_file.h"
#include "publisher/archive/path_guard.h"
#include "publisher/manifest/hls_multivariant.h"

namespace podium::publisher {
namespace {

namespace fs = std::filesystem;

constexpr const char* kPlaylistName = "index.m3u8";
constexpr const char* kInitName = "init.mp4";
constexpr const char* kProbeName = ".podium-write-probe";

std::string segmentName(int64_t number) {
    return "seg_" + std::to_string(number) + ".m4s";
}

std::span<const uint8_t> textBytes(const std::string& text) {
    return {reinterpret_cast<const uint8_t*>(text.data()), text.size()};
}

}  // namespace

ArchiveSink::ArchiveSink(ArchiveSinkConfig config) : config_(std::move(config)) {}

std::string ArchiveSink::name() const {
    return "archive " + config_.directory.string();
}

Result<void> ArchiveSink::checkFolder(const std::vector<TrackInfo>& tracks) const {
    const fs::path& dir = config_.directory;
    std::error_code ec;
    std::vector<fs::path> previous = {dir / kPlaylistName};
    for (const auto& track : tracks) {
        previous.push_back(dir / track.id / kPlaylistName);
    }
    for (const auto& playlist : previous) {
        if (fs::exists(playlist, ec)) {
            return makeError(ErrorCode::InvalidArgument,
                             "archive folder " + dir.string() + " already holds an archive (" +
                                 fs::relative(playlist, dir, ec).string() +
                                 "); choose another folder");
        }
    }
    fs::create_directories(dir, ec);
    if (ec || !fs::is_directory(dir)) {
        return makeError(ErrorCode::Io, "cannot create archive folder " + dir.string() + ": " +
                                            (ec ? ec.message() : "not a folder"));
    }
    const fs::path probe = dir / kProbeName;
    std::FILE* file = std::fopen(probe.c_str(), "wb");
    const bool written = file && std::fputc('p', file) != EOF;
    const int error = errno;
    if (file) {
        std::fclose(file);
    }
    fs::remove(probe, ec);
    if (!written) {
        return makeError(
            ErrorCode::PermissionDenied,
            "archive folder " + dir.string() + " is not writable: " + std::strerror(error));
    }
    return ok();
}

Result<void> ArchiveSink::open(const std::vector<TrackInfo>& tracks) {
    if (config_.directory.empty()) {
        return makeError(ErrorCode::InvalidArgument, "no archive folder given");
    }
    if (tracks.empty()) {
        return makeError(ErrorCode::InvalidArgument, "archive opened without tracks");
    }
    std::set<std::string> ids;
    for (const auto& track : tracks) {
        if (!isSafeComponent(track.id) || !ids.insert(track.id).second) {
            return makeError(ErrorCode::InvalidArgument,
                             "track id \"" + track.id + "\" is not a unique folder name");
        }
    }
    if (auto checked = checkFolder(tracks); !checked) {
        return checked;
    }
    HlsMediaPlaylistConfig playlistConfig;
    playlistConfig.mapUri = kInitName;
    playlistConfig.minTargetDurationSeconds = config_.targetDurationSeconds;
    for (const auto& track : tracks) {
        std::error_code ec;
        const fs::path folder = config_.directory / track.id;
        fs::create_directories(folder, ec);
        if (ec) {
            return makeError(ErrorCode::Io, "cannot create archive folder " + folder.string() +
                                                ": " + ec.message());
        }
        tracks_.emplace(track.trackIndex,
                        Track{track, std::nullopt, HlsMediaPlaylist(playlistConfig)});
    }
    logInfo("archive", "recording into " + config_.directory.string());
    return ok();
}

Result<void> ArchiveSink::deliver(const SinkItem& item) {
    if (closed_) {
        return makeError(ErrorCode::InvalidArgument, "archive already closed");
    }
    if (const auto* init = std::get_if<InitSegmentPtr>(&item); init && *init) {
        return writeInit(**init);
    }
    if (const auto* segment = std::get_if<SegmentPtr>(&item); segment && *segment) {
        return writeSegment(**segment);
    }
    return ok();  // chunks (not wanted) and EndOfStream (close() follows)
}

Result<ArchiveSink::Track*> ArchiveSink::trackFor(int trackIndex, const char* what) {
    const auto it = tracks_.find(trackIndex);
    if (it == tracks_.end()) {
        return makeError(
            ErrorCode::InvalidArgument,
            std::string(what) + " for unknown track index " + std::to_string(trackIndex));
    }
    return &it->second;
}

Result<void> ArchiveSink::write(const fs::path& relative, std::span<const uint8_t> bytes) {
    auto written = writeFileAtomically(config_.directory / relative, bytes);
    if (written) {
        filesWritten_ += 1;
        bytesWritten_ += bytes.size();
    }
    return written;
}

Result<void> ArchiveSink::writeInit(const InitSegment& init) {
    auto track = trackFor(init.track.trackIndex, "init segment");
    if (!track) {
        return makeError(track.error());
    }
    Track& t = **track;
    if (t.init) {
        if (*t.init == init.bytes) {
            return ok();  // the same header again (a late-sink replay): nothing to do
        }
        return makeError(ErrorCode::InvalidArgument,
                         "init segment of track " + t.info.id +
                             " changed mid-stream (not supported by the archive)");
    }
    if (auto written = write(fs::path(t.info.id) / kInitName, init.bytes); !written) {
        return written;
    }
    const std::string id = t.info.id;
    t.info = init.track;
    t.info.id = id;  // the folder chosen at open() stays
    t.init = init.bytes;
    return ok();
}

Result<void> ArchiveSink::writeSegment(const Segment& segment) {
    auto track = trackFor(segment.trackIndex, "segment");
    if (!track) {
        return makeError(track.error());
    }
    Track& t = **track;
    const std::string where =
        "segment " + std::to_string(segment.number) + " of track " + t.info.id;
    if (!t.init) {
        return makeError(ErrorCode::InvalidArgument, where + " arrived before its init segment");
    }
    if (segment.number <= t.lastNumber) {
        return makeError(ErrorCode::InvalidArgument,
                         where + " does not follow segment " + std::to_string(t.lastNumber));
    }
    if (auto written = write(fs::path(t.info.id) / segmentName(segment.number), segment.bytes);
        !written) {
        return written;
    }
    HlsSegmentEntry entry;
    entry.uri = segmentName(segment.number);
    entry.durationSeconds = segment.duration.seconds();
    entry.programDateTimeMs =
        config_.wallClockAnchorMs + segment.start.rescaled(1000, Rounding::Nearest).value;
    entry.discontinuity = t.lastNumber >= 0 && segment.number != t.lastNumber + 1;
    t.playlist.append(std::move(entry));
    t.lastNumber = segment.number;
    t.bytes += segment.bytes.size();
    t.seconds += segment.duration.seconds();
    t.peakBitrateBps = std::max(t.peakBitrateBps, segment.bitrateBps());
    if (auto written = writeMediaPlaylist(t); !written) {
        return written;
    }
    return writeMultivariantIfDue(false);
}

Result<void> ArchiveSink::writeMediaPlaylist(const Track& track) {
    return write(fs::path(track.info.id) / kPlaylistName,
                 textBytes(renderMediaPlaylist(track.playlist)));
}

int64_t ArchiveSink::peakOf(const Track& track) const {
    const auto measured = static_cast<int64_t>(std::ceil(track.peakBitrateBps));
    return std::max<int64_t>(track.info.maxBitrateBps, measured);
}

Result<void> ArchiveSink::writeMultivariantIfDue(bool force) {
    MultivariantInput input;
    std::vector<int64_t> peaks;
    bool everyTrackHasASegment = true;
    for (const auto& [index, t] : tracks_) {
        if (t.lastNumber < 0) {
            everyTrackHasASegment = false;
            continue;
        }
        const int64_t peak = peakOf(t);
        const auto average = static_cast<int64_t>(
            t.seconds > 0 ? std::llround(double(t.bytes) * 8.0 / t.seconds) : 0);
        peaks.push_back(peak);
        const std::string uri = t.info.id + "/" + kPlaylistName;
        if (t.info.kind == TrackKind::Video) {
            input.variants.push_back({t.info, peak, average, uri});
        } else if (!input.audio) {
            input.audio = HlsAudioRendition{t.info, peak, average, uri};
        }
    }
    const bool due = force || (!multivariantWritten_ && everyTrackHasASegment) ||
                     (multivariantWritten_ && peaks != writtenPeaks_);
    if (!due || input.variants.empty()) {
        return ok();
    }
    if (auto written = write(kPlaylistName, textBytes(renderMultivariant(input))); !written) {
        return written;
    }
    multivariantWritten_ = true;
    writtenPeaks_ = std::move(peaks);
    return ok();
}

Result<void> ArchiveSink::close() {
    if (closed_) {
        return ok();
    }
    closed_ = true;
    for (auto& [index, t] : tracks_) {
        if (t.lastNumber < 0) {
            continue;
        }
        t.playlist.end();
        if (auto written = writeMediaPlaylist(t); !written) {
            return written;
        }
    }
    if (auto written = writeMultivariantIfDue(true); !written) {
        return written;
    }
    logInfo("archive", "finished " + config_.directory.string() + " (" +
                           std::to_string(filesWritten_.load()) + " files)");
    return ok();
}

SinkStats ArchiveSink::stats() const {
    return {filesWritten_.load(), bytesWritten_.load()};
}

}  // namespace podium::publisher

#include "publisher/archive/archive_sink.h"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <set>

#include "core/log.h"
#include "publisher/archive/path_guard.h"
#include "publisher/manifest/hls_live.h"
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

ArchiveSink::ArchiveSink(ArchiveSinkConfig config, std::unique_ptr<ArchiveStorage> storage)
    : config_(std::move(config)),
      storage_(storage ? std::move(storage) : makeDiskStorage()),
      space_(*storage_, config_.directory),
      gapLog_("archive " + config_.directory.string()) {}

SinkQueuePolicy ArchiveSink::queuePolicy(size_t trackCount, double segmentSeconds) {
    const auto segments =
        static_cast<size_t>(std::ceil(kQueueSeconds / std::max(segmentSeconds, 0.1)));
    // Inits are never dropped, and count as items: one more per track.
    return SinkQueuePolicy::dropOldestSegment(std::max<size_t>(trackCount, 1) * (segments + 1));
}

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

Result<void> ArchiveSink::open(const StreamDescription& stream) {
    const std::vector<TrackInfo>& tracks = stream.tracks;
    anchorMs_ = stream.epochMs != 0 ? stream.epochMs : config_.wallClockAnchorMs;
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
    for (const auto& track : tracks) {
        std::error_code ec;
        const fs::path folder = config_.directory / track.id;
        fs::create_directories(folder, ec);
        if (ec) {
            return makeError(ErrorCode::Io, "cannot create archive folder " + folder.string() +
                                                ": " + ec.message());
        }
        tracks_.emplace(track.trackIndex, Track{track});
        nominalBitrateBps_ += std::max<int64_t>(track.bitrateBps, 0);
    }
    window_.emplace(manifest::WindowConfig::recording(
        config_.directory.string(),
        MediaTime{int64_t(std::max(config_.targetDurationSeconds, 1)) * 90000, 90000}, anchorMs_));
    window_->setTracks(tracks);
    view_ = window_->snapshot(0);
    if (auto held = space_.hold(ArchiveSpace::kReserveStepBytes); !held) {
        return makeError(held.error().withContext(
            "archive folder " + config_.directory.string() +
            " has no room for the reserve that keeps the archive finishable"));
    }
    logInfo("archive", "recording into " + config_.directory.string());
    (void)watchSpace();
    return ok();
}

Result<void> ArchiveSink::deliver(const SinkItem& item) {
    if (closed_) {
        return makeError(ErrorCode::InvalidArgument, "archive already closed");
    }
    Result<void> written = ok();
    if (const auto* init = std::get_if<InitSegmentPtr>(&item); init && *init) {
        written = writeInit(*init);
    } else if (const auto* segment = std::get_if<SegmentPtr>(&item); segment && *segment) {
        written = writeSegment(*segment);
    }
    // Chunks (not wanted) and EndOfStream (close() follows) need nothing. After a failure
    // the fan-out stops this sink without calling close(): finish here, whatever went wrong.
    if (!written) {
        return finish(written.error());
    }
    return ok();
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
    auto written = storage_->writeFile(config_.directory / relative, bytes);
    if (written) {
        filesWritten_ += 1;
        bytesWritten_ += bytes.size();
    }
    return written;
}

Result<void> ArchiveSink::writeInit(const InitSegmentPtr& initPtr) {
    const InitSegment& init = *initPtr;
    auto track = trackFor(init.track.trackIndex, "init segment");
    if (!track) {
        return makeError(track.error());
    }
    Track& t = **track;
    if (t.init) {
        if (t.init->bytes == init.bytes) {
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
    t.init = initPtr;
    window_->setInit(initPtr);
    return ok();
}

Result<void> ArchiveSink::writeSegment(const SegmentPtr& segmentPtr) {
    const Segment& segment = *segmentPtr;
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
    // A gap: segments the queue dropped (the disk was slower than the stream). Within a
    // track it becomes a discontinuity; before a track's first segment, a later start.
    firstNumber_ = std::min(firstNumber_.value_or(segment.number), segment.number);
    const int64_t expected = t.lastNumber >= 0 ? t.lastNumber + 1 : *firstNumber_;
    if (segment.number > expected) {
        noteGap(t, expected, segment.number - 1);
    }
    if (auto written = write(fs::path(t.info.id) / segmentName(segment.number), segment.bytes);
        !written) {
        return written;
    }
    // The window numbers by the segment's number (its file's name) and marks a jump as a
    // discontinuity; it keeps the times, not the bytes.
    window_->addSegment(segmentPtr);
    view_ = window_->snapshot(view_->version + 1);
    t.lastNumber = segment.number;
    if (auto written = writeMediaPlaylist(t); !written) {
        return written;
    }
    if (auto written = writeMultivariantIfDue(false); !written) {
        return written;
    }
    return watchSpace();
}

void ArchiveSink::noteGap(const Track& track, int64_t firstMissing, int64_t lastMissing) {
    gaps_ += 1;
    segmentsMissing_ += uint64_t(lastMissing - firstMissing + 1);
    const std::string which =
        firstMissing == lastMissing
            ? "segment " + std::to_string(firstMissing)
            : "segments " + std::to_string(firstMissing) + "-" + std::to_string(lastMissing);
    gapLog_.hit(LogLevel::Warning,
                "the disk fell behind the stream: " + which + " of track " + track.info.id +
                    " never reached the archive; " +
                    (track.lastNumber >= 0 ? "recorded as a gap (EXT-X-DISCONTINUITY)"
                                           : "the track starts after them"));
}

Result<void> ArchiveSink::watchSpace() {
    uint64_t largestPlaylist = 0;
    int64_t measuredBps = 0;
    for (const auto& [index, t] : tracks_) {
        // The final playlist is about as long as the one on disk: bytes of what we rendered.
        largestPlaylist = std::max<uint64_t>(largestPlaylist, t.playlistBytes);
        measuredBps += averageOf(t);
    }
    const uint64_t needed =
        ArchiveSpace::neededFor(largestPlaylist, multivariantBytes_, tracks_.size());
    if (auto held = space_.hold(needed); !held) {
        return makeError(held.error().withContext("no room left to keep the archive finishable"));
    }
    if (auto warning = space_.runwayWarning(std::max(nominalBitrateBps_, measuredBps))) {
        lowSpaceWarned_ = true;
        logWarning("archive", *warning);
    }
    return ok();
}

const manifest::TrackView* ArchiveSink::viewOf(const Track& track) const {
    if (!view_) {
        return nullptr;
    }
    for (const auto& t : view_->tracks) {
        if (t.info.trackIndex == track.info.trackIndex) {
            return &t;
        }
    }
    return nullptr;
}

Result<void> ArchiveSink::writeMediaPlaylist(Track& track) {
    const manifest::TrackView* view = viewOf(track);
    if (!view) {
        return makeError(ErrorCode::Internal, "no playlist for track " + track.info.id);
    }
    manifest::LlHlsOptions options;
    options.lowLatency = false;
    options.blockingReload = false;
    options.recording = true;
    const std::string text = manifest::renderLiveMediaPlaylist(*view_, *view, options);
    track.playlistBytes = text.size();
    return write(fs::path(track.info.id) / kPlaylistName, textBytes(text));
}

int64_t ArchiveSink::peakOf(const Track& track) const {
    const manifest::TrackView* view = viewOf(track);
    const auto measured = static_cast<int64_t>(std::ceil(view ? view->peakBitrateBps : 0.0));
    return std::max<int64_t>(track.info.maxBitrateBps, measured);
}

int64_t ArchiveSink::averageOf(const Track& track) const {
    const manifest::TrackView* view = viewOf(track);
    return view ? std::llround(view->averageBitrateBps) : 0;
}

Result<void> ArchiveSink::writeMultivariantIfDue(bool force) {
    MultivariantInput input;
    std::vector<int64_t> peaks;
    bool everyTrackHasASegment = true;
    for (const auto& [index, t] : tracks_) {
        if (t.lastNumber < 0 || (closed_ && !t.finished)) {
            everyTrackHasASegment = false;
            continue;
        }
        const int64_t peak = peakOf(t);
        const int64_t average = averageOf(t);
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
    const std::string text = renderMultivariant(input);
    if (auto written = write(kPlaylistName, textBytes(text)); !written) {
        return written;
    }
    multivariantBytes_ = text.size();
    multivariantWritten_ = true;
    writtenPeaks_ = std::move(peaks);
    return ok();
}

Result<void> ArchiveSink::close() {
    if (closed_) {
        return ok();
    }
    return finish(std::nullopt);
}

Result<void> ArchiveSink::finish(const std::optional<Status>& failure) {
    closed_ = true;
    space_.release();  // first: on a full disk, this is the room the final playlists need
    std::vector<std::string> unfinished;
    std::optional<Status> firstProblem;
    double recordedSeconds = 0;
    if (window_) {
        window_->end();
        view_ = window_->snapshot(view_->version + 1);
    }
    for (auto& [index, t] : tracks_) {
        if (t.lastNumber < 0) {
            continue;
        }
        if (auto written = writeMediaPlaylist(t); !written) {
            unfinished.push_back(t.info.id + "/" + kPlaylistName);
            firstProblem = firstProblem ? firstProblem : written.error();
            continue;
        }
        t.finished = true;
        double seconds = 0;
        if (const manifest::TrackView* view = viewOf(t)) {
            for (const auto& segment : view->segments) {
                seconds += segment.duration.seconds();
            }
        }
        recordedSeconds = std::max(recordedSeconds, seconds);
    }
    const bool anyVideoFinished = std::any_of(tracks_.begin(), tracks_.end(), [](const auto& t) {
        return t.second.finished && t.second.info.kind == TrackKind::Video;
    });
    if (auto written = writeMultivariantIfDue(true); !written) {
        unfinished.push_back(kPlaylistName);
        firstProblem = firstProblem ? firstProblem : written.error();
    } else if (multivariantWritten_ && !anyVideoFinished) {
        unfinished.push_back(kPlaylistName);  // it still lists playlists left unfinished
    }
    std::string summary = std::to_string(filesWritten_.load()) + " files, " +
                          std::to_string(std::lround(recordedSeconds)) + " s recorded";
    if (gaps_ > 0) {
        summary += ", " + std::to_string(gaps_.load()) + " gaps (" +
                   std::to_string(segmentsMissing_.load()) + " segments missing)";
    }
    std::string saved;
    if (!unfinished.empty()) {
        std::string list;
        for (const auto& name : unfinished) {
            list += (list.empty() ? "" : ", ") + name;
        }
        saved = "could not finish " + list + " (" + firstProblem->toString() + ")";
    } else {
        saved = "its playlists were finished with EXT-X-ENDLIST";
    }
    if (failure) {
        return makeError(failure->code(), failure->toString() + "; the archive stopped (" +
                                              summary + ") and " + saved);
    }
    if (!unfinished.empty()) {
        return makeError(firstProblem->code(), "the archive " + saved);
    }
    logInfo("archive", "finished " + config_.directory.string() + " (" + summary + ")");
    return ok();
}

SinkStats ArchiveSink::stats() const {
    return {filesWritten_.load(), bytesWritten_.load()};
}

ArchiveHealth ArchiveSink::health() const {
    return {lowSpaceWarned_.load(), gaps_.load(), segmentsMissing_.load()};
}

}  // namespace podium::publisher

// The archive when its disk lets it down: full, folder gone, no permission, too slow. In every
// case what is left on disk is a finished VOD (EXT-X-ENDLIST) of what was saved, the reason is
// given in words, and nothing upstream waits for the disk.
#include <QtTest>

#include <QDirIterator>
#include <QTemporaryDir>

#include <sys/fsuid.h>
#include <unistd.h>

#include <atomic>
#include <condition_variable>
#include <map>
#include <mutex>
#include <thread>

#include "publisher/archive/archive_sink.h"
#include "publisher/sinks/sink_fanout.h"

using namespace podium;
using namespace podium::publisher;

namespace {

constexpr int64_t kAnchorMs = 1795608000000;  // 2026-11-25T12:00:00.000Z

TrackInfo track(int index, const std::string& id, TrackKind kind, int bitrateBps) {
    TrackInfo t;
    t.trackIndex = index;
    t.id = id;
    t.kind = kind;
    t.codecString = kind == TrackKind::Video ? "avc1.64001f" : "mp4a.40.2";
    t.timescale = kind == TrackKind::Video ? 90000 : 48000;
    t.width = kind == TrackKind::Video ? 640 : 0;
    t.height = kind == TrackKind::Video ? 360 : 0;
    t.fpsNum = 30;
    t.channels = kind == TrackKind::Audio ? 2 : 0;
    t.bitrateBps = bitrateBps;
    t.maxBitrateBps = bitrateBps * 11 / 10;
    return t;
}

/// 720p, 360p and audio: 3.6 Mb/s together.
std::vector<TrackInfo> ladder() {
    return {track(0, "720p", TrackKind::Video, 2500000),
            track(1, "360p", TrackKind::Video, 1000000),
            track(2, "audio", TrackKind::Audio, 128000)};
}

InitSegmentPtr makeInit(const TrackInfo& t) {
    auto init = std::make_shared<InitSegment>();
    init->track = t;
    init->bytes = {'f', 't', 'y', 'p', uint8_t(t.trackIndex)};
    return init;
}

SegmentPtr makeSegment(const TrackInfo& t, int64_t number, size_t size = 1000) {
    auto s = std::make_shared<Segment>();
    s->trackIndex = t.trackIndex;
    s->number = number;
    s->start = MediaTime{number * 2 * t.timescale, t.timescale};
    s->duration = MediaTime{2 * int64_t(t.timescale), t.timescale};
    s->bytes.resize(size);
    for (size_t i = 0; i < size; ++i) {
        s->bytes[i] = uint8_t(i * 7 + uint64_t(number) * 13 + uint64_t(t.trackIndex));
    }
    return s;
}

QByteArray readFile(const QString& path) {
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

QStringList lines(const QString& path) {
    return QString::fromUtf8(readFile(path)).split('\n', Qt::SkipEmptyParts);
}

/// The segment URIs a playlist lists.
QStringList listedSegments(const QString& playlist) {
    return lines(playlist).filter(QRegularExpression("^seg_\\d+\\.m4s$"));
}

/// Hidden files left in the folder (temp files, the reserve).
QStringList leftovers(const QString& dir) {
    QStringList out;
    QDirIterator it(dir, QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString name = QFileInfo(it.next()).fileName();
        if (name.startsWith('.')) {
            out << name;
        }
    }
    return out;
}

/// Every playlist of `dir` that exists ends the VOD, and every segment it lists is on disk.
void verifyFinishedVod(const QString& dir, const QStringList& trackIds) {
    for (const auto& id : trackIds) {
        const QString playlist = dir + "/" + id + "/index.m3u8";
        const QStringList text = lines(playlist);
        QVERIFY2(!text.isEmpty(), qPrintable(playlist));
        QCOMPARE(text.last(), QStringLiteral("#EXT-X-ENDLIST"));
        QVERIFY(text.contains("#EXT-X-PLAYLIST-TYPE:VOD"));
        for (const auto& uri : listedSegments(playlist)) {
            QVERIFY2(QFile::exists(dir + "/" + id + "/" + uri), qPrintable(id + "/" + uri));
        }
    }
    const QString multivariant = QString::fromUtf8(readFile(dir + "/index.m3u8"));
    for (const auto& line : multivariant.split('\n')) {
        if (line.endsWith("/index.m3u8") && !line.startsWith('#')) {
            QVERIFY2(trackIds.contains(line.section('/', 0, 0)), qPrintable(line));
        }
    }
}

/// The real disk, plus what a real disk cannot be made to do on demand: fill up at a chosen
/// byte (a quota counted in 4 KB blocks, as file systems allocate), block segment writes
/// until opened (a slow disk), and report a chosen free space.
class FakeDisk final : public ArchiveStorage {
public:
    std::optional<uint64_t> quotaBytes;
    std::optional<uint64_t> reportedFreeBytes;

    Result<void> writeFile(const std::filesystem::path& path,
                           std::span<const uint8_t> bytes) override {
        if (path.extension() == ".m4s") {
            std::unique_lock lock(mutex_);
            ++writersWaiting_;
            changed_.notify_all();
            changed_.wait(lock, [&] { return gateOpen_; });
            --writersWaiting_;
        }
        // The new copy is written beside the old one, which goes at the rename.
        if (quotaBytes && usedBytes() + blocks(bytes.size()) > *quotaBytes) {
            return makeError(ErrorCode::Io,
                             "cannot write " + path.string() + ": No space left on device");
        }
        auto written = real_->writeFile(path, bytes);
        if (written) {
            sizes_[path] = blocks(bytes.size());
        }
        return written;
    }
    Result<void> allocate(const std::filesystem::path& path, uint64_t bytes) override {
        if (quotaBytes && usedBytes() - sizeOf(path) + blocks(bytes) > *quotaBytes) {
            return makeError(ErrorCode::Io, "cannot reserve " + std::to_string(bytes) +
                                                " bytes in " + path.string() +
                                                ": No space left on device");
        }
        sizes_[path] = std::max(sizeOf(path), blocks(bytes));
        return real_->allocate(path, bytes);
    }
    void remove(const std::filesystem::path& path) override {
        sizes_.erase(path);
        real_->remove(path);
    }
    [[nodiscard]] std::optional<uint64_t> availableBytes(
        const std::filesystem::path& folder) const override {
        if (reportedFreeBytes) {
            return reportedFreeBytes;
        }
        if (quotaBytes) {
            return *quotaBytes - usedBytes();
        }
        return real_->availableBytes(folder);
    }

    void closeGate() {
        std::lock_guard lock(mutex_);
        gateOpen_ = false;
    }
    void openGate() {
        {
            std::lock_guard lock(mutex_);
            gateOpen_ = true;
        }
        changed_.notify_all();
    }
    bool waitForBlockedWriter(int timeoutMs) {
        std::unique_lock lock(mutex_);
        return changed_.wait_for(lock, std::chrono::milliseconds(timeoutMs),
                                 [&] { return writersWaiting_ > 0; });
    }

private:
    static uint64_t blocks(uint64_t bytes) { return (bytes + 4095) / 4096 * 4096; }
    [[nodiscard]] uint64_t sizeOf(const std::filesystem::path& path) const {
        const auto it = sizes_.find(path);
        return it == sizes_.end() ? 0 : it->second;
    }
    [[nodiscard]] uint64_t usedBytes() const {
        uint64_t used = 0;
        for (const auto& [path, size] : sizes_) {
            used += size;
        }
        return used;
    }

    std::unique_ptr<ArchiveStorage> real_ = makeDiskStorage();
    std::map<std::filesystem::path, uint64_t> sizes_;
    std::mutex mutex_;
    std::condition_variable changed_;
    bool gateOpen_ = true;
    int writersWaiting_ = 0;
};

ArchiveSinkConfig configFor(const QString& dir) {
    return {dir.toStdString(), kAnchorMs, 2};
}

/// Runs as user "nobody" for file access on this thread while alive (root ignores modes).
class FileAccessAsNobody {
public:
    FileAccessAsNobody() : previous_(::setfsuid(65534)) {}
    ~FileAccessAsNobody() { ::setfsuid(uid_t(previous_)); }

private:
    int previous_;
};

}  // namespace

class TstArchiveFailures : public QObject {
    Q_OBJECT

private slots:
    void fullDiskLeavesAFinishedVod();
    void lostFolderOrPermissionLeavesAFinishedVod_data();
    void lostFolderOrPermissionLeavesAFinishedVod();
    void slowDiskRecordsAGapInsteadOfStalling();
    void warnsOnceWhenTheRunwayIsShort_data();
    void warnsOnceWhenTheRunwayIsShort();
    void refusesAFolderWithNoRoomForTheReserve();
    void queueHoldsAboutThirtySeconds();
};

void TstArchiveFailures::fullDiskLeavesAFinishedVod() {
    QTemporaryDir tmp;
    const auto tracks = ladder();
    auto disk = std::make_unique<FakeDisk>();
    disk->quotaBytes = 600 * 1024;  // the disk fills during segment 3 or 4
    ArchiveSink sink(configFor(tmp.path()), std::move(disk));
    QVERIFY(sink.open(tracks));
    for (const auto& t : tracks) {
        QVERIFY(sink.deliver(makeInit(t)));
    }
    std::optional<Status> failure;
    for (int64_t n = 0; n < 20 && !failure; ++n) {
        for (const auto& t : tracks) {
            if (auto r = sink.deliver(makeSegment(t, n, 60000)); !r) {
                failure = r.error();
                break;
            }
        }
    }
    QVERIFY2(failure, "the disk never filled");
    const QString message = QString::fromStdString(failure->toString());
    QVERIFY2(message.contains("No space left on device"), qPrintable(message));
    QVERIFY2(message.contains("the archive stopped"), qPrintable(message));
    QVERIFY2(message.contains("its playlists were finished with EXT-X-ENDLIST"),
             qPrintable(message));
    QVERIFY(!message.contains('\n'));
    verifyFinishedVod(tmp.path(), {"720p", "360p", "audio"});
    QVERIFY(listedSegments(tmp.path() + "/720p/index.m3u8").size() >= 2);
    QCOMPARE(leftovers(tmp.path()), QStringList());      // no temp file, the reserve given back
    QVERIFY(!sink.deliver(makeSegment(tracks[0], 30)));  // stopped for good
    QVERIFY(sink.close());
}

void TstArchiveFailures::lostFolderOrPermissionLeavesAFinishedVod_data() {
    QTest::addColumn<QString>("what");
    QTest::addColumn<QString>("reason");
    QTest::addColumn<QStringList>("finished");
    QTest::newRow("a track folder removed")
        << "remove 360p"
        << "No such file or directory" << QStringList{"720p", "audio"};
    QTest::newRow("a track folder made read-only")
        << "read-only 360p"
        << "Permission denied" << QStringList{"720p", "audio"};
    QTest::newRow("the archive folder removed") << "remove all"
                                                << "No such file or directory" << QStringList{};
}

void TstArchiveFailures::lostFolderOrPermissionLeavesAFinishedVod() {
    QFETCH(QString, what);
    QFETCH(QString, reason);
    QFETCH(QStringList, finished);
    QTemporaryDir tmp;
    const QString dir = tmp.path() + "/rec";
    const auto tracks = ladder();
    ArchiveSink sink(configFor(dir));
    QVERIFY(sink.open(tracks));
    for (const auto& t : tracks) {
        QVERIFY(sink.deliver(makeInit(t)));
        QVERIFY(sink.deliver(makeSegment(t, 0)));
        QVERIFY(sink.deliver(makeSegment(t, 1)));
    }
    std::optional<FileAccessAsNobody> nobody;
    if (what == "remove 360p") {
        QVERIFY(QDir(dir + "/360p").removeRecursively());
    } else if (what == "remove all") {
        QVERIFY(QDir(dir).removeRecursively());
    } else {
        // Everything writable by anyone but the 360p folder; then write as "nobody" (root
        // would ignore the folder's mode).
        for (const auto& path : {tmp.path(), dir, dir + "/720p", dir + "/audio"}) {
            QVERIFY(QFile::setPermissions(path, QFileDevice::Permissions(0x7777)));
        }
        QVERIFY(QFile::setPermissions(
            dir + "/360p", QFileDevice::ReadOwner | QFileDevice::ExeOwner | QFileDevice::ReadOther |
                               QFileDevice::ExeOther));
        nobody.emplace();
    }
    Result<void> result = ok();
    for (const auto& t : tracks) {
        result = sink.deliver(makeSegment(t, 2));
        if (!result) {
            break;
        }
    }
    nobody.reset();
    QVERIFY(!result);
    const QString message = QString::fromStdString(result.error().toString());
    QVERIFY2(message.contains(reason), qPrintable(message));
    QVERIFY2(message.contains("the archive stopped"), qPrintable(message));
    QVERIFY(!message.contains('\n'));
    if (what == "remove all") {
        QVERIFY2(message.contains("could not finish 720p/index.m3u8, 360p/index.m3u8, "
                                  "audio/index.m3u8, index.m3u8"),
                 qPrintable(message));
        QVERIFY(!QFile::exists(dir));  // nothing recreated
        return;
    }
    QVERIFY2(message.contains("/360p/"), qPrintable(message));
    QVERIFY2(message.contains("could not finish 360p/index.m3u8"), qPrintable(message));
    verifyFinishedVod(dir, finished);
    // The multivariant now offers only what is finished: 720p with its audio.
    const QString multivariant = QString::fromUtf8(readFile(dir + "/index.m3u8"));
    QVERIFY2(multivariant.contains("720p/index.m3u8"), qPrintable(multivariant));
    QVERIFY2(!multivariant.contains("360p/index.m3u8"), qPrintable(multivariant));
    QVERIFY2(multivariant.contains("URI=\"audio/index.m3u8\""), qPrintable(multivariant));
    QCOMPARE(listedSegments(dir + "/720p/index.m3u8").size(), 3);
}

void TstArchiveFailures::slowDiskRecordsAGapInsteadOfStalling() {
    QTemporaryDir tmp;
    const auto tracks = ladder();
    auto disk = std::make_unique<FakeDisk>();
    FakeDisk* slow = disk.get();
    auto sink = std::make_unique<ArchiveSink>(configFor(tmp.path()), std::move(disk));
    ArchiveSink* archive = sink.get();
    SinkFanout fanout(tracks);
    const auto policy = ArchiveSink::queuePolicy(tracks.size(), 2.0);  // 30 s: 48 items
    QVERIFY(fanout.addSink(std::move(sink), policy));
    for (const auto& t : tracks) {
        fanout.onInitSegment(makeInit(t));
    }
    slow->closeGate();
    fanout.onSegment(makeSegment(tracks[0], 0));
    QVERIFY(slow->waitForBlockedWriter(10000));  // the disk is stuck on segment 0

    // 40 more segment times (80 s of stream, 120 segments) while the disk stays stuck: the
    // packager's calls must all return. If they blocked, `pushed` would never be set.
    std::atomic<bool> pushed{false};
    std::thread packager([&] {
        for (int64_t n = 0; n <= 40; ++n) {
            for (const auto& t : tracks) {
                if (n > 0 || t.trackIndex != 0) {
                    fanout.onSegment(makeSegment(t, n));
                }
            }
        }
        pushed = true;
    });
    QTRY_VERIFY_WITH_TIMEOUT(pushed.load(), 10000);
    packager.join();
    const auto stuck = fanout.stats().front();
    QCOMPARE(stuck.state, SinkState::Live);
    QVERIFY2(stuck.itemsDropped > 0, "the queue never overflowed");

    slow->openGate();
    fanout.onEndOfStream();
    const auto final = fanout.finish(std::chrono::seconds(30)).front();
    QCOMPARE(final.state, SinkState::Finished);
    const ArchiveHealth health = archive->health();
    QVERIFY(health.gaps > 0);
    QCOMPARE(health.segmentsMissing, final.segmentsDropped);
    uint64_t listed = 0;
    for (const auto& t : tracks) {
        const QString folder = tmp.path() + "/" + QString::fromStdString(t.id);
        const QStringList text = lines(folder + "/index.m3u8");
        QCOMPARE(text.last(), QStringLiteral("#EXT-X-ENDLIST"));
        // Each discontinuity restates the wall clock: players and editors place what follows.
        const auto discontinuities = text.indexOf("#EXT-X-DISCONTINUITY");
        if (discontinuities >= 0) {
            QVERIFY(text.at(discontinuities + 1).startsWith("#EXT-X-PROGRAM-DATE-TIME:"));
        }
        // Segment numbers in the playlist only go up; each jump carries a discontinuity.
        int64_t previous = -1;
        bool sawDiscontinuity = false;
        for (const auto& line : text) {
            if (line == "#EXT-X-DISCONTINUITY") {
                sawDiscontinuity = true;
            }
            const auto m = QRegularExpression("^seg_(\\d+)\\.m4s$").match(line);
            if (!m.hasMatch()) {
                continue;
            }
            const int64_t number = m.captured(1).toLongLong();
            QVERIFY(number > previous);
            QCOMPARE(sawDiscontinuity, previous >= 0 && number != previous + 1);
            QCOMPARE(readFile(folder + "/" + line),
                     QByteArray(reinterpret_cast<const char*>(makeSegment(t, number)->bytes.data()),
                                1000));
            previous = number;
            sawDiscontinuity = false;
            ++listed;
        }
        QCOMPARE(previous, int64_t(40));  // the newest segments are the ones kept
    }
    QCOMPARE(listed + health.segmentsMissing, uint64_t(41 * 3));
}

void TstArchiveFailures::warnsOnceWhenTheRunwayIsShort_data() {
    QTest::addColumn<qint64>("freeBytes");
    QTest::addColumn<bool>("warned");
    // 3.628 Mb/s: 10 minutes take 272 MB.
    QTest::newRow("100 MB free: under 4 minutes") << qint64(100'000'000) << true;
    QTest::newRow("300 MB free: 11 minutes") << qint64(300'000'000) << false;
}

void TstArchiveFailures::warnsOnceWhenTheRunwayIsShort() {
    QFETCH(qint64, freeBytes);
    QFETCH(bool, warned);
    QTemporaryDir tmp;
    auto disk = std::make_unique<FakeDisk>();
    disk->reportedFreeBytes = uint64_t(freeBytes);
    ArchiveSink sink(configFor(tmp.path()), std::move(disk));
    QVERIFY(sink.open(ladder()));
    QCOMPARE(sink.health().lowSpaceWarned, warned);
    for (const auto& t : ladder()) {
        QVERIFY(sink.deliver(makeInit(t)));
        QVERIFY(sink.deliver(makeSegment(t, 0)));
    }
    QCOMPARE(sink.health().lowSpaceWarned, warned);
    QVERIFY(sink.close());
}

void TstArchiveFailures::refusesAFolderWithNoRoomForTheReserve() {
    QTemporaryDir tmp;
    auto disk = std::make_unique<FakeDisk>();
    disk->quotaBytes = 16 * 1024;
    ArchiveSink sink(configFor(tmp.path() + "/rec"), std::move(disk));
    const auto opened = sink.open(ladder());
    QVERIFY(!opened);
    const QString message = QString::fromStdString(opened.error().toString());
    QVERIFY2(message.contains("has no room for the reserve"), qPrintable(message));
    QVERIFY2(message.contains("No space left on device"), qPrintable(message));
}

void TstArchiveFailures::queueHoldsAboutThirtySeconds() {
    const auto policy = ArchiveSink::queuePolicy(4, 2.0);
    QCOMPARE(policy.overflow, SinkOverflow::DropOldestSegment);  // never blocks the packager
    QCOMPARE(policy.capacityItems, size_t(4 * (15 + 1)));
    QCOMPARE(ArchiveSink::queuePolicy(4, 6.0).capacityItems, size_t(4 * (5 + 1)));
}

QTEST_GUILESS_MAIN(TstArchiveFailures)
#include "tst_archive_failures.moc"

#include <QtTest>

#include <QTemporaryDir>
#include <filesystem>

#include "publisher/push/push_status.h"
#include "publisher/push/segment_spool.h"

using namespace podium;
using namespace podium::publisher;
using namespace podium::publisher::push;

class TstSegmentSpool : public QObject {
    Q_OBJECT
private slots:
    void keepsDropsAndResends_data();
    void keepsDropsAndResends();
    void onDiskKeepsBytesOutOfMemory();
    void unwritableFolderFallsBackToMemory();
};

namespace {
SegmentPtr segment(int64_t n, size_t bytes = 50'000) {
    auto s = std::make_shared<Segment>();
    s->trackIndex = 0;
    s->number = n;
    s->start = MediaTime{n * 180000, 90000};
    s->duration = MediaTime{180000, 90000};
    s->bytes.resize(bytes);
    for (size_t i = 0; i < bytes; ++i) {
        s->bytes[i] = uint8_t(n * 31 + i);
    }
    return s;
}
}  // namespace

void TstSegmentSpool::keepsDropsAndResends_data() {
    QTest::addColumn<bool>("onDisk");
    QTest::newRow("in memory") << false;
    QTest::newRow("on disk") << true;
}

// The same behaviour in both modes: bounded by media time (10 s = 5 segments unsent), oldest
// unsent dropped whole and counted, the last 2 sent kept for a resend, exact bytes back.
void TstSegmentSpool::keepsDropsAndResends() {
    QFETCH(bool, onDisk);
    QTemporaryDir dir;
    SegmentSpool spool(
        MediaTime{10, 1}, 2,
        onDisk ? std::filesystem::path(dir.path().toStdString()) : std::filesystem::path());
    QCOMPARE(spool.isOnDisk(), onDisk);
    uint64_t dropped = 0;
    for (int64_t n = 0; n < 8; ++n) {
        dropped += spool.push(segment(n));
    }
    QCOMPARE(dropped, uint64_t(3));  // an outage longer than the spool loses the oldest only
    QCOMPARE(spool.bytesUnsent(), uint64_t(5 * 50'000));
    for (int64_t n = 3; n < 6; ++n) {
        const SegmentPtr next = spool.next();
        QVERIFY(next);
        QCOMPARE(next->number, n);
        QCOMPARE(next->bytes, segment(n)->bytes);
        QVERIFY(spool.isNext(*next));
        spool.markSent();
    }
    spool.rewind(2);  // reconnect: the last two sent go again
    QCOMPARE(spool.next()->number, int64_t(4));
    QCOMPARE(spool.next()->bytes, segment(4)->bytes);
}

void TstSegmentSpool::onDiskKeepsBytesOutOfMemory() {
    QTemporaryDir dir;
    const std::filesystem::path root = dir.path().toStdString();
    {
        SegmentSpool spool(MediaTime{600, 1}, 2, root);
        for (int64_t n = 0; n < 100; ++n) {  // 200 s of a dead uplink
            spool.push(segment(n));
        }
        QCOMPARE(spool.bytesUnsent(), uint64_t(100 * 50'000));
        QCOMPARE(spool.bytesInMemory(), uint64_t(0));
        int files = 0;
        for (const auto& e : std::filesystem::recursive_directory_iterator(root)) {
            files += e.is_regular_file();
        }
        QCOMPARE(files, 100);
        QCOMPARE(spool.next()->bytes, segment(0)->bytes);
    }
    QVERIFY(std::filesystem::is_empty(root));  // the spool's folder goes with it
}

void TstSegmentSpool::unwritableFolderFallsBackToMemory() {
    QTemporaryDir dir;
    QFile blocker(dir.filePath("afile"));
    QVERIFY(blocker.open(QIODevice::WriteOnly));
    blocker.close();
    SegmentSpool spool(MediaTime{10, 1}, 2, dir.filePath("afile/spool").toStdString());
    QVERIFY(!spool.isOnDisk());
    spool.push(segment(0));
    QCOMPARE(spool.next()->bytes, segment(0)->bytes);  // nothing lost
}

QTEST_GUILESS_MAIN(TstSegmentSpool)
#include "tst_segment_spool.moc"

// Routing of every URL form of the origin's contract, and the path guard: anything unsafe or
// unknown is NotFound.
#include <QtTest>

#include "publisher/origin/server/request_router.h"

using namespace podium::publisher::origin;

namespace {

/// A one-line description of a route, so the _data table can state expectations as text.
QString describe(const Route& route) {
    struct Visitor {
        QString operator()(const NotFoundRoute&) const { return "notfound"; }
        QString operator()(const LandingRoute&) const { return "landing"; }
        QString operator()(const ApiChannelsRoute&) const { return "api"; }
        QString operator()(const ApiQoeRoute& r) const { return "api qoe " + q(r.channel); }
        QString operator()(const TimeRoute&) const { return "time"; }
        QString operator()(const HealthRoute&) const { return "health"; }
        QString operator()(const MetricsRoute&) const { return "metrics"; }
        QString operator()(const WatchRoute& r) const { return "watch " + q(r.channel); }
        QString operator()(const AssetRoute& r) const { return "asset " + q(r.name); }
        QString operator()(const MultivariantRoute& r) const { return "mv " + q(r.channel); }
        QString operator()(const MediaPlaylistRoute& r) const {
            return "playlist " + q(r.channel) + " " + q(r.track);
        }
        QString operator()(const InitRoute& r) const {
            return "init " + q(r.channel) + " " + q(r.track);
        }
        QString operator()(const SegmentRoute& r) const {
            return QString("seg %1 %2 %3").arg(q(r.channel), q(r.track)).arg(r.sequence);
        }
        QString operator()(const PartRoute& r) const {
            return QString("part %1 %2 %3 %4")
                .arg(q(r.channel), q(r.track))
                .arg(r.sequence)
                .arg(r.partIndex);
        }
        QString operator()(const DashMpdRoute& r) const { return "mpd " + q(r.channel); }
        QString operator()(const SmoothManifestRoute& r) const { return "smooth " + q(r.channel); }
        QString operator()(const SmoothFragmentRoute& r) const {
            return QString("fragment %1 %2 %3 %4")
                .arg(q(r.channel))
                .arg(r.bitrate)
                .arg(q(r.kind))
                .arg(r.time);
        }
        QString operator()(const IngestRoute& r) const {
            return "ingest " + q(r.channel) + " [" + q(r.event) + "] " + q(r.streamId);
        }
        QString operator()(const QoeRoute& r) const { return "qoe " + q(r.channel); }
        static QString q(const std::string& s) { return QString::fromStdString(s); }
    };
    return std::visit(Visitor{}, route);
}

}  // namespace

class TstRequestRouter : public QObject {
    Q_OBJECT

private slots:
    void routes_data();
    void routes();
    void query_data();
    void query();
    void kindLabels();
};

void TstRequestRouter::routes_data() {
    QTest::addColumn<QString>("target");
    QTest::addColumn<QString>("expected");

    QTest::newRow("landing") << "/"
                             << "landing";
    QTest::newRow("channel list") << "/api/channels"
                                  << "api";
    QTest::newRow("channel audience") << "/api/channels/ug/qoe"
                                      << "api qoe ug";
    QTest::newRow("audience of a bad channel") << "/api/channels/..%2Fx/qoe"
                                               << "notfound";
    QTest::newRow("audience, other leaf") << "/api/channels/ug/other"
                                          << "notfound";
    QTest::newRow("time") << "/time"
                          << "time";
    QTest::newRow("health") << "/healthz"
                            << "health";
    QTest::newRow("metrics") << "/metrics"
                             << "metrics";
    QTest::newRow("watch page") << "/watch/talk-1"
                                << "watch talk-1";
    QTest::newRow("a viewer's beacon") << "/qoe/talk-1"
                                       << "qoe talk-1";
    QTest::newRow("a beacon for an unsafe channel") << "/qoe/..%2Fx"
                                                    << "notfound";
    QTest::newRow("asset") << "/assets/hls.min.js"
                           << "asset hls.min.js";
    QTest::newRow("multivariant") << "/live/ug/index.m3u8"
                                  << "mv ug";
    QTest::newRow("multivariant with query") << "/live/ug/index.m3u8?x=1"
                                             << "mv ug";
    QTest::newRow("media playlist") << "/live/ug/720p/index.m3u8"
                                    << "playlist ug 720p";
    QTest::newRow("init") << "/live/ug/audio_128/init.mp4"
                          << "init ug audio_128";
    QTest::newRow("segment") << "/live/ug/720p/seg_42.m4s"
                             << "seg ug 720p 42";
    QTest::newRow("segment zero") << "/live/ug/720p/seg_0.m4s"
                                  << "seg ug 720p 0";
    QTest::newRow("part") << "/live/ug/720p/part_42_3.m4s"
                          << "part ug 720p 42 3";
    QTest::newRow("mpd") << "/live/ug/index.mpd"
                         << "mpd ug";
    QTest::newRow("smooth manifest") << "/live/ug.isml/Manifest"
                                     << "smooth ug";
    QTest::newRow("smooth fragment video")
        << "/live/ug.isml/QualityLevels(2500000)/Fragments(video=20000000)"
        << "fragment ug 2500000 video 20000000";
    QTest::newRow("smooth fragment audio")
        << "/live/ug.isml/QualityLevels(128000)/Fragments(audio=0)"
        << "fragment ug 128000 audio 0";
    QTest::newRow("ingest") << "/live/ug.isml/Streams(enc)"
                            << "ingest ug [] enc";
    QTest::newRow("ingest with event") << "/live/ug.isml/Events(e1)/Streams(video_720.p)"
                                       << "ingest ug [e1] video_720.p";
    QTest::newRow("ingest with encoded parens") << "/live/ug.isml/Streams%28enc%29"
                                                << "ingest ug [] enc";

    // The path guard and unknown forms.
    QTest::newRow("empty target") << ""
                                  << "notfound";
    QTest::newRow("relative target") << "live/ug/index.m3u8"
                                     << "notfound";
    QTest::newRow("dot dot") << "/live/ug/../ug/index.m3u8"
                             << "notfound";
    QTest::newRow("dot dot escaping") << "/live/../../etc/passwd"
                                      << "notfound";
    QTest::newRow("single dot") << "/live/./ug/index.m3u8"
                                << "notfound";
    QTest::newRow("encoded dot dot") << "/live/ug/%2e%2e/ug/index.m3u8"
                                     << "notfound";
    QTest::newRow("encoded dot dot upper") << "/assets/%2E%2E"
                                           << "notfound";
    QTest::newRow("encoded slash") << "/live/ug%2f720p/index.m3u8"
                                   << "notfound";
    QTest::newRow("encoded backslash") << "/assets/..%5cx"
                                       << "notfound";
    QTest::newRow("encoded nul") << "/assets/a%00b"
                                 << "notfound";
    QTest::newRow("broken escape") << "/assets/a%2"
                                   << "notfound";
    QTest::newRow("empty component") << "/live//index.m3u8"
                                     << "notfound";
    QTest::newRow("trailing slash") << "/watch/ug/"
                                    << "notfound";
    QTest::newRow("double leading slash") << "//live/ug/index.m3u8"
                                          << "notfound";
    QTest::newRow("overlong channel") << "/live/" + QString(65, 'a') + "/index.m3u8"
                                      << "notfound";
    QTest::newRow("longest channel") << "/live/" + QString(64, 'a') + "/index.mpd"
                                     << "mpd " + QString(64, 'a');
    QTest::newRow("overlong target") << "/assets/" + QString(3000, 'a') << "notfound";
    QTest::newRow("space in channel") << "/live/u%20g/index.m3u8"
                                      << "notfound";
    QTest::newRow("dot in channel") << "/live/u.g/index.m3u8"
                                    << "notfound";
    QTest::newRow("dot in track") << "/live/ug/7.2/index.m3u8"
                                  << "notfound";
    QTest::newRow("hidden asset") << "/assets/.env"
                                  << "notfound";
    QTest::newRow("unicode channel") << "/live/%C3%A9/index.m3u8"
                                     << "notfound";
    QTest::newRow("unknown top") << "/etc/passwd"
                                 << "notfound";
    QTest::newRow("unknown file") << "/live/ug/720p/index.txt"
                                  << "notfound";
    QTest::newRow("negative segment") << "/live/ug/720p/seg_-1.m4s"
                                      << "notfound";
    QTest::newRow("plus segment") << "/live/ug/720p/seg_+1.m4s"
                                  << "notfound";
    QTest::newRow("huge segment") << "/live/ug/720p/seg_1234567890123456789.m4s"
                                  << "notfound";
    QTest::newRow("part without index") << "/live/ug/720p/part_4.m4s"
                                        << "notfound";
    QTest::newRow("too deep") << "/live/ug/720p/x/seg_1.m4s"
                              << "notfound";
    QTest::newRow("fragment bad kind") << "/live/ug.isml/QualityLevels(1)/Fragments(text=0)"
                                       << "notfound";
    QTest::newRow("fragment no time") << "/live/ug.isml/QualityLevels(1)/Fragments(video=)"
                                      << "notfound";
    QTest::newRow("streams dot dot") << "/live/ug.isml/Streams(..)"
                                     << "notfound";
    QTest::newRow("isml without channel") << "/live/.isml/Manifest"
                                          << "notfound";
}

void TstRequestRouter::routes() {
    QFETCH(QString, target);
    QFETCH(QString, expected);
    QCOMPARE(describe(parseTarget(target.toStdString()).route), expected);
}

void TstRequestRouter::query_data() {
    QTest::addColumn<QString>("target");
    QTest::addColumn<QString>("msn");
    QTest::addColumn<QString>("part");
    QTest::addColumn<QString>("code");

    QTest::newRow("none") << "/live/a/v/index.m3u8"
                          << "-"
                          << "-"
                          << "-";
    QTest::newRow("msn and part") << "/live/a/v/index.m3u8?_HLS_msn=12&_HLS_part=3"
                                  << "12"
                                  << "3"
                                  << "-";
    QTest::newRow("part only") << "/live/a/v/index.m3u8?_HLS_part=1"
                               << "-"
                               << "1"
                               << "-";
    QTest::newRow("raw values kept") << "/live/a/v/index.m3u8?_HLS_msn=abc"
                                     << "abc"
                                     << "-"
                                     << "-";
    QTest::newRow("code decoded") << "/watch/a?code=s%20e+cret"
                                  << "-"
                                  << "-"
                                  << "s e cret";
    QTest::newRow("first value wins") << "/watch/a?code=one&code=two"
                                      << "-"
                                      << "-"
                                      << "one";
    QTest::newRow("empty value") << "/watch/a?code="
                                 << "-"
                                 << "-"
                                 << "";
    QTest::newRow("unknown keys ignored") << "/watch/a?foo=bar&&_HLS_msn=5"
                                          << "5"
                                          << "-"
                                          << "-";
}

void TstRequestRouter::query() {
    QFETCH(QString, target);
    QFETCH(QString, msn);
    QFETCH(QString, part);
    QFETCH(QString, code);
    const RouteQuery query = parseTarget(target.toStdString()).query;
    auto text = [](const std::optional<std::string>& v) {
        return v ? QString::fromStdString(*v) : QString("-");
    };
    QCOMPARE(text(query.hlsMsn), msn);
    QCOMPARE(text(query.hlsPart), part);
    QCOMPARE(text(query.code), code);
}

void TstRequestRouter::kindLabels() {
    QCOMPARE(QString(routeKind(parseTarget("/live/a/v/seg_1.m4s").route)), QString("segment"));
    QCOMPARE(QString(routeKind(parseTarget("/live/a/v/part_1_0.m4s").route)), QString("part"));
    QCOMPARE(QString(routeKind(parseTarget("/live/a/index.m3u8").route)), QString("multivariant"));
    QCOMPARE(QString(routeKind(parseTarget("/nope").route)), QString("not_found"));
}

QTEST_GUILESS_MAIN(TstRequestRouter)
#include "tst_request_router.moc"

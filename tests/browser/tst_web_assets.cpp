// The viewer pages and player scripts embedded into the origin: every name the server serves is
// there with the right Content-Type, the bytes are exactly the files the build embedded, the pages
// reference each other by the URLs the server uses, and no other name resolves.
#include <QFile>
#include <QTest>

#include "publisher/origin/web/web_assets.h"

using podium::publisher::origin::findWebAsset;
using podium::publisher::origin::WebAsset;
using podium::publisher::origin::webAssets;

namespace {

QByteArray bytesOf(const WebAsset& asset) {
    return QByteArray(asset.body.data(), static_cast<qsizetype>(asset.body.size()));
}

QByteArray readSource(const QString& relative) {
    QFile file(QStringLiteral(PODIUM_SOURCE_DIR "/") + relative);
    if (!file.open(QIODevice::ReadOnly)) {
        return {};
    }
    return file.readAll();
}

}  // namespace

class TstWebAssets : public QObject {
    Q_OBJECT

private slots:
    void servedAssetIsEmbeddedVerbatim_data();
    void servedAssetIsEmbeddedVerbatim();
    void playerPageLoadsItsScriptsFromAssets_data();
    void playerPageLoadsItsScriptsFromAssets();
    void otherNamesAreUnknown_data();
    void otherNamesAreUnknown();
    void listingHoldsExactlyTheServedAssets();
};

void TstWebAssets::servedAssetIsEmbeddedVerbatim_data() {
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("contentType");
    QTest::addColumn<QString>("source");
    const QString html = "text/html; charset=utf-8";
    const QString js = "text/javascript; charset=utf-8";
    QTest::newRow("landing page") << "index.html" << html << "resources/player/src/index.html";
    QTest::newRow("watch page") << "player.html" << html << "resources/player/src/player.html";
    QTest::newRow("player script") << "player.js" << js << "resources/player/src/player.js";
    QTest::newRow("viewer report")
        << "viewer_report.js" << js << "resources/player/src/viewer_report.js";
    QTest::newRow("player style") << "player.css"
                                  << "text/css; charset=utf-8"
                                  << "resources/player/src/player.css";
    QTest::newRow("hls.js") << "hls.min.js" << js
                            << "resources/player/node_modules/hls.js/dist/hls.min.js";
    QTest::newRow("dash.js") << "dash.all.min.js" << js
                             << "resources/player/node_modules/dashjs/dist/modern/umd/"
                                "dash.all.min.js";
}

void TstWebAssets::servedAssetIsEmbeddedVerbatim() {
    QFETCH(QString, name);
    QFETCH(QString, contentType);
    QFETCH(QString, source);
    const WebAsset* asset = findWebAsset(name.toStdString());
    QVERIFY2(asset, qPrintable(name + " is not embedded"));
    QCOMPARE(QString::fromUtf8(asset->contentType.data(), asset->contentType.size()), contentType);
    QCOMPARE(QString::fromUtf8(asset->name.data(), asset->name.size()), name);
    const QByteArray expected = readSource(source);
    QVERIFY2(!expected.isEmpty(), qPrintable("cannot read " + source));
    QCOMPARE(bytesOf(*asset).size(), expected.size());
    QVERIFY2(bytesOf(*asset) == expected, "embedded bytes differ from the source file");
}

void TstWebAssets::playerPageLoadsItsScriptsFromAssets_data() {
    QTest::addColumn<QString>("page");
    QTest::addColumn<QString>("mustContain");
    QTest::newRow("watch page has a phone viewport")
        << "player.html"
        << "name=\"viewport\" content=\"width=device-width";
    QTest::newRow("watch page loads hls.js") << "player.html"
                                             << "src=\"/assets/hls.min.js\"";
    QTest::newRow("watch page loads its script") << "player.html"
                                                 << "src=\"/assets/player.js\"";
    QTest::newRow("watch page loads the viewer report") << "player.html"
                                                        << "src=\"/assets/viewer_report.js\"";
    QTest::newRow("viewer report beacons on leave") << "viewer_report.js"
                                                    << "navigator.sendBeacon(";
    QTest::newRow("viewer report reads displayed frames") << "viewer_report.js"
                                                          << "requestVideoFrameCallback";
    QTest::newRow("watch page loads its style") << "player.html"
                                                << "href=\"/assets/player.css\"";
    QTest::newRow("video plays inline on phones") << "player.html"
                                                  << "playsinline";
    QTest::newRow("dash mode loads dash.js") << "player.js"
                                             << "'/assets/dash.all.min.js'";
    QTest::newRow("player reads the channel from /watch/") << "player.js"
                                                           << "/^\\/watch\\/";
    QTest::newRow("player plays the channel's playlist") << "player.js"
                                                         << "'index.m3u8'";
    QTest::newRow("player asks hls.js for low latency") << "player.js"
                                                        << "lowLatencyMode: true";
    QTest::newRow("landing page lists channels") << "index.html"
                                                 << "fetch('/api/channels'";
    QTest::newRow("landing page links to the watch page") << "index.html"
                                                          << "'/watch/'";
    QTest::newRow("landing page has a phone viewport")
        << "index.html"
        << "name=\"viewport\" content=\"width=device-width";
}

void TstWebAssets::playerPageLoadsItsScriptsFromAssets() {
    QFETCH(QString, page);
    QFETCH(QString, mustContain);
    const WebAsset* asset = findWebAsset(page.toStdString());
    QVERIFY(asset);
    QVERIFY2(bytesOf(*asset).contains(mustContain.toUtf8()),
             qPrintable(page + " lacks " + mustContain));
}

void TstWebAssets::otherNamesAreUnknown_data() {
    QTest::addColumn<QString>("name");
    QTest::newRow("empty") << "";
    QTest::newRow("parent directory") << "../player.js";
    QTest::newRow("sub path") << "src/player.js";
    QTest::newRow("leading slash") << "/player.js";
    QTest::newRow("trailing slash") << "player.js/";
    QTest::newRow("other case") << "Player.JS";
    QTest::newRow("source map") << "hls.min.js.map";
    QTest::newRow("unknown file") << "secret.txt";
}

void TstWebAssets::otherNamesAreUnknown() {
    QFETCH(QString, name);
    QVERIFY(findWebAsset(name.toStdString()) == nullptr);
}

void TstWebAssets::listingHoldsExactlyTheServedAssets() {
    QStringList names;
    for (const WebAsset& asset : webAssets()) {
        names << QString::fromUtf8(asset.name.data(), asset.name.size());
        QVERIFY(!asset.body.empty());
    }
    names.sort();
    QCOMPARE(names, QStringList({"dash.all.min.js", "hls.min.js", "index.html", "player.css",
                                 "player.html", "player.js", "viewer_report.js"}));
}

QTEST_GUILESS_MAIN(TstWebAssets)
#include "tst_web_assets.moc"

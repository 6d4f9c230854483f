#include <QTemporaryDir>
#include <QtTest>

#include "app/gui/app_settings.h"
#include "app/gui/broadcast_config.h"
#include "app/gui/remote_destination.h"
#include "encoder/preset.h"

using podium::gui::AppSettings;
using podium::gui::parseDestination;
using podium::gui::PublishProtocol;
using podium::gui::RemoteDestination;

class TstAppSettings : public QObject {
    Q_OBJECT
private slots:
    void firstRunNeedsNoConfiguration();
    void survivesARestart();
    void destinationUrls_data();
    void destinationUrls();
    void credentialsLeaveTheUrl();
    void captureConfigCarriesSoundAndScene();
    void destinationsBecomePushTargets();
};

void TstAppSettings::firstRunNeedsNoConfiguration() {
    QTemporaryDir temp;
    AppSettings settings(temp.filePath("fresh.ini"));
    QCOMPARE(settings.settingsVersion(), AppSettings::kCurrentVersion);
    QCOMPARE(settings.sourceSpec(), QString("testpattern"));
    QCOMPARE(settings.presetName(), QString::fromStdString(podium::encoder::defaultPresetName()));
    QVERIFY(settings.originEnabled());
    QVERIFY(!settings.shareOnLan());
    QVERIFY(!settings.latencyProbe());
    QCOMPARE(settings.originPort(), 8080);
    QCOMPARE(settings.channel(), QString("live"));
    QVERIFY(settings.viewPasscode().isEmpty());
    QVERIFY(!settings.archiveEnabled());
    QVERIFY(!settings.archiveRoot().isEmpty());
    QVERIFY(settings.destinations().isEmpty());
    QVERIFY(settings.audioSpec().isEmpty());  // automatic
    QVERIFY(settings.scene().title.empty());
    QVERIFY(settings.scene().pipSpec.empty());
}

void TstAppSettings::survivesARestart() {
    QTemporaryDir temp;
    const QString file = temp.filePath("podium.ini");
    RemoteDestination smooth =
        parseDestination("https://media.example.com/live/a.isml").destination;
    smooth.username = "alice";
    smooth.password = "s3cret";
    RemoteDestination hls = parseDestination("hls=http://cdn.example.com/up/").destination;
    hls.enabled = false;
    {
        AppSettings settings(file);
        settings.setSourceSpec("camera:/dev/video2");
        settings.setPresetName("Low bandwidth");
        settings.setOriginEnabled(false);
        settings.setShareOnLan(true);
        settings.setLatencyProbe(true);
        settings.setOriginPort(9000);
        settings.setChannel("meetup");
        settings.setViewPasscode("1234");
        settings.setArchiveEnabled(true);
        settings.setArchiveRoot("/tmp/podium-archive");
        settings.setAudioSpec("pulse:alsa_input.usb-mic");
        podium::app::SceneSettings scene;
        scene.title = "Alice - Rust async";
        scene.pipSpec = "camera:/dev/video2";
        scene.pipLayout.corner = podium::capture::PipCorner::TopLeft;
        scene.pipLayout.widthFraction = 0.33;
        settings.setScene(scene);
        QVERIFY(settings.setDestinations({smooth, hls}));
        settings.setWindowGeometry("geometry-bytes");
        settings.sync();
    }
    AppSettings again(file);
    QCOMPARE(again.sourceSpec(), QString("camera:/dev/video2"));
    QCOMPARE(again.presetName(), QString("Low bandwidth"));
    QVERIFY(!again.originEnabled());
    QVERIFY(again.shareOnLan());
    QVERIFY(again.latencyProbe());
    QCOMPARE(again.originPort(), 9000);
    QCOMPARE(again.channel(), QString("meetup"));
    QCOMPARE(again.viewPasscode(), QString("1234"));
    QVERIFY(again.archiveEnabled());
    QCOMPARE(again.archiveRoot(), QString("/tmp/podium-archive"));
    QCOMPARE(again.audioSpec(), QString("pulse:alsa_input.usb-mic"));
    QCOMPARE(again.scene().title, std::string("Alice - Rust async"));
    QCOMPARE(again.scene().pipSpec, std::string("camera:/dev/video2"));
    QVERIFY(again.scene().pipLayout.corner == podium::capture::PipCorner::TopLeft);
    QCOMPARE(again.scene().pipLayout.widthFraction, 0.33);
    const auto list = again.destinations();
    QCOMPARE(list.size(), 2);
    QCOMPARE(list[0], smooth);
    QCOMPARE(list[1], hls);
    QCOMPARE(again.windowGeometry(), QByteArray("geometry-bytes"));
}

void TstAppSettings::destinationUrls_data() {
    QTest::addColumn<QString>("text");
    QTest::addColumn<bool>("accepted");
    QTest::addColumn<QString>("protocol");
    QTest::addColumn<QString>("messagePart");

    QTest::newRow("IIS publishing point is Smooth")
        << "http://iis.example.com/live/event.isml" << true << "Smooth"
        << "Smooth ingest";
    QTest::newRow("isml anywhere in the path")
        << "https://a.example.com/x/y.isml/Streams(video)" << true << "Smooth"
        << "Smooth";
    QTest::newRow("any other path is CMAF ingest")
        << "https://ingest.example.com/cmaf/channel1" << true << "CMAF"
        << "CMAF ingest";
    QTest::newRow("hls prefix") << "hls=http://cdn.example.com/live/" << true << "HLS"
                                << "HLS";
    QTest::newRow("dash prefix") << "DASH=https://cdn.example.com/x/" << true << "DASH"
                                 << "DASH";
    QTest::newRow("smooth prefix overrides the path")
        << "smooth=http://h.example.com/ingest" << true << "Smooth"
        << "Smooth";
    QTest::newRow("credentials in the URL")
        << "https://bob:pw@h.example.com/live/s.isml" << true << "Smooth"
        << "h.example.com";
    QTest::newRow("empty") << "" << false << ""
                           << "Enter";
    QTest::newRow("no scheme") << "media.example.com/live/a.isml" << false << ""
                               << "http://";
    QTest::newRow("ftp is not a publishing point")
        << "ftp://media.example.com/live/a.isml" << false << ""
        << "http://";
    QTest::newRow("no host") << "http:///live/a.isml" << false << ""
                             << "server";
    QTest::newRow("no path") << "http://media.example.com" << false << ""
                             << "path";
    QTest::newRow("spaces in the host") << "http://media example.com/live" << false << ""
                                        << "";
    QTest::newRow("unknown prefix is not a scheme") << "rtmp=http://h.example.com/x" << false << ""
                                                    << "http://";
}

void TstAppSettings::destinationUrls() {
    QFETCH(QString, text);
    QFETCH(bool, accepted);
    QFETCH(QString, protocol);
    QFETCH(QString, messagePart);
    const auto parsed = parseDestination(text);
    QCOMPARE(parsed.ok, accepted);
    QVERIFY(!parsed.message.isEmpty());
    QVERIFY2(parsed.message.contains(messagePart), qPrintable(parsed.message));
    if (accepted) {
        QCOMPARE(podium::gui::protocolName(parsed.destination.protocol), protocol);
    }
}

void TstAppSettings::credentialsLeaveTheUrl() {
    const auto parsed = parseDestination("https://bob:pw@h.example.com/live/s.isml");
    QVERIFY(parsed.ok);
    QCOMPARE(parsed.destination.username, QString("bob"));
    QCOMPARE(parsed.destination.password, QString("pw"));
    QCOMPARE(parsed.destination.url, QString("https://h.example.com/live/s.isml"));
    QCOMPARE(parsed.destination.toSpec(), QString("smooth=https://h.example.com/live/s.isml"));
}

// What the form stored reaches the engine as podium-cli's --publish spec: the protocol as a
// prefix, the credentials (percent-encoded) back in the URL's userinfo.
void TstAppSettings::captureConfigCarriesSoundAndScene() {
    QTemporaryDir temp;
    AppSettings settings(temp.filePath("podium.ini"));
    settings.setAudioSpec("none");
    podium::app::SceneSettings scene;
    scene.title = "Lightning talks";
    settings.setScene(scene);
    const auto config = podium::gui::buildCaptureConfig(settings);
    QVERIFY(config);
    QVERIFY(config->sourceOptions.audio.kind == podium::app::AudioSpec::Kind::None);
    QCOMPARE(config->sourceOptions.title, std::string("Lightning talks"));
    QVERIFY(config->sourceOptions.editableScene);  // so the title can change while live
    QVERIFY(!config->origin.enabled);              // capture only: no destinations
    settings.setAudioSpec("loudspeaker");
    const auto bad = podium::gui::buildCaptureConfig(settings);
    QVERIFY(!bad);
    QVERIFY(QString::fromStdString(bad.error().toString()).contains("sound"));
}

void TstAppSettings::destinationsBecomePushTargets() {
    using podium::publisher::push::PushTarget;
    const auto parsed = parseDestination("https://enc:p%40ss@ingest.example/live/ug.isml");
    QVERIFY(parsed.ok);
    const auto smooth = podium::gui::pushTarget(parsed.destination);
    QVERIFY(smooth);
    QVERIFY(smooth->protocol == PushTarget::Protocol::Smooth);
    QCOMPARE(smooth->url, std::string("https://ingest.example/live/ug.isml"));
    QCOMPARE(smooth->user, std::string("enc"));
    QCOMPARE(smooth->password, std::string("p@ss"));  // as typed, not URL-encoded twice
    const auto hls = parseDestination("hls=http://cdn.example/podium/");
    QVERIFY(hls.ok);
    const auto put = podium::gui::pushTarget(hls.destination);
    QVERIFY(put);
    QVERIFY(put->protocol == PushTarget::Protocol::Hls);
    QCOMPARE(put->url, std::string("http://cdn.example/podium"));
    QVERIFY(put->user.empty() && put->password.empty());
}

QTEST_GUILESS_MAIN(TstAppSettings)
#include "tst_app_settings.moc"

// The real main window, live: test pattern + default preset, Start by mouse click, the origin
// serves the multivariant playlist, every rendition encodes, Stop finishes the archive.
#include <QComboBox>
#include <QDir>
#include <QFile>
#include <QListWidget>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QPushButton>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

#include "app/gui/app_settings.h"
#include "app/gui/main_window.h"
#include "app/gui/rendition_health_model.h"
#include "app/gui/session_controller.h"
#include "app/gui/share_panel.h"
#include "encoder/preset.h"

using podium::gui::AppSettings;
using podium::gui::MainWindow;
using podium::gui::RenditionHealthModel;
using State = podium::gui::SessionController::State;

class TstMainWindow : public QObject {
    Q_OBJECT
private slots:
    void startServeStopArchive();

private:
    QByteArray get(const QString& url, int* status);
};

QByteArray TstMainWindow::get(const QString& url, int* status) {
    QNetworkAccessManager network;
    QNetworkReply* reply = network.get(QNetworkRequest(QUrl(url)));
    QSignalSpy done(reply, &QNetworkReply::finished);
    if (!reply->isFinished()) {
        done.wait(5000);
    }
    *status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    const QByteArray body = reply->readAll();
    reply->deleteLater();
    return body;
}

void TstMainWindow::startServeStopArchive() {
    QTemporaryDir temp;
    QVERIFY(temp.isValid());
    AppSettings settings(temp.filePath("podium.ini"));
    settings.setOriginPort(0);  // other tests may hold 8080
    settings.setArchiveEnabled(true);
    settings.setArchiveRoot(temp.filePath("archive"));

    MainWindow window(settings);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QVERIFY(window.windowTitle().contains("Podium"));

    // Choose the test pattern and the default preset, as a user would.
    auto* sources = window.findChild<QListWidget*>("sourceList");
    QVERIFY(sources);
    QListWidgetItem* pattern = nullptr;
    for (int i = 0; i < sources->count(); ++i) {
        if (sources->item(i)->data(Qt::UserRole).toString() == "testpattern") {
            pattern = sources->item(i);
        }
    }
    QVERIFY(pattern);
    const QRect tile = sources->visualItemRect(pattern);
    QTest::mouseClick(sources->viewport(), Qt::LeftButton, {}, tile.center());
    QCOMPARE(settings.sourceSpec(), QString("testpattern"));
    auto* presets = window.findChild<QComboBox*>("presetCombo");
    QVERIFY(presets);
    const QString preset = QString::fromStdString(podium::encoder::defaultPresetName());
    presets->setCurrentIndex(presets->findText(preset));
    QCOMPARE(settings.presetName(), preset);

    auto* start = window.findChild<QPushButton*>("startButton");
    QVERIFY(start);
    QTest::mouseClick(start, Qt::LeftButton);
    auto* controller = window.controller();
    QTRY_COMPARE_WITH_TIMEOUT(controller->state(), State::Live, 10000);
    QVERIFY(controller->originPort() != 0);

    // Within 10 s the origin serves the multivariant playlist.
    const QString playlist =
        QString("http://127.0.0.1:%1/live/live/index.m3u8").arg(controller->originPort());
    int status = 0;
    QByteArray body;
    QTRY_VERIFY_WITH_TIMEOUT((body = get(playlist, &status), status == 200), 10000);
    QVERIFY2(body.startsWith("#EXTM3U"), body.constData());
    QVERIFY(body.contains("#EXT-X-STREAM-INF"));

    // The share panel shows the viewer link.
    auto* share = window.findChild<podium::gui::SharePanel*>("sharePanel");
    QVERIFY(share && share->isVisible());
    QVERIFY2(share->viewerUrl().endsWith("/watch/live"), qPrintable(share->viewerUrl()));

    // Every rendition encodes (fps > 0 in one stats interval).
    RenditionHealthModel* health = controller->renditionHealth();
    const int expected = int(podium::encoder::findPreset(preset.toStdString())->renditions.size());
    auto allEncoding = [&] {
        if (health->rowCount() != expected) {
            return false;
        }
        for (const auto& row : health->rows()) {
            if (row.fps <= 0) {
                return false;
            }
        }
        return true;
    };
    QTRY_VERIFY_WITH_TIMEOUT(allEncoding(), 10000);

    // The screenshot for the README, written to the build folder (not compared).
    QTest::qWait(1500);  // let the preview show a frame and the meters move
    const QString shot = QString(PODIUM_BINARY_DIR) + "/main-window.png";
    QVERIFY(window.grab().save(shot));
    qInfo("screenshot: %s", qPrintable(shot));

    QTest::mouseClick(start, Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(controller->state(), State::Idle, 60000);

    // The archive's playlists end with EXT-X-ENDLIST.
    const QDir archive(controller->archiveDir());
    QVERIFY2(archive.exists("index.m3u8"), qPrintable(archive.path()));
    const auto tracks = archive.entryList(QDir::Dirs | QDir::NoDotAndDotDot);
    QVERIFY(tracks.size() >= expected);
    for (const QString& track : tracks) {
        QFile media(archive.filePath(track + "/index.m3u8"));
        QVERIFY2(media.open(QIODevice::ReadOnly), qPrintable(media.fileName()));
        QVERIFY2(media.readAll().trimmed().endsWith("#EXT-X-ENDLIST"), qPrintable(track));
    }
    window.setConfirmQuit(false);
    window.close();
}

QTEST_MAIN(TstMainWindow)
#include "tst_main_window.moc"

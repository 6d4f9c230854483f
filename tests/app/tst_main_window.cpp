// The real main window (offscreen platform): before Start the preview shows the test pattern
// moving and the meter moves with the test tone; a file previews the file; an unusable source
// says why. Then live: Start by mouse click, the preview hands over to the broadcast without a
// blank, the origin serves the playlist, every rendition encodes, the title changes while
// live; closing the window while live returns at once, shows the stop's progress, finishes
// the archive and then closes. Screenshots for the README are written to the build folder.
#include <QComboBox>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QProcess>
#include <QProgressBar>
#include <QPushButton>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QtTest>
#include <set>

#include "app/gui/app_settings.h"
#include "app/gui/main_window.h"
#include "app/gui/preview_controller.h"
#include "app/gui/preview_widget.h"
#include "app/gui/rendition_health_model.h"
#include "app/gui/session_controller.h"
#include "app/gui/share_panel.h"
#include "app/gui/source_picker.h"
#include "app/gui/stop_progress.h"
#include "capture/compositor.h"
#include "encoder/preset.h"
#include "test_servers.h"

using podium::gui::AppSettings;
using podium::gui::MainWindow;
using podium::gui::PreviewWidget;
using podium::gui::RenditionHealthModel;
using State = podium::gui::SessionController::State;

namespace {

/// Mean luma of one row of a frame between x0 and x1.
double rowLuma(const podium::VideoFrame& f, int y, int x0, int x1) {
    double sum = 0;
    for (int x = x0; x < x1; ++x) {
        sum += f.plane(0)[size_t(y) * size_t(f.width) + size_t(x)];
    }
    return sum / (x1 - x0);
}

/// Not the white flash the test pattern shows at each whole second (a poor picture for a README).
bool isFlash(const QImage& image) {
    return image.isNull() || qGray(image.pixel(image.width() / 2, image.height() * 2 / 3)) > 230;
}

void saveScreenshot(QWidget& window, const QString& name) {
    const QString shot = QString(PODIUM_BINARY_DIR) + "/" + name;
    QVERIFY(window.grab().save(shot));
    qInfo("screenshot: %s", qPrintable(shot));
}

}  // namespace

class TstMainWindow : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void previewBeforeStart();
    void liveThenCloseWhileLive();
    void silentMicrophoneIsNoticedWhileLive();

private:
    QByteArray get(const QString& url, int* status);
    void clickTile(MainWindow& window, const QString& spec);
    QTemporaryDir config_;
};

void TstMainWindow::initTestCase() {
    QVERIFY(config_.isValid());
    qputenv("XDG_CONFIG_HOME", config_.path().toUtf8());  // no user presets of the machine
}

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

void TstMainWindow::clickTile(MainWindow& window, const QString& spec) {
    auto* sources = window.findChild<QListWidget*>("sourceList");
    QVERIFY(sources);
    for (int i = 0; i < sources->count(); ++i) {
        if (sources->item(i)->data(Qt::UserRole).toString() == spec) {
            const QRect tile = sources->visualItemRect(sources->item(i));
            QTest::mouseClick(sources->viewport(), Qt::LeftButton, {}, tile.center());
            return;
        }
    }
    QFAIL(qPrintable("no tile " + spec));
}

void TstMainWindow::previewBeforeStart() {
    QTemporaryDir temp;
    AppSettings settings(temp.filePath("podium.ini"));
    MainWindow window(settings);
    window.resize(1360, 1000);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    clickTile(window, "testpattern");
    QCOMPARE(settings.sourceSpec(), QString("testpattern"));

    // The test pattern moves in the preview before anything goes live.
    auto* preview = window.findChild<PreviewWidget*>("preview");
    QVERIFY(preview);
    QTRY_VERIFY_WITH_TIMEOUT(preview->picturesShown() >= 2, 15000);
    const QImage first = preview->lastImage();
    QCOMPARE(first.width(), podium::gui::PreviewController::kWidth);  // small, not the canvas
    QTRY_VERIFY_WITH_TIMEOUT(preview->lastImage() != first, 10000);
    QCOMPARE(window.controller()->state(), State::Idle);

    // The meter moves with the test tone (a quiet 440 Hz, a louder beep each second).
    auto* meter = window.findChild<QProgressBar*>("audioMeter");
    QVERIFY(meter);
    QTRY_VERIFY_WITH_TIMEOUT(meter->value() > 30, 10000);
    std::set<int> levels;
    QElapsedTimer watching;
    watching.start();
    while (levels.size() < 2 && watching.elapsed() < 10000) {
        levels.insert(meter->value());
        QTest::qWait(50);
    }
    QVERIFY2(levels.size() >= 2, "the meter never moved");
    QTRY_VERIFY_WITH_TIMEOUT(!isFlash(preview->lastImage()), 5000);
    saveScreenshot(window, "main-window-preview.png");

    // A file previews the file: a red clip shows red.
    if (QStandardPaths::findExecutable("ffmpeg").isEmpty()) {
        QSKIP("ffmpeg CLI not installed: no clip to preview");
    }
    const QString clip = temp.filePath("red.mp4");
    QProcess ffmpeg;
    ffmpeg.start("ffmpeg", {"-v", "error", "-y", "-f", "lavfi", "-i", "color=c=red:s=320x240:r=10",
                            "-t", "3", "-pix_fmt", "yuv420p", clip});
    QVERIFY(ffmpeg.waitForFinished(60000) && ffmpeg.exitCode() == 0);
    auto* picker = window.findChild<podium::gui::SourcePicker*>();
    picker->setCurrentSpec("file:" + clip + ":loop");
    auto isRed = [&] {
        const QImage image = preview->lastImage();
        const QColor c = image.isNull() ? QColor() : image.pixelColor(image.rect().center());
        return c.red() > 200 && c.green() < 60 && c.blue() < 60;
    };
    QTRY_VERIFY_WITH_TIMEOUT(isRed(), 15000);

    // A source that cannot be used says why, where the picture would be.
    picker->setCurrentSpec("file:" + temp.filePath("gone.mp4"));
    QTRY_VERIFY2_WITH_TIMEOUT(preview->text().contains("could not be played"),
                              qPrintable(preview->text()), 15000);
    QVERIFY2(preview->text().contains("gone.mp4"), qPrintable(preview->text()));
    window.close();
}

void TstMainWindow::liveThenCloseWhileLive() {
    QTemporaryDir temp;
    QVERIFY(temp.isValid());
    AppSettings settings(temp.filePath("podium.ini"));
    settings.setOriginPort(0);  // other tests may hold 8080
    settings.setArchiveEnabled(true);
    settings.setArchiveRoot(temp.filePath("archive"));

    MainWindow window(settings);
    window.resize(1360, 1000);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QVERIFY(window.windowTitle().contains("Podium"));
    clickTile(window, "testpattern");
    auto* presets = window.findChild<QComboBox*>("presetCombo");
    QVERIFY(presets);
    const QString preset = QString::fromStdString(podium::encoder::defaultPresetName());
    presets->setCurrentIndex(presets->findData(preset));
    QCOMPARE(settings.presetName(), preset);
    auto* preview = window.findChild<PreviewWidget*>("preview");
    QTRY_VERIFY_WITH_TIMEOUT(preview->picturesShown() >= 1, 15000);

    // Start: the preview's last picture stays until the broadcast's first one (no blank).
    auto* start = window.findChild<QPushButton*>("startButton");
    QVERIFY(start);
    QTest::mouseClick(start, Qt::LeftButton);
    auto* controller = window.controller();
    const auto canvas = podium::encoder::findPreset(preset.toStdString());
    QElapsedTimer handover;
    handover.start();
    while (controller->state() != State::Live ||
           preview->lastImage().width() != canvas->canvasWidth) {
        QVERIFY2(!preview->pixmap().isNull(), "the preview went blank during the handover");
        QVERIFY(handover.elapsed() < 20000);
        QTest::qWait(20);
    }
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
    const int expected = int(canvas->renditions.size());
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

    // The title changes while live: the broadcast's picture gets the lower third.
    const auto band =
        podium::capture::Compositor::titleBand(canvas->canvasWidth, canvas->canvasHeight);
    const int bandRow = band.y + band.height / 2;
    const int x0 = canvas->canvasWidth / 2;  // right of where the text goes, left of blue
    const int x1 = canvas->canvasWidth * 3 / 4;
    const double before = rowLuma(*controller->latestFrame(), bandRow, x0, x1);
    auto* title = window.findChild<QLineEdit*>("titleEdit");
    QVERIFY(title && title->isEnabled());
    QTest::keyClicks(title, "Alice - Rust async");
    QTest::keyClick(title, Qt::Key_Return);
    QTRY_VERIFY_WITH_TIMEOUT(rowLuma(*controller->latestFrame(), bandRow, x0, x1) < before * 0.7,
                             10000);
    QCOMPARE(settings.scene().title, std::string("Alice - Rust async"));

    // The screenshot for the README: the meters and health have moved by now; a start-up
    // burst of dropped frames on a loaded machine is given a few seconds to clear.
    auto* problem = window.findChild<QWidget*>("problem");
    QElapsedTimer settling;
    settling.start();
    while ((problem->isVisible() || isFlash(preview->lastImage())) && settling.elapsed() < 8000) {
        QTest::qWait(100);
    }
    saveScreenshot(window, "main-window-live.png");

    // Closing while live returns to the event loop at once, then stops with visible progress.
    window.setConfirmQuit(false);
    QElapsedTimer closing;
    closing.start();
    window.close();
    const qint64 closeMs = closing.elapsed();
    qInfo("close() returned after %lld ms", closeMs);
    QVERIFY2(closeMs < 100, qPrintable(QString::number(closeMs)));
    QVERIFY(window.isVisible());
    auto* progress = window.findChild<podium::gui::StopProgress*>("stopProgress");
    QVERIFY(progress && progress->isVisible());
    QVERIFY2(progress->text().startsWith("Stopping"), qPrintable(progress->text()));
    QTRY_VERIFY_WITH_TIMEOUT(!window.isVisible(), 60000);
    QCOMPARE(controller->state(), State::Idle);

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
}

// A microphone that gives nothing (a null sink's monitor: digital silence) is pointed out
// after 10 s live, not before Start; muting takes the warning away. Stop shows its progress.
void TstMainWindow::silentMicrophoneIsNoticedWhileLive() {
    PulseServer pulse;
    if (!pulse.start()) {
        QSKIP("no PulseAudio daemon could be started");
    }
    qputenv("PULSE_SERVER", pulse.address().toUtf8());
    QTemporaryDir temp;
    AppSettings settings(temp.filePath("podium.ini"));
    settings.setOriginEnabled(false);
    settings.setPresetName("Low bandwidth");
    settings.setAudioSpec("pulse:podium_null.monitor");
    MainWindow window(settings);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    auto* warning = window.findChild<QLabel*>("silenceWarning");
    auto* meter = window.findChild<QProgressBar*>("audioMeter");
    QVERIFY(warning && meter);
    QTRY_VERIFY_WITH_TIMEOUT(window.preview()->hasAudio(), 15000);
    QTest::qWait(500);
    QCOMPARE(meter->value(), 0);     // silence shows as silence
    QVERIFY(!warning->isVisible());  // before Start nobody is warned

    QTest::mouseClick(window.findChild<QPushButton*>("startButton"), Qt::LeftButton);
    auto* controller = window.controller();
    QTRY_COMPARE_WITH_TIMEOUT(controller->state(), State::Live, 20000);
    QElapsedTimer live;
    live.start();
    QVERIFY(controller->hasAudio());
    QTRY_VERIFY_WITH_TIMEOUT(warning->isVisible(), 30000);
    QVERIFY2(live.elapsed() >= 9500, qPrintable(QString::number(live.elapsed())));
    QVERIFY2(warning->text().contains("No sound from the microphone"), qPrintable(warning->text()));

    auto* mute = window.findChild<QPushButton*>("muteButton");
    QTest::mouseClick(mute, Qt::LeftButton);
    QVERIFY(controller->isAudioMuted());
    QTRY_VERIFY_WITH_TIMEOUT(!warning->isVisible(), 2000);

    // Stop by the button: the window stays responsive and says what the stop waits for.
    auto* progress = window.findChild<podium::gui::StopProgress*>("stopProgress");
    QSignalSpy stopping(controller, &podium::gui::SessionController::stopProgressChanged);
    QTest::mouseClick(window.findChild<QPushButton*>("startButton"), Qt::LeftButton);
    QCOMPARE(controller->state(), State::Stopping);
    QVERIFY(progress->isVisible());
    QVERIFY(stopping.count() >= 1);
    QTRY_COMPARE_WITH_TIMEOUT(controller->state(), State::Idle, 60000);
    QVERIFY(!progress->isVisible());
    window.setConfirmQuit(false);
    window.close();
    qunsetenv("PULSE_SERVER");
}

QTEST_MAIN(TstMainWindow)
#include "tst_main_window.moc"

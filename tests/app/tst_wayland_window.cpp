// The desktop app on a Wayland desktop, live: in the headless Wayland session the real main
// window runs natively on Wayland (QT_QPA_PLATFORM=wayland), offers the screen tile that says
// the desktop will ask, and Start streams the screen (through the ScreenCast portal) to the
// local origin; the portal's restore token lands in the settings for the next Start.
#include <QApplication>
#include <QListWidget>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QPushButton>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>
#include <algorithm>

#include "app/gui/app_settings.h"
#include "app/gui/main_window.h"
#include "app/gui/rendition_health_model.h"
#include "app/gui/session_controller.h"
#include "wayland_session.h"

using podium::gui::AppSettings;
using podium::gui::MainWindow;
using State = podium::gui::SessionController::State;

namespace {

WaylandSession* g_session = nullptr;
WaylandSession::Outcome g_outcome = WaylandSession::Outcome::Failed;

QByteArray get(const QString& url, int* status) {
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

}  // namespace

class TstWaylandWindow : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void screenTileStartsTheScreenToTheOrigin();
};

void TstWaylandWindow::initTestCase() {
    if (g_outcome == WaylandSession::Outcome::Unavailable) {
        QSKIP(qPrintable("no headless Wayland session on this machine: " + g_session->problem()));
    }
    QVERIFY2(g_outcome == WaylandSession::Outcome::Started, qPrintable(g_session->problem()));
    QCOMPARE(QGuiApplication::platformName(), QString("wayland"));
}

void TstWaylandWindow::screenTileStartsTheScreenToTheOrigin() {
    QTemporaryDir temp;
    AppSettings settings(temp.filePath("podium.ini"));
    settings.setOriginPort(0);
    settings.setArchiveEnabled(false);
    MainWindow window(settings);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));

    // The screen tile: on Wayland the desktop asks what to share.
    auto* sources = window.findChild<QListWidget*>("sourceList");
    QVERIFY(sources);
    QListWidgetItem* screen = nullptr;
    QTRY_VERIFY_WITH_TIMEOUT(
        [&] {
            for (int i = 0; i < sources->count(); ++i) {
                if (sources->item(i)->data(Qt::UserRole).toString() == "screen") {
                    screen = sources->item(i);
                }
            }
            return screen != nullptr;
        }(),
        10000);
    QVERIFY2(screen->text().contains("desktop asks"), qPrintable(screen->text()));
    QTest::mouseClick(sources->viewport(), Qt::LeftButton, {},
                      sources->visualItemRect(screen).center());
    QCOMPARE(settings.sourceSpec(), QString("screen"));

    auto* start = window.findChild<QPushButton*>("startButton");
    QVERIFY(start);
    QTest::mouseClick(start, Qt::LeftButton);
    auto* controller = window.controller();
    QTRY_COMPARE_WITH_TIMEOUT(controller->state(), State::Live, 30000);
    QVERIFY2(controller->sourceDescription().contains("desktop portal"),
             qPrintable(controller->sourceDescription()));

    // The screen reaches the local origin, every rendition encoding.
    const QString playlist =
        QString("http://127.0.0.1:%1/live/live/index.m3u8").arg(controller->originPort());
    int status = 0;
    QByteArray body;
    QTRY_VERIFY_WITH_TIMEOUT((body = get(playlist, &status), status == 200), 15000);
    QVERIFY(body.contains("#EXT-X-STREAM-INF"));
    auto encoding = [&] {
        const auto rows = controller->renditionHealth()->rows();
        return !rows.empty() &&
               std::all_of(rows.begin(), rows.end(), [](const auto& r) { return r.fps > 0; });
    };
    QTRY_VERIFY_WITH_TIMEOUT(encoding(), 15000);
    // The desktop's token is kept: the next Start will not ask.
    QTRY_VERIFY_WITH_TIMEOUT(!settings.portalRestoreToken().isEmpty(), 5000);

    QTest::mouseClick(start, Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(controller->state(), State::Idle, 30000);
}

int main(int argc, char** argv) {
    // The session and the platform must be in place before the application exists.
    WaylandSession session;
    g_session = &session;
    g_outcome = session.start();
    if (g_outcome == WaylandSession::Outcome::Started) {
        session.exportToThisProcess();
        qputenv("QT_QPA_PLATFORM", "wayland");
    }
    QApplication app(argc, argv);
    TstWaylandWindow test;
    return QTest::qExec(&test, argc, argv);
}

#include "tst_wayland_window.moc"

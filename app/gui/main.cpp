// podium: the desktop broadcasting studio (Qt Widgets front end of app::Session).
#include <QApplication>

#include "app/gui/app_settings.h"
#include "app/gui/main_window.h"
#include "app/gui/stderr_tap.h"

int main(int argc, char** argv) {
    podium::gui::StderrTap tap;  // engine log lines reach the log dock too
    QApplication app(argc, argv);
    QApplication::setOrganizationName("Podium");
    QApplication::setApplicationName("Podium");
    QApplication::setApplicationDisplayName("Podium");
    QApplication::setDesktopFileName("podium");
    podium::gui::AppSettings settings;
    podium::gui::MainWindow window(settings);
    window.show();
    return QApplication::exec();
}

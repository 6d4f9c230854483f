#pragma once

#include <QMainWindow>

class QAction;
class QPlainTextEdit;
class QPushButton;

namespace podium::gui {

class AppSettings;
class DestinationsPanel;
class HealthPanel;
class PresetPanel;
class SessionController;
class SharePanel;
class SourcePicker;

/// Podium's main window. It only composes: the source picker with its preview, the preset
/// panel, the destinations, one big Start/Stop (Ctrl+Return / Ctrl+.), the share panel, the
/// health panel and a log dock; the SessionController runs the broadcast. Asks before quitting
/// while live, then stops cleanly. GUI thread only.
class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    explicit MainWindow(AppSettings& settings, QWidget* parent = nullptr);
    ~MainWindow() override;

    [[nodiscard]] SessionController* controller() { return controller_; }
    /// Tests: answer the "quit while live?" question without a dialog.
    void setConfirmQuit(bool ask) { confirmQuit_ = ask; }

protected:
    void closeEvent(QCloseEvent* event) override;

private:
    QWidget* buildCentral();
    void createActions();
    void createLogDock();
    void readSettings();
    void writeSettings();
    void toggleBroadcast();
    void onStateChanged();
    void onFinished(bool clean, const QString& message);
    void pullLog();

    AppSettings& settings_;
    SessionController* controller_ = nullptr;
    SourcePicker* sources_ = nullptr;
    PresetPanel* presets_ = nullptr;
    DestinationsPanel* destinations_ = nullptr;
    SharePanel* share_ = nullptr;
    HealthPanel* health_ = nullptr;
    QPushButton* startButton_ = nullptr;
    QAction* startAction_ = nullptr;
    QAction* stopAction_ = nullptr;
    QPlainTextEdit* log_ = nullptr;
    bool confirmQuit_ = true;
};

}  // namespace podium::gui

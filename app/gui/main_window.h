#pragma once

#include <QMainWindow>
#include <memory>

class QAction;
class QPlainTextEdit;
class QPushButton;

namespace podium::gui {

class AppSettings;
class AudioPanel;
class DestinationsPanel;
class HealthPanel;
class MediaTap;
class PresetPanel;
class PreviewController;
class PreviewWidget;
class ScenePanel;
class SessionController;
class SharePanel;
class SourcePicker;
class StopProgress;

/// Podium's main window. It only composes: the source picker with its preview (before Start
/// the PreviewController's, while live the broadcast's), the title and webcam, the sound with
/// its meter and mute, the preset panel, the destinations, one big Start/Stop (Ctrl+Return /
/// Ctrl+.), the stop progress, the share panel, the health panel and a log dock; the
/// SessionController runs the broadcast. Stopping never blocks the window; quitting while live
/// asks, then stops the same way and closes when done. GUI thread only.
class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    explicit MainWindow(AppSettings& settings, QWidget* parent = nullptr);
    ~MainWindow() override;

    [[nodiscard]] SessionController* controller() { return controller_; }
    [[nodiscard]] PreviewController* preview() { return preview_; }
    /// Tests: answer the "quit while live?" question without a dialog.
    void setConfirmQuit(bool ask) { confirmQuit_ = ask; }

protected:
    void closeEvent(QCloseEvent* event) override;

private:
    QWidget* buildCentral();
    QWidget* buildSourceColumn(QWidget* parent);
    void connectPanels();
    void createActions();
    void createLogDock();
    void readSettings();
    void writeSettings();
    void refreshPreview();
    void toggleBroadcast();
    void onStateChanged();
    void onFinished(bool clean, const QString& message);
    void pullLog();

    AppSettings& settings_;
    SessionController* controller_ = nullptr;
    PreviewController* preview_ = nullptr;
    std::unique_ptr<MediaTap> tap_;
    SourcePicker* sources_ = nullptr;
    ScenePanel* scene_ = nullptr;
    AudioPanel* audio_ = nullptr;
    PresetPanel* presets_ = nullptr;
    DestinationsPanel* destinations_ = nullptr;
    SharePanel* share_ = nullptr;
    HealthPanel* health_ = nullptr;
    StopProgress* stopProgress_ = nullptr;
    QPushButton* startButton_ = nullptr;
    QAction* startAction_ = nullptr;
    QAction* stopAction_ = nullptr;
    QPlainTextEdit* log_ = nullptr;
    bool confirmQuit_ = true;
    bool quitWhenStopped_ = false;
    bool loading_ = false;
};

}  // namespace podium::gui

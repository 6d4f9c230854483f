#pragma once

#include <QFuture>
#include <QFutureWatcher>
#include <QObject>
#include <QThreadPool>
#include <atomic>
#include <memory>
#include <optional>

#include "app/gui/preview_capture.h"

namespace podium::gui {

/// The preview before Start: runs a PreviewCapture of the chosen source (kWidth pixels wide,
/// kFps frames per second) so the speaker sees the screen, the camera framing, the title and
/// the webcam corner, and hears (on the meter) the microphone before going live. Opening and
/// closing devices happens on one worker thread of its own, in order; a request overtaken by
/// a newer one is skipped. At Start the window calls release() (the broadcast may need the same
/// camera) and keeps the last picture until the live one arrives; after Stop, resume().
/// GUI thread only.
class PreviewController : public QObject {
    Q_OBJECT
public:
    static constexpr int kWidth = 640;
    static constexpr int kFps = 10;

    explicit PreviewController(QObject* parent = nullptr);
    /// Stops the capture and waits for the worker.
    ~PreviewController() override;

    /// Shows `config`'s source with its sound, title and webcam (only the scene changes
    /// when the rest is the same). While released it is remembered for resume().
    void show(const app::SessionConfig& config);
    /// Stops the capture so the broadcast can open the same devices. The returned future
    /// finishes when they are free. The last picture stays available.
    QFuture<void> release();
    /// Shows the last config again (after a broadcast).
    void resume();
    [[nodiscard]] bool isReleased() const { return released_; }

    /// The newest preview picture (null before the first one). The level 0..1.
    [[nodiscard]] VideoFramePtr latestFrame() const;
    [[nodiscard]] float audioPeak() const;
    [[nodiscard]] bool hasAudio() const;
    [[nodiscard]] uint64_t framesSeen() const;
    /// Why the source cannot be previewed, in words; empty when it works.
    [[nodiscard]] QString problem() const;

signals:
    void problemChanged(const QString& words);

private:
    struct Outcome {
        std::shared_ptr<PreviewCapture> capture;  ///< what now runs (may be the same as before)
        std::optional<Status> error;
    };
    struct Worker;  ///< the worker thread's state: the running capture

    void submit(const PreviewConfig& config);
    void onOpened();
    void setProblem(const QString& words);

    QThreadPool pool_;  ///< one thread: requests run in order
    std::shared_ptr<Worker> worker_;
    std::shared_ptr<std::atomic<uint64_t>> latestRequest_;
    QFutureWatcher<Outcome> watcher_;
    std::shared_ptr<PreviewCapture> capture_;  ///< what the window reads frames from
    std::optional<PreviewConfig> wanted_;
    bool released_ = false;
    QString problem_;
};

}  // namespace podium::gui

#pragma once

#include <QElapsedTimer>
#include <QFuture>
#include <QFutureWatcher>
#include <QObject>
#include <QString>
#include <QTimer>
#include <memory>
#include <optional>

#include "app/gui/destination_health_model.h"
#include "app/gui/rendition_health_model.h"
#include "app/session/session.h"

namespace podium::gui {

/// Owns the running app::Session for the window and keeps the UI responsive: Session::create +
/// start, Session::stop (which joins the pipeline's threads and drains the sinks, up to the
/// session's deadline) and scene changes (which may open a camera) run on QtConcurrent
/// workers; their outcome comes back to the GUI thread through QFutureWatcher. While live it
/// polls Session::stats() at 2 Hz into the health models and reports problems in words; while
/// stopping it reports what the stop waits for (stopProgressChanged). Lives on and is called
/// from the GUI thread only; latestFrame()/audioPeak() are cheap enough for a 10-15 Hz
/// preview timer.
class SessionController : public QObject {
    Q_OBJECT
public:
    enum class State { Idle = 1, Starting, Live, Stopping };
    Q_ENUM(State)
    static constexpr int kStatsIntervalMs = 500;
    static constexpr int kStopProgressIntervalMs = 250;

    explicit SessionController(QObject* parent = nullptr);
    /// Stops a live session and waits for it (the archive and final playlists complete).
    ~SessionController() override;

    [[nodiscard]] State state() const { return state_; }
    /// Starts a broadcast with `config`; ignored unless Idle. The session opens its devices
    /// once `devicesFree` finished (the preview lets go of the camera). Outcome:
    /// stateChanged(Live) or finished(false, reason).
    void start(app::SessionConfig config, QFuture<void> devicesFree = {});
    /// Asks the live (or starting) broadcast to end; returns at once. Outcome: finished(),
    /// with stopProgressChanged() on the way.
    void stop();
    /// Blocking stop (destructor): waits for a start in flight, then stops and joins.
    void stopAndWait();

    /// Muted, the broadcast's audio track carries silence; applies to the next Start too.
    void setAudioMuted(bool muted);
    [[nodiscard]] bool isAudioMuted() const { return audioMuted_; }
    /// Changes the title and webcam corner of the live broadcast (a worker opens a new camera;
    /// a change arriving meanwhile is applied after it). Ignored unless Live. A failure is
    /// reported through problemChanged().
    void setScene(const app::SceneSettings& scene);

    [[nodiscard]] VideoFramePtr latestFrame() const;
    [[nodiscard]] float audioPeak() const;
    [[nodiscard]] bool hasAudio() const;
    [[nodiscard]] uint16_t originPort() const;
    /// The player page viewers open ("http://192.168.1.20:8080/watch/live"); empty without
    /// a local origin.
    [[nodiscard]] QString viewerUrl() const { return viewerUrl_; }
    [[nodiscard]] QString archiveDir() const;
    [[nodiscard]] QString sourceDescription() const { return sourceDescription_; }

    [[nodiscard]] RenditionHealthModel* renditionHealth() { return &renditions_; }
    [[nodiscard]] DestinationHealthModel* destinationHealth() { return &destinations_; }

signals:
    void stateChanged(podium::gui::SessionController::State state);
    /// One line for the status bar: elapsed time, segments, CPU.
    void summaryChanged(const QString& summary);
    /// The current problem in words; empty when there is none.
    void problemChanged(const QString& words);
    /// The broadcast ended (Stop, the source ended, or it failed). `message` says how.
    void finished(bool clean, const QString& message);
    /// While stopping: what it waits for, in words; seconds until it gives up on slow
    /// destinations (0 when not draining them) out of `deadlineSeconds`.
    void stopProgressChanged(const QString& words, double secondsLeft, double deadlineSeconds);

private:
    struct StartOutcome {
        std::shared_ptr<app::Session> session;
        std::optional<Status> error;
    };
    struct StopOutcome {
        std::optional<Status> error;
    };

    void setState(State state);
    void onStartFinished();
    void onStopFinished();
    void pollStopProgress();
    void applyPendingScene();
    void poll();
    void beginStop(const QString& reason);
    void setProblem(const QString& words);
    double cpuPercent();

    State state_ = State::Idle;
    app::SessionConfig config_;
    std::shared_ptr<app::Session> session_;
    QFutureWatcher<StartOutcome> startWatcher_;
    QFutureWatcher<StopOutcome> stopWatcher_;
    QFutureWatcher<std::optional<Status>> sceneWatcher_;
    std::optional<app::SceneSettings> pendingScene_;
    QTimer statsTimer_;
    QTimer stopProgressTimer_;
    RenditionHealthModel renditions_;
    DestinationHealthModel destinations_;
    QString viewerUrl_;
    QString sourceDescription_;
    QString stopReason_;
    QString problem_;
    bool stopAfterStart_ = false;
    bool audioMuted_ = false;
    bool hasAudio_ = false;
    qulonglong lastDropped_ = 0;
    double lastElapsed_ = 0;
    double lastCpuSeconds_ = 0;
    QElapsedTimer cpuClock_;
};

}  // namespace podium::gui

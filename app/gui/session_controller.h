#pragma once

#include <QElapsedTimer>
#include <QFutureWatcher>
#include <QObject>
#include <QString>
#include <QTimer>
#include <memory>

#include "app/gui/destination_health_model.h"
#include "app/gui/rendition_health_model.h"
#include "app/session/session.h"

namespace podium::gui {

/// Owns the running app::Session for the window and keeps the UI responsive: Session::create +
/// start and Session::stop (which joins the pipeline's threads and drains the sinks) run on a
/// QtConcurrent worker; their outcome comes back to the GUI thread through QFutureWatcher.
/// While live it polls Session::stats() at 2 Hz into the health models and reports problems in
/// words. Lives on and is called from the GUI thread only; latestFrame()/audioPeak() are cheap
/// enough for a 10-15 Hz preview timer.
class SessionController : public QObject {
    Q_OBJECT
public:
    enum class State { Idle = 1, Starting, Live, Stopping };
    Q_ENUM(State)
    static constexpr int kStatsIntervalMs = 500;

    explicit SessionController(QObject* parent = nullptr);
    /// Stops a live session and waits for it (the archive and final playlists complete).
    ~SessionController() override;

    [[nodiscard]] State state() const { return state_; }
    /// Starts a broadcast with `config`; ignored unless Idle. Outcome: stateChanged(Live) or
    /// finished(false, reason).
    void start(app::SessionConfig config);
    /// Asks the live (or starting) broadcast to end; returns at once. Outcome: finished().
    void stop();
    /// Blocking stop for quitting: waits for a start in flight, then stops and joins.
    void stopAndWait();

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

private:
    struct StartOutcome {
        std::shared_ptr<app::Session> session;
        QString error;
    };
    struct StopOutcome {
        QString error;
    };

    void setState(State state);
    void onStartFinished();
    void onStopFinished();
    void poll();
    void beginStop(const QString& reason);
    void setProblem(const QString& words);
    double cpuPercent();

    State state_ = State::Idle;
    app::SessionConfig config_;
    std::shared_ptr<app::Session> session_;
    QFutureWatcher<StartOutcome> startWatcher_;
    QFutureWatcher<StopOutcome> stopWatcher_;
    QTimer statsTimer_;
    RenditionHealthModel renditions_;
    DestinationHealthModel destinations_;
    QString viewerUrl_;
    QString sourceDescription_;
    QString stopReason_;
    QString problem_;
    bool stopAfterStart_ = false;
    bool hasAudio_ = false;
    qulonglong lastDropped_ = 0;
    double lastElapsed_ = 0;
    double lastCpuSeconds_ = 0;
    QElapsedTimer cpuClock_;
};

}  // namespace podium::gui

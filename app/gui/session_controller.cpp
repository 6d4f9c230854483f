#include "app/gui/session_controller.h"

#include <sys/resource.h>

#include <QDateTime>
#include <QtConcurrent/QtConcurrentRun>

#include "app/gui/broadcast_config.h"
#include "app/gui/log_ring.h"
#include "app/gui/problem_text.h"
#include "core/log.h"

namespace podium::gui {

namespace {

double processCpuSeconds() {
    rusage usage{};
    if (getrusage(RUSAGE_SELF, &usage) != 0) {
        return 0;
    }
    auto seconds = [](const timeval& t) { return double(t.tv_sec) + double(t.tv_usec) / 1e6; };
    return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

void note(const QString& line) {
    LogRing::instance().append(QDateTime::currentDateTime().toString("hh:mm:ss.zzz") +
                               " [podium] " + line);
}

}  // namespace

SessionController::SessionController(QObject* parent) : QObject(parent) {
    statsTimer_.setInterval(kStatsIntervalMs);
    connect(&statsTimer_, &QTimer::timeout, this, &SessionController::poll);
    connect(&startWatcher_, &QFutureWatcher<StartOutcome>::finished, this,
            &SessionController::onStartFinished);
    connect(&stopWatcher_, &QFutureWatcher<StopOutcome>::finished, this,
            &SessionController::onStopFinished);
    stopProgressTimer_.setInterval(kStopProgressIntervalMs);
    connect(&stopProgressTimer_, &QTimer::timeout, this, &SessionController::pollStopProgress);
    connect(&sceneWatcher_, &QFutureWatcher<QString>::finished, this, [this] {
        if (const std::optional<Status> error = sceneWatcher_.result()) {
            note(tr("title or webcam not changed: %1")
                     .arg(QString::fromStdString(error->toString())));
            setProblem(describeSourceProblem(*error));
        }
        applyPendingScene();
    });
}

SessionController::~SessionController() {
    stopAndWait();
}

void SessionController::setState(State state) {
    if (state_ == state) {
        return;
    }
    state_ = state;
    emit stateChanged(state);
}

void SessionController::start(app::SessionConfig config, QFuture<void> devicesFree) {
    if (state_ != State::Idle) {
        return;
    }
    config_ = config;
    stopAfterStart_ = false;
    stopReason_.clear();
    setProblem({});
    renditions_.clear();
    destinations_.clear();
    setState(State::Starting);
    note(tr("starting: %1, preset \"%2\"")
             .arg(QString::fromStdString(config.source.toString()),
                  QString::fromStdString(config.preset.name)));
    startWatcher_.setFuture(
        QtConcurrent::run([config = std::move(config), devicesFree]() mutable -> StartOutcome {
            devicesFree.waitForFinished();
            auto created = app::Session::create(config);
            if (!created) {
                return {nullptr, created.error()};
            }
            std::shared_ptr<app::Session> session = std::move(*created);
            if (auto r = session->start(); !r) {
                (void)session->stop();
                return {nullptr, r.error()};
            }
            return {session, {}};
        }));
}

void SessionController::onStartFinished() {
    const StartOutcome outcome = startWatcher_.result();
    if (!outcome.session) {
        setState(State::Idle);
        const Status error =
            outcome.error.value_or(Status(ErrorCode::Internal, "the session did not start"));
        const QString words = describeSessionError(error);
        note(tr("could not start: %1").arg(QString::fromStdString(error.toString())));
        setProblem(words);
        emit finished(false, words);
        return;
    }
    session_ = outcome.session;
    session_->setAudioMuted(audioMuted_);
    pendingScene_.reset();
    hasAudio_ = !session_->tracks().empty() && session_->tracks().back().kind == TrackKind::Audio;
    sourceDescription_ = QString::fromStdString(session_->describeSource());
    viewerUrl_ = gui::viewerUrl(config_.origin, session_->originPort());
    lastDropped_ = 0;
    lastElapsed_ = 0;
    lastCpuSeconds_ = processCpuSeconds();
    cpuClock_.start();
    setState(State::Live);
    note(tr("live: %1").arg(sourceDescription_));
    if (!viewerUrl_.isEmpty()) {
        note(tr("viewer link: %1").arg(viewerUrl_));
    }
    statsTimer_.start();
    poll();
    if (stopAfterStart_) {
        beginStop(tr("stopped"));
    }
}

void SessionController::stop() {
    if (state_ == State::Starting) {
        stopAfterStart_ = true;  // the worker cannot be interrupted; stop when it returns
        return;
    }
    if (state_ == State::Live) {
        beginStop(tr("stopped"));
    }
}

void SessionController::beginStop(const QString& reason) {
    if (!session_ || state_ == State::Stopping) {
        return;
    }
    stopReason_ = reason;
    session_->requestStop();
    setState(State::Stopping);
    note(tr("stopping (%1)").arg(reason));
    statsTimer_.stop();
    stopProgressTimer_.start();
    pollStopProgress();
    std::shared_ptr<app::Session> session = session_;
    stopWatcher_.setFuture(QtConcurrent::run([session]() -> StopOutcome {
        auto r = session->stop();
        return {r ? std::nullopt : std::optional<Status>(r.error())};
    }));
}

void SessionController::onStopFinished() {
    const StopOutcome outcome = stopWatcher_.result();
    statsTimer_.stop();
    stopProgressTimer_.stop();
    sceneWatcher_.waitForFinished();  // a camera being swapped in has given up by now
    if (session_) {
        const auto last = session_->stats();
        renditions_.update(last);
        destinations_.update(last.sinks);
        note(tr("stopped after %1 s: %2 frames, %3 dropped, %4 segments")
                 .arg(last.elapsedSeconds, 0, 'f', 1)
                 .arg(last.ladder.framesIn)
                 .arg(last.ladder.droppedFrames)
                 .arg(last.segmentsOut));
    }
    session_.reset();
    setState(State::Idle);
    if (outcome.error) {
        const QString words = describeSessionError(*outcome.error);
        note(tr("ended with an error: %1").arg(QString::fromStdString(outcome.error->toString())));
        setProblem(words);
        emit finished(false, words);
        return;
    }
    emit finished(true, stopReason_);
}

void SessionController::stopAndWait() {
    if (state_ == State::Starting) {
        startWatcher_.waitForFinished();
        onStartFinished();
    }
    if (state_ == State::Live) {
        beginStop(tr("quitting"));
    }
    if (state_ == State::Stopping) {
        stopWatcher_.waitForFinished();
        onStopFinished();
    }
}

void SessionController::poll() {
    if (state_ != State::Live || !session_) {
        return;
    }
    const auto stats = session_->stats();
    renditions_.update(stats);
    destinations_.update(stats.sinks);
    const double dt = stats.elapsedSeconds - lastElapsed_;
    const qulonglong dropped = stats.ladder.droppedFrames;
    QString problem = describeDrops(dropped - lastDropped_, dt);
    for (int row = 0; problem.isEmpty() && row < destinations_.rowCount(); ++row) {
        problem = destinations_.index(row, DestinationHealthModel::Problem).data().toString();
    }
    setProblem(problem);
    const double cpu = cpuPercent();
    lastDropped_ = dropped;
    lastElapsed_ = stats.elapsedSeconds;
    const int elapsed = int(stats.elapsedSeconds);
    emit summaryChanged(tr("Live %1:%2:%3 · %4 segments · CPU %5%")
                            .arg(elapsed / 3600)
                            .arg(elapsed / 60 % 60, 2, 10, QChar('0'))
                            .arg(elapsed % 60, 2, 10, QChar('0'))
                            .arg(stats.segmentsOut)
                            .arg(qRound(cpu)));
    if (session_->waitUntilDone(std::chrono::milliseconds(0))) {
        // The source ended or something failed: stop cleanly; onStopFinished tells why.
        beginStop(tr("the source ended or the session failed"));
    }
}

void SessionController::pollStopProgress() {
    if (state_ != State::Stopping || !session_) {
        return;
    }
    const app::StopProgress progress = session_->stopProgress();
    const QString words = describeStopProgress(progress);
    emit stopProgressChanged(words.isEmpty() ? tr("Stopping…") : words, progress.secondsLeft,
                             config_.stopDeadlineSeconds);
}

void SessionController::setAudioMuted(bool muted) {
    audioMuted_ = muted;
    if (session_) {
        session_->setAudioMuted(muted);
    }
    note(muted ? tr("microphone muted") : tr("microphone on"));
}

void SessionController::setScene(const app::SceneSettings& scene) {
    if (state_ != State::Live || !session_) {
        return;
    }
    pendingScene_ = scene;
    if (!sceneWatcher_.isRunning()) {
        applyPendingScene();
    }
}

void SessionController::applyPendingScene() {
    if (!pendingScene_ || state_ != State::Live || !session_) {
        pendingScene_.reset();
        return;
    }
    const app::SceneSettings scene = *pendingScene_;
    pendingScene_.reset();
    std::shared_ptr<app::Session> session = session_;
    sceneWatcher_.setFuture(QtConcurrent::run([session, scene]() -> std::optional<Status> {
        auto r = session->updateScene(scene);
        return r ? std::nullopt : std::optional<Status>(r.error());
    }));
}

double SessionController::cpuPercent() {
    const double now = processCpuSeconds();
    const double used = now - lastCpuSeconds_;
    const double wall = double(cpuClock_.restart()) / 1000.0;
    lastCpuSeconds_ = now;
    return wall > 0 ? used / wall * 100.0 : 0.0;
}

void SessionController::setProblem(const QString& words) {
    if (words == problem_) {
        return;
    }
    problem_ = words;
    if (!words.isEmpty()) {
        note(words);
    }
    emit problemChanged(words);
}

VideoFramePtr SessionController::latestFrame() const {
    return session_ ? session_->latestVideoFrame() : nullptr;
}

float SessionController::audioPeak() const {
    return session_ ? session_->latestAudioPeak() : 0;
}

bool SessionController::hasAudio() const {
    return session_ && hasAudio_;
}

uint16_t SessionController::originPort() const {
    return session_ ? session_->originPort() : 0;
}

QString SessionController::archiveDir() const {
    return QString::fromStdString(config_.archiveDir);
}

}  // namespace podium::gui

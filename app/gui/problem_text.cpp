#include "app/gui/problem_text.h"

#include <QCoreApplication>
#include <QStringList>
#include <cmath>

namespace podium::gui {

namespace {

QString tr(const char* text) {
    return QCoreApplication::translate("ProblemText", text);
}

/// The part of a sentence every destination error shares: what the computer could not do.
/// From the error's code and, for a publishing point, its last HTTP answer; empty when they
/// say nothing a broadcaster can act on (the details are shown instead).
QString cause(const app::DestinationStatus& d) {
    if (!d.errorCode) {
        return {};
    }
    const bool push = d.kind == app::DestinationKind::Push;
    const long http = d.lastHttpStatus;
    switch (*d.errorCode) {
        case ErrorCode::PermissionDenied:
            if (!push) {
                return tr("cannot be written to (permission denied)");
            }
            // 401/403 is the credential; without such an answer it was the TLS handshake.
            return http == 401 || http == 403 ? tr("refused the password")
                                              : tr("could not be verified (TLS certificate)");
        case ErrorCode::NotFound:
            return push ? tr("does not know this address") : QString();
        case ErrorCode::Unavailable:
            return push && http >= 500 ? tr("answered with a server error (HTTP %1)").arg(http)
                                       : tr("cannot be reached");
        case ErrorCode::NoSpace:
            return tr("ran out of disk space");
        default:
            return {};
    }
}

}  // namespace

QString describeDestinationProblem(const app::DestinationStatus& destination) {
    const bool failed = destination.state == app::DestinationState::Failed;
    const QString details = QString::fromStdString(destination.lastError);
    if (!failed && details.isEmpty()) {
        return {};
    }
    QString what;
    switch (destination.kind) {
        case app::DestinationKind::Archive:
            what = tr("the archive folder");
            break;
        case app::DestinationKind::Origin:
            what = tr("the local origin");
            break;
        case app::DestinationKind::Push:
            what = tr("the publishing point %1").arg(QString::fromStdString(destination.where));
            break;
    }
    const QString why = cause(destination);
    if (!why.isEmpty()) {
        return tr("%1 %2.").arg(what, why);
    }
    if (failed) {
        return details.isEmpty() ? tr("%1 stopped working.").arg(what)
                                 : tr("%1 stopped working: %2").arg(what, details);
    }
    return tr("%1: %2").arg(what, details);
}

QString describeDestinationState(app::DestinationState state) {
    switch (state) {
        case app::DestinationState::Connecting:
            return tr("connecting");
        case app::DestinationState::Live:
            return tr("live");
        case app::DestinationState::Retrying:
            return tr("retrying");
        case app::DestinationState::Failed:
            return tr("failed");
        case app::DestinationState::Finished:
            return tr("finished");
    }
    return {};
}

namespace {

/// The source-related sentence for `error` (by its subject), or an empty string.
QString sourceSentence(const Status& error) {
    const QString details = QString::fromStdString(error.toString());
    switch (error.subject()) {
        case Subject::File:
            return tr("The file could not be played: %1").arg(details);
        case Subject::Camera:
            return tr("The camera could not be opened: %1").arg(details);
        case Subject::Screen:
            return tr("The screen could not be captured: %1").arg(details);
        case Subject::Microphone:
            return tr("The microphone could not be opened: %1").arg(details);
        default:
            return {};
    }
}

}  // namespace

QString describeSourceProblem(const Status& error) {
    const QString sentence = sourceSentence(error);
    return sentence.isEmpty()
               ? tr("This source cannot be shown: %1").arg(QString::fromStdString(error.toString()))
               : sentence;
}

QString describeSessionError(const Status& error) {
    const QString details = QString::fromStdString(error.toString());
    switch (error.subject()) {
        case Subject::Origin:
            if (error.code() == ErrorCode::Unavailable) {
                return tr(
                    "The local origin's port is taken by another program; choose another port "
                    "(or 0 for any free one).");
            }
            return tr("The local origin could not start: %1").arg(details);
        case Subject::Archive:
            return error.code() == ErrorCode::NoSpace
                       ? tr("The archive folder ran out of disk space: %1").arg(details)
                       : tr("The archive folder cannot be used: %1").arg(details);
        case Subject::Destination:
            return tr("A publishing point cannot be used: %1").arg(details);
        case Subject::Encoder:
            return tr("The preset cannot be encoded: %1").arg(details);
        default:
            break;
    }
    if (const QString sentence = sourceSentence(error); !sentence.isEmpty()) {
        return sentence;
    }
    return tr("The broadcast stopped: %1").arg(details);
}

QString describeStopProgress(const app::StopProgress& progress) {
    using Phase = app::StopProgress::Phase;
    switch (progress.phase) {
        case Phase::Running:
            return {};
        case Phase::Encoders:
            return tr("Stopping: the encoders finish the last segments…");
        case Phase::Done:
            return tr("Stopped.");
        case Phase::Sinks:
            break;
    }
    QStringList waiting;
    int pushing = 0;
    for (const auto& sink : progress.sinks) {
        if (sink.state == app::DestinationState::Finished ||
            sink.state == app::DestinationState::Failed) {
            continue;
        }
        if (sink.kind == app::DestinationKind::Archive) {
            waiting << tr("finishing the archive");
        } else if (sink.kind == app::DestinationKind::Origin) {
            waiting << tr("closing the viewers' playlists");
        } else {
            ++pushing;
        }
    }
    if (pushing > 0) {
        waiting << (pushing == 1 ? tr("1 destination sending the last segments")
                                 : tr("%1 destinations sending the last segments").arg(pushing));
    }
    if (waiting.isEmpty()) {
        return tr("Stopping…");
    }
    QString text = tr("Stopping: %1").arg(waiting.join(", "));
    if (progress.secondsLeft >= 1) {
        text += tr(" (at most %1 s more)").arg(int(std::ceil(progress.secondsLeft)));
    }
    return text;
}

QString describeSilence(int seconds) {
    return tr("No sound from the microphone for %1 s: is it muted, unplugged or the wrong "
              "input?")
        .arg(seconds);
}

QString describeDrops(qulonglong droppedNow, double seconds) {
    if (droppedNow == 0 || seconds <= 0) {
        return {};
    }
    return tr("This computer cannot keep up: %1 frames dropped in the last %2 s. "
              "Try a lighter preset.")
        .arg(droppedNow)
        .arg(seconds, 0, 'f', 1);
}

}  // namespace podium::gui

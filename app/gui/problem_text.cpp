#include "app/gui/problem_text.h"

#include <QCoreApplication>
#include <QStringList>
#include <cmath>

namespace podium::gui {

namespace {

QString tr(const char* text) {
    return QCoreApplication::translate("ProblemText", text);
}

bool mentions(const QString& text, std::initializer_list<const char*> needles) {
    for (const char* n : needles) {
        if (text.contains(QLatin1String(n), Qt::CaseInsensitive)) {
            return true;
        }
    }
    return false;
}

/// The part of a sentence every error shares: what the computer could not do.
QString cause(const QString& error) {
    if (mentions(error, {"401", "403", "PermissionDenied", "permission denied", "unauthorized",
                         "forbidden"})) {
        return tr("refused the password");
    }
    if (mentions(error, {"404", "not found", "NotFound"})) {
        return tr("does not know this address");
    }
    if (mentions(error, {"connection refused", "couldn't connect", "could not connect",
                         "Unavailable", "timed out", "timeout"})) {
        return tr("cannot be reached");
    }
    if (mentions(error, {"No space", "ENOSPC", "disk full"})) {
        return tr("ran out of disk space");
    }
    return {};
}

}  // namespace

QString describeSinkProblem(const QString& sinkName, const QString& state,
                            const QString& lastError) {
    if (state != QLatin1String("failed") && lastError.isEmpty()) {
        return {};
    }
    QString what = sinkName;
    if (sinkName.startsWith("archive")) {
        what = tr("the archive folder");
    } else if (sinkName.startsWith("origin")) {
        what = tr("the local origin");
    } else if (!sinkName.isEmpty()) {
        what = tr("the publishing point %1").arg(sinkName.section(' ', -1));
    }
    const QString why = cause(lastError);
    if (!why.isEmpty()) {
        return tr("%1 %2.").arg(what, why);
    }
    if (state == QLatin1String("failed")) {
        return lastError.isEmpty() ? tr("%1 stopped working.").arg(what)
                                   : tr("%1 stopped working: %2").arg(what, lastError);
    }
    return tr("%1: %2").arg(what, lastError);
}

/// The source-related sentence for `error`, or an empty string.
QString sourceSentence(const QString& error) {
    // The file first: its path may contain any of the other words.
    if (mentions(error, {"file source", "file ended"})) {
        return tr("The file could not be played: %1").arg(error);
    }
    if (mentions(error, {"camera", "/dev/video"})) {
        return tr("The camera could not be opened: %1").arg(error);
    }
    if (mentions(error, {"screen", "DISPLAY", "window", "portal"})) {
        return tr("The screen could not be captured: %1").arg(error);
    }
    if (mentions(error, {"pulseaudio", "pulse:", "microphone"})) {
        return tr("The microphone could not be opened: %1").arg(error);
    }
    return {};
}

QString describeSourceProblem(const QString& error) {
    const QString sentence = sourceSentence(error);
    return sentence.isEmpty() ? tr("This source cannot be shown: %1").arg(error) : sentence;
}

QString describeSessionError(const QString& error) {
    if (mentions(error, {"Address already in use", "address in use", "bind"})) {
        return tr(
            "The local origin's port is taken by another program; choose another port "
            "(or 0 for any free one).");
    }
    if (const QString sentence = sourceSentence(error); !sentence.isEmpty()) {
        return sentence;
    }
    if (mentions(error, {"archive"})) {
        return tr("The archive folder cannot be used: %1").arg(error);
    }
    return tr("The broadcast stopped: %1").arg(error);
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
        if (sink.state == "finished" || sink.state == "failed") {
            continue;
        }
        const QString name = QString::fromStdString(sink.name);
        if (name.startsWith("archive")) {
            waiting << tr("finishing the archive");
        } else if (name.startsWith("origin")) {
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

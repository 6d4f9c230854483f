#include "app/gui/problem_text.h"

#include <QCoreApplication>

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

QString describeSessionError(const QString& error) {
    if (mentions(error, {"Address already in use", "address in use", "bind"})) {
        return tr(
            "The local origin's port is taken by another program; choose another port "
            "(or 0 for any free one).");
    }
    if (mentions(error, {"camera", "/dev/video"})) {
        return tr("The camera could not be opened: %1").arg(error);
    }
    if (mentions(error, {"screen", "DISPLAY", "window"})) {
        return tr("The screen could not be captured: %1").arg(error);
    }
    if (mentions(error, {"file source"})) {
        return tr("The file could not be played: %1").arg(error);
    }
    if (mentions(error, {"archive"})) {
        return tr("The archive folder cannot be used: %1").arg(error);
    }
    return tr("The broadcast stopped: %1").arg(error);
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

#include "wayland_session.h"

#include <QFile>
#include <QProcess>
#include <QRegularExpression>

QString WaylandSession::script() {
    return QStringLiteral(PODIUM_WAYLAND_SESSION_SCRIPT);
}

WaylandSession::Outcome WaylandSession::start(const QStringList& options) {
    QProcess process;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.remove("DISPLAY");
    process.setProcessEnvironment(env);
    process.start("bash", QStringList{script(), "start"} + options);
    if (!process.waitForStarted(10000) || !process.waitForFinished(90000)) {
        process.kill();
        process.waitForFinished(5000);
        problem_ = "wayland-session.sh did not finish starting within 90 s";
        return Outcome::Failed;
    }
    const QString out = QString::fromUtf8(process.readAllStandardOutput());
    const QString err = QString::fromUtf8(process.readAllStandardError()).trimmed();
    if (process.exitStatus() != QProcess::NormalExit || process.exitCode() != 0) {
        problem_ = err.isEmpty() ? "wayland-session.sh failed" : err;
        return err.contains("missing:") ? Outcome::Unavailable : Outcome::Failed;
    }
    static const QRegularExpression exportLine("^export ([A-Z_]+)=(.*)$");
    static const QRegularExpression pidLine("^# pid ([0-9]+) (\\S+)$");
    for (const QString& line : out.split('\n', Qt::SkipEmptyParts)) {
        if (auto m = exportLine.match(line); m.hasMatch()) {
            QString value = m.captured(2);
            if (value.startsWith('\'') && value.endsWith('\'') && value.size() >= 2) {
                value = value.mid(1, value.size() - 2);  // printf %q of a path with no quote
            }
            value.replace("\\ ", " ");
            exports_.insert(m.captured(1), value);
        } else if (auto p = pidLine.match(line); p.hasMatch()) {
            pids_.insert(p.captured(2), p.captured(1).toLongLong());
        }
    }
    dir_ = exports_.value("WAYLAND_SESSION_DIR");
    if (dir_.isEmpty() || !exports_.contains("DBUS_SESSION_BUS_ADDRESS")) {
        problem_ = "wayland-session.sh printed no session: " + out.left(500);
        stop();
        return Outcome::Failed;
    }
    return Outcome::Started;
}

WaylandSession::~WaylandSession() {
    stop();
}

void WaylandSession::stop() {
    if (dir_.isEmpty()) {
        return;
    }
    QProcess process;
    process.start("bash", {script(), "stop", dir_});
    process.waitForFinished(30000);
    dir_.clear();
}

QProcessEnvironment WaylandSession::env() const {
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.remove("DISPLAY");
    for (auto it = exports_.begin(); it != exports_.end(); ++it) {
        env.insert(it.key(), it.value());
    }
    return env;
}

QString WaylandSession::log(const QString& component) const {
    QFile file(dir_ + "/logs/" + component + ".log");
    if (!file.open(QIODevice::ReadOnly)) {
        return {};
    }
    return QString::fromUtf8(file.readAll());
}

void WaylandSession::exportToThisProcess() const {
    qunsetenv("DISPLAY");
    for (auto it = exports_.begin(); it != exports_.end(); ++it) {
        qputenv(it.key().toUtf8().constData(), it.value().toUtf8());
    }
}

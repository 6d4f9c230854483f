#include "test_servers.h"

#include <QDeadlineTimer>
#include <QDir>
#include <QFile>
#include <QStandardPaths>

namespace {
void stopProcess(QProcess& p) {
    if (p.state() != QProcess::NotRunning) {
        p.terminate();
        if (!p.waitForFinished(5000)) {
            p.kill();
            p.waitForFinished(5000);
        }
    }
}
}  // namespace

bool XvfbServer::start(int width, int height) {
    if (QStandardPaths::findExecutable("Xvfb").isEmpty()) {
        return false;
    }
    int n = 140;
    while (QFile::exists(QString("/tmp/.X11-unix/X%1").arg(n)) ||
           QFile::exists(QString("/tmp/.X%1-lock").arg(n))) {
        ++n;
    }
    display_ = ":" + QString::number(n);
    process_.start("Xvfb", {display_, "-screen", "0", QString("%1x%2x24").arg(width).arg(height),
                            "-nolisten", "tcp", "-noreset"});
    if (!process_.waitForStarted(5000)) {
        return false;
    }
    QDeadlineTimer deadline(15000);
    while (!deadline.hasExpired()) {  // ready once a client can talk to it
        QProcess probe;
        probe.start("xdpyinfo", {"-display", display_});
        probe.waitForFinished(5000);
        if (probe.exitStatus() == QProcess::NormalExit && probe.exitCode() == 0) {
            return true;
        }
        if (process_.waitForFinished(100)) {
            return false;
        }
    }
    return false;
}

XvfbServer::~XvfbServer() { stopProcess(process_); }

QProcessEnvironment PulseServer::env() const {
    QProcessEnvironment e = QProcessEnvironment::systemEnvironment();
    e.insert("XDG_RUNTIME_DIR", dir_.path());
    e.insert("HOME", dir_.path());
    e.insert("PULSE_SERVER", "unix:" + socket_);
    return e;
}

bool PulseServer::start() {
    if (QStandardPaths::findExecutable("pulseaudio").isEmpty()) {
        return false;
    }
    socket_ = dir_.path() + "/pulse.sock";
    process_.setProcessEnvironment(env());
    process_.setWorkingDirectory(dir_.path());
    process_.start("pulseaudio",
                   {"--daemonize=no", "--exit-idle-time=-1", "--disallow-exit", "-n",
                    "--system=no", "--use-pid-file=no", "--disable-shm=yes",
                    "--load=module-native-protocol-unix auth-anonymous=1 socket=" + socket_,
                    "--load=module-null-sink sink_name=podium_null rate=48000"});
    if (!process_.waitForStarted(5000)) {
        return false;
    }
    QDeadlineTimer deadline(15000);
    while (!deadline.hasExpired()) {  // ready once pactl sees the null sink
        QProcess pactl;
        pactl.setProcessEnvironment(env());
        pactl.start("pactl", {"list", "short", "sources"});
        pactl.waitForFinished(5000);
        if (pactl.exitCode() == 0 && pactl.readAllStandardOutput().contains("podium_null")) {
            return true;
        }
        if (process_.waitForFinished(100)) {
            return false;
        }
    }
    return false;
}

PulseServer::~PulseServer() { stopProcess(process_); }

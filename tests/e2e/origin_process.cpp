#include "origin_process.h"

#include <QDeadlineTimer>
#include <QRegularExpression>
#include <QThread>
#include <csignal>

bool OriginProcess::start(const QString& program, const QStringList& args, const QString& marker,
                          QString* error, int timeoutMs) {
    process_.start(program, args);
    if (!process_.waitForStarted(10000)) {
        *error = "cannot start " + program;
        return false;
    }
    static const QRegularExpression url("(http://[0-9.]+:[0-9]+)");
    QDeadlineTimer deadline(timeoutMs);
    while (!deadline.hasExpired()) {
        process_.waitForReadyRead(200);
        output_ += QString::fromUtf8(process_.readAllStandardOutput());
        for (const auto& line : output_.split('\n')) {
            if (line.contains(marker)) {
                const auto m = url.match(line);
                if (m.hasMatch()) {
                    base_ = m.captured(1);
                    return true;
                }
            }
        }
        if (process_.state() == QProcess::NotRunning) {
            break;
        }
    }
    *error = output_ + errorOutput();
    return false;
}

OriginProcess::~OriginProcess() {
    if (process_.state() != QProcess::NotRunning) {
        ::kill(static_cast<pid_t>(process_.processId()), SIGINT);
        if (!process_.waitForFinished(15000)) {
            process_.kill();
            process_.waitForFinished();
        }
    }
}

int OriginProcess::interrupt(int timeoutMs) {
    ::kill(static_cast<pid_t>(process_.processId()), SIGINT);
    if (!process_.waitForFinished(timeoutMs)) {
        return -1;
    }
    return process_.exitStatus() == QProcess::NormalExit ? process_.exitCode() : -1;
}

QString OriginProcess::output() {
    output_ += QString::fromUtf8(process_.readAllStandardOutput());
    return output_;
}

QString OriginProcess::errorOutput() {
    errorOutput_ += QString::fromUtf8(process_.readAllStandardError());
    return errorOutput_;
}

int httpStatus(const QString& url, const QStringList& extraArgs) {
    const auto r = probe::run("curl", QStringList{"-s", "-o", "/dev/null", "-w", "%{http_code}",
                                                  "--max-time", "20"} +
                                          extraArgs + QStringList{url},
                              30000);
    return QString::fromUtf8(r.out).trimmed().toInt();
}

QString httpGetWithHeaders(const QString& url) {
    return QString::fromUtf8(probe::run("curl", {"-s", "-i", "--max-time", "20", url}, 30000).out);
}

bool waitForHttp200(const QString& url, int timeoutMs) {
    QDeadlineTimer deadline(timeoutMs);
    while (!deadline.hasExpired()) {
        if (httpStatus(url) == 200) {
            return true;
        }
        QThread::msleep(200);  // polling interval of a poll-with-deadline, not a synchronisation
    }
    return false;
}

#pragma once

#include <QProcess>
#include <QString>
#include <QStringList>

#include "probe.h"

/// A podium-cli or podium-origin process started for a test, with the base URL it printed
/// ("http://127.0.0.1:PORT"). Killed (SIGINT, then SIGKILL) when destroyed.
class OriginProcess {
public:
    /// Starts `program args` and waits (deadline) for a stdout line containing "http://" after
    /// `marker`; returns false (with the process output in `error`) if it never comes.
    bool start(const QString& program, const QStringList& args, const QString& marker,
               QString* error, int timeoutMs = 30000);
    ~OriginProcess();

    [[nodiscard]] QString base() const { return base_; }
    /// Sends SIGINT and waits for a clean exit; returns the exit code (-1 on timeout/crash).
    int interrupt(int timeoutMs = 30000);
    QString output();
    /// What the process wrote to stderr so far (its log).
    QString errorOutput();
    [[nodiscard]] qint64 pid() const { return process_.processId(); }

private:
    QProcess process_;
    QString base_;
    QString output_;
    QString errorOutput_;
};

/// Waits until GET url answers 200 (deadline); false otherwise.
bool waitForHttp200(const QString& url, int timeoutMs);

/// curl -s -o /dev/null -w "%{http_code}" with extra args; the status code (0 on failure).
int httpStatus(const QString& url, const QStringList& extraArgs = {});
/// curl -s -i: the response headers and body.
QString httpGetWithHeaders(const QString& url);

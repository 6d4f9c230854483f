#pragma once

#include <QByteArray>
#include <QDir>
#include <QProcess>
#include <QProcessEnvironment>
#include <QString>
#include <QTemporaryDir>

/// An Xvfb the test starts on a free display number and stops at the end.
class XvfbServer {
public:
    bool start(int width, int height);
    ~XvfbServer();
    [[nodiscard]] QString display() const { return display_; }

private:
    QProcess process_;
    QString display_;
};

/// A private PulseAudio daemon (works as root) with a null sink "podium_null"; its monitor
/// "podium_null.monitor" is a capture device. env() points clients at it.
class PulseServer {
public:
    bool start();
    ~PulseServer();
    [[nodiscard]] QProcessEnvironment env() const;
    /// "unix:<socket>", what PULSE_SERVER / pa_simple_new take.
    [[nodiscard]] QString address() const { return "unix:" + socket_; }
    /// A private folder for the test's files (removed with the server).
    [[nodiscard]] QString runtimeDir() const { return dir_.path(); }
    /// What the daemon printed on stderr (for failure messages).
    QByteArray errorOutput() { return process_.readAllStandardError(); }

private:
    QTemporaryDir dir_{QDir::tempPath() + "/podium-pulse-XXXXXX"};
    QProcess process_;
    QString socket_;
};

#pragma once

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

private:
    QTemporaryDir dir_{QDir::tempPath() + "/podium-pulse-XXXXXX"};
    QProcess process_;
    QString socket_;
};

#pragma once

#include <QMap>
#include <QProcessEnvironment>
#include <QString>
#include <QStringList>

/// A headless Wayland desktop for tests, run by tests/support/wayland-session.sh: a private
/// session bus, PipeWire + WirePlumber, sway (headless, CPU rendering) with one output of a
/// known colour, and the ScreenCast portal with no chooser dialog. start() runs the script and
/// reads the variables it exports; the destructor stops every process it started.
class WaylandSession {
public:
    enum class Outcome { Started = 1, Unavailable, Failed };

    /// `options` are the script's start options (--size WxH, --colour RRGGBB, --no-painter...).
    /// Unavailable: this machine lacks a program the session needs (see problem()).
    Outcome start(const QStringList& options = {});
    ~WaylandSession();
    /// Stops the session now (idempotent).
    void stop();

    /// Why start() did not give a session: the script's own words.
    [[nodiscard]] QString problem() const { return problem_; }
    /// The test process's environment with the session's variables, and without DISPLAY (an
    /// X11 display must not be what the client captures).
    [[nodiscard]] QProcessEnvironment env() const;
    /// One exported variable, e.g. "DBUS_SESSION_BUS_ADDRESS".
    [[nodiscard]] QString value(const QString& name) const { return exports_.value(name); }
    /// PID of a component ("xdg-desktop-portal-wlr", "pipewire", ...), 0 if unknown.
    [[nodiscard]] qint64 pid(const QString& component) const { return pids_.value(component); }
    /// The text a component logged so far ("xdg-desktop-portal-wlr", "sway", ...).
    [[nodiscard]] QString log(const QString& component) const;
    /// Applies the session's variables to this process (for in-process clients).
    void exportToThisProcess() const;
    /// tests/support/wayland-session.sh
    static QString script();

private:
    QMap<QString, QString> exports_;
    QMap<QString, qint64> pids_;
    QString dir_;
    QString problem_;
};

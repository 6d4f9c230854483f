#pragma once

#include <QCommandLineParser>
#include <QStringList>
#include <string>

#include "app/session/session.h"

namespace podium::cli {

/// Installs SIGINT/SIGTERM handlers that only set a flag (async-signal-safe).
void installStopSignals();
bool stopSignalled();

/// Parses `args` (without the command name); on error prints one line and returns false.
bool parseOrExplain(QCommandLineParser& parser, const QString& command, const QStringList& args);

/// "error: <message>" on stderr, one line. Returns 1 (the runtime-failure exit code).
int fail(const std::string& message);

/// One status line: elapsed time, per-rendition fps and bitrate, drops, segments, sinks.
/// Rates are computed from the difference to `previous` (the last line's stats).
std::string formatStatusLine(const app::SessionStats& now, const app::SessionStats& previous);

}  // namespace podium::cli

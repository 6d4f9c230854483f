#pragma once

#include <QString>

namespace podium::gui {

/// Turns engine states and error texts into sentences a broadcaster understands ("the
/// publishing point refused the password"). Pure functions, any thread.

/// What is wrong with one destination, or an empty string when it is fine.
/// `sinkName` as the engine names it ("archive /path", "origin live", "push https://..."),
/// `state` "live" | "failed" | "finished", `lastError` Status::toString() or empty.
QString describeSinkProblem(const QString& sinkName, const QString& state,
                            const QString& lastError);

/// Why the broadcast could not start or ended by itself (a Status::toString() text).
QString describeSessionError(const QString& error);

/// A warning when frames were dropped since the last look (the machine cannot keep up), or
/// an empty string. `droppedNow` counts frames dropped in the last `seconds`.
QString describeDrops(qulonglong droppedNow, double seconds);

}  // namespace podium::gui

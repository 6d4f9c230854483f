#pragma once

#include <QString>

#include "app/session/session.h"
#include "core/status.h"

namespace podium::gui {

/// Turns engine states and error texts into sentences a broadcaster understands ("the
/// publishing point refused the password"). Pure functions, any thread.

/// What is wrong with one destination, or an empty string when it is fine: what it is (from its
/// kind and place) and why (from the error's code; the details follow when the code says
/// nothing a broadcaster can act on).
QString describeDestinationProblem(const app::DestinationStatus& destination);

/// The state of a destination in a word ("live", "retrying", "failed"...), translated.
QString describeDestinationState(app::DestinationState state);

/// Why a source cannot be shown or used (a camera, a screen, a file), for the preview area:
/// from the error's subject, with its text as the details.
QString describeSourceProblem(const Status& error);

/// Why the broadcast could not start or ended by itself: from the error's subject (the source,
/// the local origin, the archive...) and code, with its text as the details.
QString describeSessionError(const Status& error);

/// What an orderly stop is waiting for: "Finishing the archive, 2 destinations sending the
/// last segments (at most 25 s more)". Empty when it is not stopping.
QString describeStopProgress(const app::StopProgress& progress);

/// The warning shown while live when the microphone gave nothing louder than the silence
/// threshold for `seconds`.
QString describeSilence(int seconds);

/// A warning when frames were dropped since the last look (the machine cannot keep up), or
/// an empty string. `droppedNow` counts frames dropped in the last `seconds`.
QString describeDrops(qulonglong droppedNow, double seconds);

}  // namespace podium::gui

#pragma once

#include <QStringList>

namespace podium::cli {

/// Each command takes the arguments after its name and returns the process exit code:
/// 0 success, 1 runtime failure (one clear line on stderr), 2 usage error.
int runStream(const QStringList& args);
int runPresets(const QStringList& args);
int runBench(const QStringList& args);
int runSources(const QStringList& args);

}  // namespace podium::cli

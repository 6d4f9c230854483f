#pragma once

#include <QCommandLineParser>
#include <optional>
#include <string>

#include "core/status.h"
#include "publisher/origin/origin_limits.h"

namespace podium::cli {

// Command-line options of the origin shared by podium-origin and podium-cli stream: one flag
// per row of the limits table (publisher/origin/origin_limits.h), and the secrets' checks.

/// Adds "--max-connections N" ... : one option per kOriginLimitRows row, with its default.
void addOriginLimitOptions(QCommandLineParser& parser);

/// The limits of the parsed options (the default for each one not given); an error names the
/// flag and what it takes.
[[nodiscard]] Result<publisher::origin::OriginLimits> originLimitsFrom(
    const QCommandLineParser& parser);

/// The value of secret option `name` ("publish-token"): nullopt when not given; an error when
/// given empty (an empty token would silently open what it should guard).
[[nodiscard]] Result<std::optional<std::string>> secretOption(const QCommandLineParser& parser,
                                                              const QString& name);

}  // namespace podium::cli

#pragma once

#include <QString>

#include "app/session/session.h"
#include "core/status.h"

namespace podium::gui {

class AppSettings;

/// Assembles the SessionConfig a Start needs from the settings: source, preset, the local
/// origin (127.0.0.1, or 0.0.0.0 when sharing on the LAN; a busy port becomes 0 = any free
/// port), and a fresh dated archive folder under the archive root. Errors name the setting.
/// GUI thread (reads AppSettings).
Result<app::SessionConfig> buildSessionConfig(const AppSettings& settings);

/// The viewer page for an origin listening on `port`: http://HOST:PORT/watch/CHANNEL[?code=..].
/// HOST is the LAN address when the origin listens on all interfaces.
QString viewerUrl(const app::OriginOptions& origin, uint16_t port);

/// True when nothing listens on address:port yet (a quick bind probe). Any thread.
bool portIsFree(const std::string& address, uint16_t port);

}  // namespace podium::gui

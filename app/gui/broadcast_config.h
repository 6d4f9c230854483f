#pragma once

#include "publisher/push/push_target.h"

#include <QString>

#include "app/gui/remote_destination.h"
#include "app/session/session.h"
#include "core/status.h"

namespace podium::gui {

class AppSettings;

/// What the preview and the broadcast capture, from the settings: the source, the preset, the
/// sound (AudioSpec) and the scene (title, webcam), with editableScene on so both may change
/// while live. No destinations. Errors name the setting.
Result<app::SessionConfig> buildCaptureConfig(const AppSettings& settings);

/// Assembles the SessionConfig a Start needs: buildCaptureConfig plus the local
/// origin (127.0.0.1, or 0.0.0.0 when sharing on the LAN; a busy port becomes 0 = any free
/// port), a fresh dated archive folder under the archive root, and the enabled remote
/// publishing points. Errors name the setting.
/// GUI thread (reads AppSettings).
Result<app::SessionConfig> buildSessionConfig(const AppSettings& settings);

/// The typed push target of a remote publishing point: protocol and URL through
/// PushTarget::parse (the parser podium-cli --publish uses), the credentials set as they are
/// (never re-encoded into the URL). Errors: InvalidArgument naming the destination.
Result<publisher::push::PushTarget> pushTarget(const RemoteDestination& destination);

/// The viewer page for an origin listening on `port`: http://HOST:PORT/watch/CHANNEL[?code=..].
/// HOST is the LAN address when the origin listens on all interfaces.
QString viewerUrl(const app::OriginOptions& origin, uint16_t port);

/// True when nothing listens on address:port yet (a quick bind probe). Any thread.
bool portIsFree(const std::string& address, uint16_t port);

}  // namespace podium::gui

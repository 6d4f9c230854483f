#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <stop_token>
#include <string>

#include "capture/dbus_connection.h"
#include "capture/unique_fd.h"
#include "core/status.h"

namespace podium::capture {

/// What to ask org.freedesktop.portal.ScreenCast for.
struct PortalRequest {
    static constexpr uint32_t kMonitor = 1;  ///< AvailableSourceTypes bits
    static constexpr uint32_t kWindow = 2;

    uint32_t sourceTypes = kMonitor | kWindow;  ///< kept to what the portal offers
    bool embedCursor = true;   ///< cursor_mode "embedded" when offered, else "hidden"
    bool persist = true;       ///< persist_mode 2 (portal version >= 4): a restore token
    std::string restoreToken;  ///< from an earlier Start: the desktop need not ask again
    /// How long CreateSession, SelectSources and OpenPipeWireRemote may take.
    std::chrono::milliseconds requestTimeout{10000};
    /// How long Start may take: the person is choosing in the desktop's dialog.
    std::chrono::milliseconds choiceTimeout{180000};
};

/// The one stream Start handed back.
struct PortalStream {
    uint32_t nodeId = 0;  ///< PipeWire node to connect to through the portal's remote
    int width = 0;        ///< "size" property (compositor coordinates); 0 = not given
    int height = 0;
    uint32_t sourceType = 0;   ///< 1 monitor, 2 window, 4 virtual; 0 = not given
    std::string restoreToken;  ///< single-use token for the next run; empty = none given
};

/// The xdg-desktop-portal ScreenCast exchange over D-Bus (sd-bus): CreateSession ->
/// SelectSources -> Start -> OpenPipeWireRemote. Every portal method answers at once with a
/// Request object and later with its Response signal; each Response is awaited with a deadline
/// (then the Request is closed). Not thread-safe: the owner's thread, or one thread it hands
/// the object to. The session is closed on destruction.
class PortalScreenCast {
public:
    static constexpr const char* kBusName = "org.freedesktop.portal.Desktop";
    static constexpr const char* kObjectPath = "/org/freedesktop/portal/desktop";
    static constexpr const char* kInterface = "org.freedesktop.portal.ScreenCast";

    struct Capabilities {
        uint32_t version = 0;
        uint32_t sourceTypes = 0;  ///< AvailableSourceTypes
        uint32_t cursorModes = 0;  ///< AvailableCursorModes (1 hidden, 2 embedded, 4 metadata)
    };

    /// Reads the portal's properties on `bus`. Fails in words when no portal is on the bus or it
    /// has no ScreenCast interface.
    static Result<std::unique_ptr<PortalScreenCast>> connect(
        DbusConnection bus, std::chrono::milliseconds timeout = std::chrono::seconds(5));
    ~PortalScreenCast();
    PortalScreenCast(const PortalScreenCast&) = delete;
    PortalScreenCast& operator=(const PortalScreenCast&) = delete;

    [[nodiscard]] const Capabilities& capabilities() const { return capabilities_; }

    /// CreateSession, SelectSources, Start: may show the desktop's "what to share" dialog.
    /// Once per object. A request for `stop` ends the wait (Cancelled).
    [[nodiscard]] Result<PortalStream> start(const PortalRequest& request,
                                             const std::stop_token& stop = {});
    /// OpenPipeWireRemote: a connection to PipeWire that sees only the shared streams. May be
    /// called again for a new connection while the session lasts.
    [[nodiscard]] Result<UniqueFd> openPipeWireRemote(
        std::chrono::milliseconds timeout = std::chrono::seconds(10));

    /// Handles the D-Bus messages that arrived, without waiting. Returns, from then on, why the
    /// session is over: the desktop closed it (the person clicked "Stop sharing") or the portal
    /// left the bus. nullopt while it lasts.
    [[nodiscard]] std::optional<Status> poll();
    /// Closes the session (Session.Close); idempotent.
    void close();

    /// The request/session object paths use this; exposed for the fake portal in tests.
    [[nodiscard]] const std::string& senderPathElement() const { return sender_; }

private:
    PortalScreenCast(DbusConnection bus, std::string owner, Capabilities capabilities);
    struct Response;
    /// Calls `method` (whose reply is a Request handle) and waits for the Response.
    [[nodiscard]] Result<DbusMessage> request(const std::string& method,
                                              const std::function<Result<void>(DbusMessage&)>& args,
                                              DbusMessage::Options options,
                                              std::chrono::milliseconds timeout,
                                              const std::stop_token& stop);
    [[nodiscard]] Result<void> watchSession();
    [[nodiscard]] std::string nextToken();

    DbusConnection bus_;
    std::string owner_;   ///< unique name of the portal's connection (signals must come from it)
    std::string sender_;  ///< our unique name as a path element
    Capabilities capabilities_;
    std::string sessionHandle_;
    bool started_ = false;
    uint32_t tokens_ = 0;
    DbusSignalMatch sessionClosed_;
    DbusSignalMatch ownerChanged_;
    std::optional<Status> ended_;
};

}  // namespace podium::capture

#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <stop_token>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "core/status.h"

struct sd_bus;
struct sd_bus_message;
struct sd_bus_slot;

namespace podium::capture {

/// An owned D-Bus message (sd-bus). Move-only; unrefs on destruction. Reading advances the
/// message's own cursor, as sd-bus does.
class DbusMessage {
public:
    DbusMessage() = default;
    /// Takes ownership of one reference.
    explicit DbusMessage(sd_bus_message* message) : message_(message) {}
    ~DbusMessage();
    DbusMessage(DbusMessage&& other) noexcept : message_(std::exchange(other.message_, nullptr)) {}
    DbusMessage& operator=(DbusMessage&& other) noexcept;
    DbusMessage(const DbusMessage&) = delete;
    DbusMessage& operator=(const DbusMessage&) = delete;

    [[nodiscard]] sd_bus_message* get() const { return message_; }
    [[nodiscard]] explicit operator bool() const { return message_ != nullptr; }

    /// One value of an `a{sv}` option dictionary, as the portals use them.
    using Value = std::variant<bool, uint32_t, std::string>;
    using Options = std::vector<std::pair<std::string, Value>>;

    [[nodiscard]] Result<void> appendString(const std::string& value);
    [[nodiscard]] Result<void> appendObjectPath(const std::string& value);
    [[nodiscard]] Result<void> appendOptions(const Options& options);

    /// Reads an `s` or `o` (object paths read as text).
    [[nodiscard]] Result<std::string> readString();
    [[nodiscard]] Result<uint32_t> readUint32();
    [[nodiscard]] Result<int32_t> readInt32();
    /// Reads a `h` and returns a CLOEXEC duplicate the caller owns (the message keeps its own).
    [[nodiscard]] Result<int> readUnixFd();
    /// Walks an `a{sv}` dictionary. `onEntry(key, signature)` is called positioned inside the
    /// variant, whose contents have type `signature`; it returns true when it read the value
    /// and false to have it skipped. An error it returns stops the walk.
    [[nodiscard]] Result<void> readOptions(
        const std::function<Result<bool>(const std::string& key, const std::string& signature)>&
            onEntry);
    /// Walks an array whose elements have type `signature` (e.g. "(ua{sv})"): `onElement` is
    /// called once per element, positioned at its start, and must read it whole.
    [[nodiscard]] Result<void> readArray(const std::string& signature,
                                         const std::function<Result<void>()>& onElement);
    /// Enters / leaves a struct `(...)` with the given contents signature.
    [[nodiscard]] Result<void> enterStruct(const std::string& contents);
    [[nodiscard]] Result<void> exitContainer();
    /// Skips a value of type `signature`.
    [[nodiscard]] Result<void> skip(const std::string& signature);

    /// Object path, interface and member of a signal or call (empty when absent).
    [[nodiscard]] std::string path() const;
    [[nodiscard]] std::string member() const;

private:
    sd_bus_message* message_ = nullptr;
};

/// A subscription to a signal; unsubscribes on destruction. Move-only.
class DbusSignalMatch {
public:
    DbusSignalMatch() = default;
    ~DbusSignalMatch();
    DbusSignalMatch(DbusSignalMatch&& other) noexcept;
    DbusSignalMatch& operator=(DbusSignalMatch&& other) noexcept;
    DbusSignalMatch(const DbusSignalMatch&) = delete;
    DbusSignalMatch& operator=(const DbusSignalMatch&) = delete;

    /// The callback a subscription runs (internal; the address sd-bus calls back with).
    struct Handler {
        std::function<void(DbusMessage&)> onSignal;
    };

private:
    friend class DbusConnection;
    sd_bus_slot* slot_ = nullptr;
    std::unique_ptr<Handler> handler_;
};

/// A client connection to a D-Bus bus through sd-bus (libsystemd): method calls with a
/// timeout, signal subscriptions, and a processing loop with a deadline. Not thread-safe:
/// one thread at a time (the owner hands it from the opening thread to a source thread and
/// back, never sharing it). Errors become Status with the D-Bus error name in words.
class DbusConnection {
public:
    using Clock = std::chrono::steady_clock;

    /// The session bus ($DBUS_SESSION_BUS_ADDRESS, else $XDG_RUNTIME_DIR/bus).
    static Result<DbusConnection> openSession();
    /// A bus at a D-Bus address ("unix:path=/run/...") — private buses in tests.
    static Result<DbusConnection> openAddress(const std::string& address);

    DbusConnection() = default;
    ~DbusConnection();
    DbusConnection(DbusConnection&& other) noexcept : bus_(std::exchange(other.bus_, nullptr)) {}
    DbusConnection& operator=(DbusConnection&& other) noexcept;
    DbusConnection(const DbusConnection&) = delete;
    DbusConnection& operator=(const DbusConnection&) = delete;

    [[nodiscard]] bool isOpen() const { return bus_ != nullptr; }
    /// Our unique name on the bus, e.g. ":1.42".
    [[nodiscard]] std::string uniqueName() const;

    [[nodiscard]] Result<DbusMessage> newMethodCall(const std::string& destination,
                                                    const std::string& path,
                                                    const std::string& interface,
                                                    const std::string& member);
    /// Sends `call` and waits up to `timeout` for the reply. A D-Bus error reply becomes a
    /// Status naming `what`: ServiceUnknown/NameHasNoOwner -> NotFound ("nothing owns <name>"),
    /// UnknownMethod/UnknownInterface/UnknownObject -> Unsupported, AccessDenied ->
    /// PermissionDenied, a timeout -> Unavailable.
    [[nodiscard]] Result<DbusMessage> call(DbusMessage& call, std::chrono::milliseconds timeout);
    /// org.freedesktop.DBus.Properties.Get of a `u` property.
    [[nodiscard]] Result<uint32_t> getUint32Property(const std::string& destination,
                                                     const std::string& path,
                                                     const std::string& interface,
                                                     const std::string& name,
                                                     std::chrono::milliseconds timeout);
    /// Whether some connection owns `name` (org.freedesktop.DBus.NameHasOwner).
    [[nodiscard]] Result<bool> nameHasOwner(const std::string& name,
                                            std::chrono::milliseconds timeout);

    /// Subscribes to a signal; empty fields match anything. `onSignal` runs inside
    /// process()/processUntil() on the calling thread; exceptions it throws are caught there.
    [[nodiscard]] Result<DbusSignalMatch> matchSignal(const std::string& sender,
                                                      const std::string& path,
                                                      const std::string& interface,
                                                      const std::string& member,
                                                      std::function<void(DbusMessage&)> onSignal);

    /// Handles every message already received, without waiting.
    [[nodiscard]] Result<void> process();
    /// Handles messages until `done()` holds (true), the deadline passes or `stop` is requested
    /// (false). Fails when the connection breaks.
    [[nodiscard]] Result<bool> processUntil(const std::function<bool()>& done,
                                            Clock::time_point deadline,
                                            const std::stop_token& stop = {});

private:
    explicit DbusConnection(sd_bus* bus) : bus_(bus) {}
    sd_bus* bus_ = nullptr;
};

/// D-Bus's object-path escaping of a unique name for portal request paths: ":1.42" -> "1_42".
std::string dbusSenderPathElement(const std::string& uniqueName);

}  // namespace podium::capture

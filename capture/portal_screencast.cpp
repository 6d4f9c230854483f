#include "portal_screencast.h"

#include <unistd.h>

#include "core/log.h"

namespace podium::capture {
namespace {

constexpr const char* kRequestInterface = "org.freedesktop.portal.Request";
constexpr const char* kSessionInterface = "org.freedesktop.portal.Session";
constexpr const char* kDbusName = "org.freedesktop.DBus";
constexpr const char* kDbusPath = "/org/freedesktop/DBus";
constexpr uint32_t kCursorHidden = 1;
constexpr uint32_t kCursorEmbedded = 2;
constexpr uint32_t kPersistUntilRevoked = 2;
constexpr const char* kComponent = "portal";

std::string seconds(std::chrono::milliseconds ms) {
    return std::to_string((ms.count() + 999) / 1000) + " s";
}

/// Reads `size` (ii) and `source_type` (u) of one stream's properties.
Result<bool> readStreamProperty(DbusMessage& m, const std::string& key,
                                const std::string& signature, PortalStream& stream) {
    if (key == "size" && signature == "(ii)") {
        if (auto r = m.enterStruct("ii"); !r) {
            return makeError(r.error());
        }
        auto w = m.readInt32();
        auto h = w ? m.readInt32() : makeError(w.error());
        if (!h) {
            return makeError(h.error());
        }
        stream.width = *w;
        stream.height = *h;
        if (auto r = m.exitContainer(); !r) {
            return makeError(r.error());
        }
        return true;
    }
    if (key == "source_type" && signature == "u") {
        auto type = m.readUint32();
        if (!type) {
            return makeError(type.error());
        }
        stream.sourceType = *type;
        return true;
    }
    return false;
}

}  // namespace

struct PortalScreenCast::Response {
    std::optional<uint32_t> code;
    DbusMessage results;  ///< positioned at the results a{sv}
};

PortalScreenCast::PortalScreenCast(DbusConnection bus, std::string owner, Capabilities capabilities)
    : bus_(std::move(bus)),
      owner_(std::move(owner)),
      sender_(dbusSenderPathElement(bus_.uniqueName())),
      capabilities_(capabilities) {}

PortalScreenCast::~PortalScreenCast() {
    close();
}

Result<std::unique_ptr<PortalScreenCast>> PortalScreenCast::connect(
    DbusConnection bus, std::chrono::milliseconds timeout) {
    Capabilities caps;
    auto version = bus.getUint32Property(kBusName, kObjectPath, kInterface, "version", timeout);
    if (!version) {
        const Status& e = version.error();
        if (e.code() == ErrorCode::NotFound) {
            return makeError(ErrorCode::NotFound,
                             "no desktop portal on the D-Bus session bus (nothing owns " +
                                 std::string(kBusName) +
                                 "): install xdg-desktop-portal and the desktop's backend "
                                 "(xdg-desktop-portal-gnome, -kde or -wlr)");
        }
        if (e.code() == ErrorCode::Unsupported) {
            return makeError(ErrorCode::Unsupported,
                             "the desktop portal cannot share the screen (no ScreenCast "
                             "interface): install the desktop's portal backend "
                             "(xdg-desktop-portal-gnome, -kde or -wlr)");
        }
        return makeError(e.withContext("desktop portal"));
    }
    caps.version = *version;
    auto types =
        bus.getUint32Property(kBusName, kObjectPath, kInterface, "AvailableSourceTypes", timeout);
    if (!types) {
        return makeError(types.error().withContext("desktop portal"));
    }
    caps.sourceTypes = *types;
    if (caps.version >= 2) {
        auto cursors = bus.getUint32Property(kBusName, kObjectPath, kInterface,
                                             "AvailableCursorModes", timeout);
        caps.cursorModes = cursors ? *cursors : 0;
    }
    // Signals are accepted only from the portal's own connection.
    auto call = bus.newMethodCall(kDbusName, kDbusPath, kDbusName, "GetNameOwner");
    if (!call) {
        return makeError(call.error());
    }
    if (auto r = call->appendString(kBusName); !r) {
        return makeError(r.error());
    }
    auto reply = bus.call(*call, timeout);
    if (!reply) {
        return makeError(reply.error().withContext("desktop portal"));
    }
    auto owner = reply->readString();
    if (!owner) {
        return makeError(owner.error().withContext("GetNameOwner"));
    }
    return std::unique_ptr<PortalScreenCast>(
        new PortalScreenCast(std::move(bus), std::move(*owner), caps));
}

std::string PortalScreenCast::nextToken() {
    return "podium_" + std::to_string(::getpid()) + "_" + std::to_string(++tokens_);
}

Result<DbusMessage> PortalScreenCast::request(const std::string& method,
                                              const std::function<Result<void>(DbusMessage&)>& args,
                                              DbusMessage::Options options,
                                              std::chrono::milliseconds timeout,
                                              const std::stop_token& stop) {
    const std::string token = nextToken();
    const std::string expected = std::string(kObjectPath) + "/request/" + sender_ + "/" + token;
    Response response;
    const auto onResponse = [&response](DbusMessage& m) {
        if (response.code) {
            return;
        }
        auto code = m.readUint32();
        response.code = code ? *code : 2;
        response.results = std::move(m);
    };
    // Subscribed before the call, so a quick Response is never missed.
    auto match = bus_.matchSignal(owner_, expected, kRequestInterface, "Response", onResponse);
    if (!match) {
        return makeError(match.error().withContext(method));
    }
    auto call = bus_.newMethodCall(kBusName, kObjectPath, kInterface, method);
    if (!call) {
        return makeError(call.error());
    }
    if (auto r = args(*call); !r) {
        return makeError(r.error().withContext(method));
    }
    options.emplace_back("handle_token", token);
    if (auto r = call->appendOptions(options); !r) {
        return makeError(r.error().withContext(method));
    }
    auto reply = bus_.call(*call, std::chrono::milliseconds(10000));
    if (!reply) {
        return makeError(reply.error().withContext("desktop portal"));
    }
    auto handle = reply->readString();
    if (!handle) {
        return makeError(handle.error().withContext(method));
    }
    DbusSignalMatch oldPortalMatch;  // portals before handle_token chose their own path
    if (*handle != expected) {
        auto other = bus_.matchSignal(owner_, *handle, kRequestInterface, "Response", onResponse);
        if (!other) {
            return makeError(other.error().withContext(method));
        }
        oldPortalMatch = std::move(*other);
    }
    const auto deadline = DbusConnection::Clock::now() + timeout;
    auto answered =
        bus_.processUntil([&response] { return response.code.has_value(); }, deadline, stop);
    if (!answered) {
        return makeError(answered.error().withContext(method));
    }
    if (!*answered) {
        // Withdraw the question (closes the dialog, if one is shown).
        if (auto close = bus_.newMethodCall(kBusName, *handle, kRequestInterface, "Close")) {
            (void)bus_.call(*close, std::chrono::milliseconds(2000));
        }
        if (stop.stop_requested()) {
            return makeError(ErrorCode::Cancelled,
                             "stopped while waiting for the desktop portal (" + method + ")");
        }
        return makeError(ErrorCode::Unavailable, "the desktop portal gave no answer to " + method +
                                                     " within " + seconds(timeout));
    }
    switch (*response.code) {
        case 0:
            return std::move(response.results);
        case 1:
            return makeError(ErrorCode::Cancelled,
                             "screen sharing was cancelled in the desktop's dialog");
        default:
            return makeError(ErrorCode::Unavailable, "the desktop portal refused " + method +
                                                         " (response " +
                                                         std::to_string(*response.code) + ")");
    }
}

Result<void> PortalScreenCast::watchSession() {
    auto closed =
        bus_.matchSignal(owner_, sessionHandle_, kSessionInterface, "Closed", [this](DbusMessage&) {
            if (!ended_) {
                ended_ = Status(ErrorCode::Unavailable,
                                "the desktop stopped the screen "
                                "sharing");
            }
        });
    if (!closed) {
        return makeError(closed.error());
    }
    sessionClosed_ = std::move(*closed);
    auto owner = bus_.matchSignal(
        kDbusName, kDbusPath, kDbusName, "NameOwnerChanged", [this](DbusMessage& m) {
            auto name = m.readString();
            auto before = name ? m.readString() : name;
            if (name && before && *name == kBusName && *before == owner_ && !ended_) {
                ended_ = Status(ErrorCode::Unavailable, "the desktop portal left the session bus");
            }
        });
    if (!owner) {
        return makeError(owner.error());
    }
    ownerChanged_ = std::move(*owner);
    return ok();
}

Result<PortalStream> PortalScreenCast::start(const PortalRequest& req,
                                             const std::stop_token& stop) {
    if (started_) {
        return makeError(ErrorCode::FailedPrecondition, "the portal session was already started");
    }
    started_ = true;
    const uint32_t types = req.sourceTypes & capabilities_.sourceTypes;
    if (types == 0) {
        return makeError(ErrorCode::Unsupported,
                         "the desktop portal shares neither monitors nor windows "
                         "(AvailableSourceTypes " +
                             std::to_string(capabilities_.sourceTypes) + ")");
    }
    const auto none = [](DbusMessage&) { return ok(); };
    const auto session = [this](DbusMessage& m) { return m.appendObjectPath(sessionHandle_); };

    // 1. CreateSession -> the session's object path.
    auto created = request("CreateSession", none, {{"session_handle_token", nextToken()}},
                           req.requestTimeout, stop);
    if (!created) {
        return makeError(created.error());
    }
    std::string handle;
    auto parsed = created->readOptions([&](const std::string& key, const std::string& sig) {
        if (key != "session_handle" || (sig != "s" && sig != "o")) {
            return Result<bool>(false);
        }
        auto text = created->readString();
        if (!text) {
            return Result<bool>(makeError(text.error()));
        }
        handle = *text;
        return Result<bool>(true);
    });
    if (!parsed) {
        return makeError(parsed.error().withContext("CreateSession"));
    }
    if (handle.empty()) {
        return makeError(ErrorCode::Parse, "CreateSession: the portal returned no session_handle");
    }
    sessionHandle_ = handle;
    if (auto r = watchSession(); !r) {
        return makeError(r.error());
    }

    // 2. SelectSources: what may be shared, the cursor, and whether the choice is kept.
    DbusMessage::Options select{{"types", types}, {"multiple", false}};
    if (capabilities_.version >= 2 && capabilities_.cursorModes != 0) {
        const bool embedded = req.embedCursor && (capabilities_.cursorModes & kCursorEmbedded);
        if (embedded || (capabilities_.cursorModes & kCursorHidden)) {
            select.emplace_back("cursor_mode", embedded ? kCursorEmbedded : kCursorHidden);
        }
    }
    if (capabilities_.version >= 4 && req.persist) {
        select.emplace_back("persist_mode", kPersistUntilRevoked);
        if (!req.restoreToken.empty()) {
            select.emplace_back("restore_token", req.restoreToken);
        }
    }
    auto selected = request("SelectSources", session, std::move(select), req.requestTimeout, stop);
    if (!selected) {
        return makeError(selected.error());
    }

    // 3. Start: the desktop asks the person what to share (unless the token restores it).
    auto startArgs = [this](DbusMessage& m) -> Result<void> {
        if (auto r = m.appendObjectPath(sessionHandle_); !r) {
            return r;
        }
        return m.appendString("");  // parent window: none (a CLI, or not exported)
    };
    auto started = request("Start", startArgs, {}, req.choiceTimeout, stop);
    if (!started) {
        return makeError(started.error());
    }
    PortalStream stream;
    int streams = 0;
    parsed = started->readOptions([&](const std::string& key, const std::string& sig) {
        if (key == "restore_token" && sig == "s") {
            auto token = started->readString();
            if (!token) {
                return Result<bool>(makeError(token.error()));
            }
            stream.restoreToken = *token;
            return Result<bool>(true);
        }
        if (key != "streams" || sig != "a(ua{sv})") {
            return Result<bool>(false);
        }
        auto each = started->readArray("(ua{sv})", [&]() -> Result<void> {
            // With "multiple" false there is one stream; a portal known to send extra ones
            // puts the real one last, so the last one wins.
            PortalStream one;
            if (auto r = started->enterStruct("ua{sv}"); !r) {
                return r;
            }
            auto node = started->readUint32();
            if (!node) {
                return makeError(node.error());
            }
            one.nodeId = *node;
            auto props = started->readOptions([&](const std::string& k, const std::string& s) {
                return readStreamProperty(*started, k, s, one);
            });
            if (!props) {
                return props;
            }
            stream.nodeId = one.nodeId;
            stream.width = one.width;
            stream.height = one.height;
            stream.sourceType = one.sourceType;
            ++streams;
            return started->exitContainer();
        });
        if (!each) {
            return Result<bool>(makeError(each.error()));
        }
        return Result<bool>(true);
    });
    if (!parsed) {
        return makeError(parsed.error().withContext("Start"));
    }
    if (streams == 0) {
        return makeError(ErrorCode::Unavailable, "Start: the desktop portal shared no stream");
    }
    logInfo(kComponent, "sharing PipeWire node " + std::to_string(stream.nodeId) +
                            (stream.width > 0 ? " (" + std::to_string(stream.width) + "x" +
                                                    std::to_string(stream.height) + ")"
                                              : std::string()) +
                            (req.restoreToken.empty() ? "" : ", restore token offered"));
    return stream;
}

Result<UniqueFd> PortalScreenCast::openPipeWireRemote(std::chrono::milliseconds timeout) {
    if (sessionHandle_.empty()) {
        return makeError(ErrorCode::FailedPrecondition, "no portal session");
    }
    auto call = bus_.newMethodCall(kBusName, kObjectPath, kInterface, "OpenPipeWireRemote");
    if (!call) {
        return makeError(call.error());
    }
    if (auto r = call->appendObjectPath(sessionHandle_); !r) {
        return makeError(r.error());
    }
    if (auto r = call->appendOptions({}); !r) {
        return makeError(r.error());
    }
    auto reply = bus_.call(*call, timeout);
    if (!reply) {
        return makeError(reply.error().withContext("desktop portal"));
    }
    auto fd = reply->readUnixFd();
    if (!fd) {
        return makeError(fd.error().withContext("OpenPipeWireRemote"));
    }
    return UniqueFd(*fd);
}

std::optional<Status> PortalScreenCast::poll() {
    if (!ended_) {
        if (auto r = bus_.process(); !r) {
            ended_ =
                Status(ErrorCode::Unavailable, "lost the D-Bus connection to the desktop portal");
        }
    }
    return ended_;
}

void PortalScreenCast::close() {
    if (sessionHandle_.empty() || !bus_.isOpen()) {
        return;
    }
    const std::string handle = std::exchange(sessionHandle_, {});
    sessionClosed_ = DbusSignalMatch();
    ownerChanged_ = DbusSignalMatch();
    if (auto call = bus_.newMethodCall(kBusName, handle, kSessionInterface, "Close")) {
        if (auto r = bus_.call(*call, std::chrono::milliseconds(2000)); !r) {
            logDebug(kComponent, "closing the session: " + r.error().toString());
        }
    }
}

}  // namespace podium::capture

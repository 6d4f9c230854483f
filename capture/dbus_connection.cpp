#include "dbus_connection.h"

#include <fcntl.h>
#include <systemd/sd-bus.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <exception>

#include "core/log.h"

namespace podium::capture {
namespace {

constexpr const char* kBusName = "org.freedesktop.DBus";
constexpr const char* kBusPath = "/org/freedesktop/DBus";

std::string errnoText(int negativeErrno) {
    return std::strerror(-negativeErrno);
}

/// A sd-bus return code (negative errno) as a Status about `what`.
Status errnoStatus(int r, const std::string& what) {
    ErrorCode code = ErrorCode::Unavailable;
    if (r == -ENOMEM || r == -EINVAL) {
        code = ErrorCode::Internal;
    } else if (r == -EACCES || r == -EPERM) {
        code = ErrorCode::PermissionDenied;
    }
    return Status(code, what + ": " + errnoText(r));
}

/// A D-Bus error reply (or a local failure) as a Status about `what`.
Status callStatus(int r, const sd_bus_error& error, const std::string& what,
                  const std::string& destination) {
    if (!sd_bus_error_is_set(&error)) {
        if (r == -ETIMEDOUT) {
            return Status(ErrorCode::Unavailable, what + ": no reply from " + destination);
        }
        return errnoStatus(r, what);
    }
    const std::string name = error.name ? error.name : "";
    const std::string message = error.message ? error.message : name;
    if (sd_bus_error_has_names(&error, SD_BUS_ERROR_SERVICE_UNKNOWN,
                               SD_BUS_ERROR_NAME_HAS_NO_OWNER)) {
        return Status(ErrorCode::NotFound,
                      what + ": nothing on the D-Bus session bus answers as " + destination);
    }
    if (sd_bus_error_has_names(&error, SD_BUS_ERROR_UNKNOWN_METHOD, SD_BUS_ERROR_UNKNOWN_INTERFACE,
                               SD_BUS_ERROR_UNKNOWN_OBJECT, SD_BUS_ERROR_UNKNOWN_PROPERTY)) {
        return Status(ErrorCode::Unsupported,
                      what + ": " + destination + " does not offer it (" + message + ")");
    }
    if (sd_bus_error_has_names(&error, SD_BUS_ERROR_ACCESS_DENIED, SD_BUS_ERROR_AUTH_FAILED)) {
        return Status(ErrorCode::PermissionDenied, what + ": refused (" + message + ")");
    }
    if (sd_bus_error_has_names(&error, SD_BUS_ERROR_NO_REPLY, SD_BUS_ERROR_TIMEOUT)) {
        return Status(ErrorCode::Unavailable, what + ": no reply from " + destination);
    }
    return Status(ErrorCode::Unavailable, what + ": " + message + " (" + name + ")");
}

/// Frees an sd_bus_error on scope exit.
struct ScopedBusError {
    sd_bus_error error = SD_BUS_ERROR_NULL;
    ~ScopedBusError() { sd_bus_error_free(&error); }
};

Result<void> check(int r, const char* what) {
    if (r < 0) {
        return makeError(errnoStatus(r, std::string("D-Bus message: ") + what));
    }
    return ok();
}

}  // namespace

// ---------------------------------------------------------------- DbusMessage

DbusMessage::~DbusMessage() {
    sd_bus_message_unref(message_);
}

DbusMessage& DbusMessage::operator=(DbusMessage&& other) noexcept {
    if (this != &other) {
        sd_bus_message_unref(message_);
        message_ = std::exchange(other.message_, nullptr);
    }
    return *this;
}

Result<void> DbusMessage::appendString(const std::string& value) {
    return check(sd_bus_message_append_basic(message_, 's', value.c_str()), "append string");
}

Result<void> DbusMessage::appendObjectPath(const std::string& value) {
    return check(sd_bus_message_append_basic(message_, 'o', value.c_str()), "append object path");
}

Result<void> DbusMessage::appendOptions(const Options& options) {
    if (auto r = check(sd_bus_message_open_container(message_, 'a', "{sv}"), "open a{sv}"); !r) {
        return r;
    }
    for (const auto& [key, value] : options) {
        int r = sd_bus_message_open_container(message_, 'e', "sv");
        if (r >= 0) {
            r = sd_bus_message_append_basic(message_, 's', key.c_str());
        }
        if (r >= 0) {
            if (const auto* b = std::get_if<bool>(&value)) {
                const int flag = *b ? 1 : 0;
                r = sd_bus_message_append(message_, "v", "b", flag);
            } else if (const auto* u = std::get_if<uint32_t>(&value)) {
                r = sd_bus_message_append(message_, "v", "u", *u);
            } else {
                r = sd_bus_message_append(message_, "v", "s", std::get<std::string>(value).c_str());
            }
        }
        if (r >= 0) {
            r = sd_bus_message_close_container(message_);
        }
        if (r < 0) {
            return makeError(errnoStatus(r, "D-Bus message: option " + key));
        }
    }
    return check(sd_bus_message_close_container(message_), "close a{sv}");
}

Result<std::string> DbusMessage::readString() {
    char type = 0;
    const char* contents = nullptr;
    int r = sd_bus_message_peek_type(message_, &type, &contents);
    if (r <= 0 || (type != 's' && type != 'o')) {
        return makeError(ErrorCode::Parse, "D-Bus message: expected a string");
    }
    const char* text = nullptr;
    r = sd_bus_message_read_basic(message_, type, &text);
    if (r <= 0 || text == nullptr) {
        return makeError(ErrorCode::Parse, "D-Bus message: expected a string");
    }
    return std::string(text);
}

Result<uint32_t> DbusMessage::readUint32() {
    uint32_t value = 0;
    if (sd_bus_message_read_basic(message_, 'u', &value) <= 0) {
        return makeError(ErrorCode::Parse, "D-Bus message: expected a uint32");
    }
    return value;
}

Result<int32_t> DbusMessage::readInt32() {
    int32_t value = 0;
    if (sd_bus_message_read_basic(message_, 'i', &value) <= 0) {
        return makeError(ErrorCode::Parse, "D-Bus message: expected an int32");
    }
    return value;
}

Result<int> DbusMessage::readUnixFd() {
    int fd = -1;
    if (sd_bus_message_read_basic(message_, 'h', &fd) <= 0 || fd < 0) {
        return makeError(ErrorCode::Parse, "D-Bus message: expected a file descriptor");
    }
    const int owned = fcntl(fd, F_DUPFD_CLOEXEC, 3);
    if (owned < 0) {
        return makeError(errnoStatus(-errno, "D-Bus message: duplicating the file descriptor"));
    }
    return owned;
}

Result<void> DbusMessage::readOptions(
    const std::function<Result<bool>(const std::string&, const std::string&)>& onEntry) {
    if (sd_bus_message_enter_container(message_, 'a', "{sv}") <= 0) {
        return makeError(ErrorCode::Parse, "D-Bus message: expected an a{sv} dictionary");
    }
    for (;;) {
        const int entered = sd_bus_message_enter_container(message_, 'e', "sv");
        if (entered < 0) {
            return makeError(ErrorCode::Parse, "D-Bus message: bad a{sv} entry");
        }
        if (entered == 0) {
            break;
        }
        const char* key = nullptr;
        char type = 0;
        const char* signature = nullptr;
        if (sd_bus_message_read_basic(message_, 's', &key) <= 0 ||
            sd_bus_message_peek_type(message_, &type, &signature) <= 0 || type != 'v' ||
            signature == nullptr || sd_bus_message_enter_container(message_, 'v', signature) <= 0) {
            return makeError(ErrorCode::Parse, "D-Bus message: bad a{sv} entry");
        }
        const std::string keyText = key;
        const std::string contents = signature;
        auto consumed = onEntry(keyText, contents);
        if (!consumed) {
            return makeError(consumed.error().withContext("option " + keyText));
        }
        if (!*consumed && sd_bus_message_skip(message_, contents.c_str()) < 0) {
            return makeError(ErrorCode::Parse, "D-Bus message: cannot skip option " + keyText);
        }
        if (sd_bus_message_exit_container(message_) < 0 ||
            sd_bus_message_exit_container(message_) < 0) {
            return makeError(ErrorCode::Parse,
                             "D-Bus message: option " + keyText + " has more than its type says");
        }
    }
    return check(sd_bus_message_exit_container(message_), "leave a{sv}");
}

Result<void> DbusMessage::readArray(const std::string& signature,
                                    const std::function<Result<void>()>& onElement) {
    if (sd_bus_message_enter_container(message_, 'a', signature.c_str()) <= 0) {
        return makeError(ErrorCode::Parse, "D-Bus message: expected an array of " + signature);
    }
    while (sd_bus_message_at_end(message_, 0) == 0) {
        if (auto r = onElement(); !r) {
            return r;
        }
    }
    return check(sd_bus_message_exit_container(message_), "leave array");
}

Result<void> DbusMessage::enterStruct(const std::string& contents) {
    if (sd_bus_message_enter_container(message_, 'r', contents.c_str()) <= 0) {
        return makeError(ErrorCode::Parse, "D-Bus message: expected (" + contents + ")");
    }
    return ok();
}

Result<void> DbusMessage::exitContainer() {
    return check(sd_bus_message_exit_container(message_), "leave container");
}

Result<void> DbusMessage::skip(const std::string& signature) {
    return check(sd_bus_message_skip(message_, signature.c_str()), "skip");
}

std::string DbusMessage::path() const {
    const char* p = sd_bus_message_get_path(message_);
    return p ? p : "";
}

std::string DbusMessage::member() const {
    const char* m = sd_bus_message_get_member(message_);
    return m ? m : "";
}

// ---------------------------------------------------------------- DbusSignalMatch

namespace {

int dispatchSignal(sd_bus_message* m, void* userdata, sd_bus_error* /*error*/) noexcept {
    auto* handler = static_cast<DbusSignalMatch::Handler*>(userdata);
    try {
        DbusMessage message(sd_bus_message_ref(m));
        handler->onSignal(message);
    } catch (const std::exception& e) {
        logError("dbus", std::string("signal handler failed: ") + e.what());
    } catch (...) {
        logError("dbus", "signal handler failed");
    }
    return 0;
}

}  // namespace

DbusSignalMatch::~DbusSignalMatch() {
    sd_bus_slot_unref(slot_);
}

DbusSignalMatch::DbusSignalMatch(DbusSignalMatch&& other) noexcept
    : slot_(std::exchange(other.slot_, nullptr)), handler_(std::move(other.handler_)) {}

DbusSignalMatch& DbusSignalMatch::operator=(DbusSignalMatch&& other) noexcept {
    if (this != &other) {
        sd_bus_slot_unref(slot_);
        slot_ = std::exchange(other.slot_, nullptr);
        handler_ = std::move(other.handler_);
    }
    return *this;
}

// ---------------------------------------------------------------- DbusConnection

Result<DbusConnection> DbusConnection::openSession() {
    sd_bus* bus = nullptr;
    const int r = sd_bus_open_user_with_description(&bus, "podium");
    if (r < 0) {
        return makeError(ErrorCode::Unavailable,
                         "cannot reach the D-Bus session bus (" + errnoText(r) +
                             "): is this a desktop session? DBUS_SESSION_BUS_ADDRESS is " +
                             (std::getenv("DBUS_SESSION_BUS_ADDRESS") ? "set" : "not set"));
    }
    return DbusConnection(bus);
}

Result<DbusConnection> DbusConnection::openAddress(const std::string& address) {
    sd_bus* bus = nullptr;
    int r = sd_bus_new(&bus);
    if (r >= 0) {
        r = sd_bus_set_address(bus, address.c_str());
    }
    if (r >= 0) {
        r = sd_bus_set_bus_client(bus, 1);
    }
    if (r >= 0) {
        r = sd_bus_start(bus);
    }
    if (r < 0) {
        sd_bus_unref(bus);
        return makeError(ErrorCode::Unavailable,
                         "cannot reach the D-Bus bus at " + address + " (" + errnoText(r) + ")");
    }
    return DbusConnection(bus);
}

DbusConnection::~DbusConnection() {
    sd_bus_flush_close_unref(bus_);
}

DbusConnection& DbusConnection::operator=(DbusConnection&& other) noexcept {
    if (this != &other) {
        sd_bus_flush_close_unref(bus_);
        bus_ = std::exchange(other.bus_, nullptr);
    }
    return *this;
}

std::string DbusConnection::uniqueName() const {
    const char* name = nullptr;
    if (bus_ == nullptr || sd_bus_get_unique_name(bus_, &name) < 0 || name == nullptr) {
        return {};
    }
    return name;
}

Result<DbusMessage> DbusConnection::newMethodCall(const std::string& destination,
                                                  const std::string& path,
                                                  const std::string& interface,
                                                  const std::string& member) {
    sd_bus_message* m = nullptr;
    const int r = sd_bus_message_new_method_call(bus_, &m, destination.c_str(), path.c_str(),
                                                 interface.c_str(), member.c_str());
    if (r < 0) {
        return makeError(errnoStatus(r, "D-Bus call " + member));
    }
    return DbusMessage(m);
}

Result<DbusMessage> DbusConnection::call(DbusMessage& message, std::chrono::milliseconds timeout) {
    ScopedBusError error;
    sd_bus_message* reply = nullptr;
    const uint64_t usec = uint64_t(std::max<int64_t>(1, timeout.count())) * 1000;
    const int r = sd_bus_call(bus_, message.get(), usec, &error.error, &reply);
    if (r < 0) {
        const char* dest = sd_bus_message_get_destination(message.get());
        return makeError(callStatus(r, error.error, message.member(), dest ? dest : "the bus"));
    }
    return DbusMessage(reply);
}

Result<uint32_t> DbusConnection::getUint32Property(const std::string& destination,
                                                   const std::string& path,
                                                   const std::string& interface,
                                                   const std::string& name,
                                                   std::chrono::milliseconds timeout) {
    auto m = newMethodCall(destination, path, "org.freedesktop.DBus.Properties", "Get");
    if (!m) {
        return makeError(m.error());
    }
    if (auto r = m->appendString(interface); !r) {
        return makeError(r.error());
    }
    if (auto r = m->appendString(name); !r) {
        return makeError(r.error());
    }
    auto reply = call(*m, timeout);
    if (!reply) {
        return makeError(reply.error().withContext(interface + "." + name));
    }
    uint32_t value = 0;
    if (sd_bus_message_read(reply->get(), "v", "u", &value) <= 0) {
        return makeError(ErrorCode::Parse, interface + "." + name + " is not a uint32");
    }
    return value;
}

Result<bool> DbusConnection::nameHasOwner(const std::string& name,
                                          std::chrono::milliseconds timeout) {
    auto m = newMethodCall(kBusName, kBusPath, kBusName, "NameHasOwner");
    if (!m) {
        return makeError(m.error());
    }
    if (auto r = m->appendString(name); !r) {
        return makeError(r.error());
    }
    auto reply = call(*m, timeout);
    if (!reply) {
        return makeError(reply.error());
    }
    int owned = 0;
    if (sd_bus_message_read_basic(reply->get(), 'b', &owned) <= 0) {
        return makeError(ErrorCode::Parse, "NameHasOwner: unexpected reply");
    }
    return owned != 0;
}

Result<DbusSignalMatch> DbusConnection::matchSignal(const std::string& sender,
                                                    const std::string& path,
                                                    const std::string& interface,
                                                    const std::string& member,
                                                    std::function<void(DbusMessage&)> onSignal) {
    DbusSignalMatch match;
    match.handler_ = std::make_unique<DbusSignalMatch::Handler>();
    match.handler_->onSignal = std::move(onSignal);
    const auto orNull = [](const std::string& s) { return s.empty() ? nullptr : s.c_str(); };
    const int r =
        sd_bus_match_signal(bus_, &match.slot_, orNull(sender), orNull(path), orNull(interface),
                            orNull(member), &dispatchSignal, match.handler_.get());
    if (r < 0) {
        return makeError(errnoStatus(r, "D-Bus: subscribing to " + interface + "." + member));
    }
    return match;
}

Result<void> DbusConnection::process() {
    for (;;) {
        const int r = sd_bus_process(bus_, nullptr);
        if (r < 0) {
            return makeError(errnoStatus(r, "D-Bus connection lost"));
        }
        if (r == 0) {
            return ok();
        }
    }
}

Result<bool> DbusConnection::processUntil(const std::function<bool()>& done,
                                          Clock::time_point deadline, const std::stop_token& stop) {
    constexpr auto kSlice = std::chrono::milliseconds(50);  // how soon a stop is noticed
    for (;;) {
        const int r = sd_bus_process(bus_, nullptr);
        if (r < 0) {
            return makeError(errnoStatus(r, "D-Bus connection lost"));
        }
        if (done()) {
            return true;
        }
        if (r > 0) {
            continue;  // more may be queued
        }
        const auto now = Clock::now();
        if (now >= deadline || stop.stop_requested()) {
            return false;
        }
        const auto wait = std::min<Clock::duration>(deadline - now, kSlice);
        const int w = sd_bus_wait(
            bus_, uint64_t(std::chrono::duration_cast<std::chrono::microseconds>(wait).count()));
        if (w < 0 && w != -EINTR) {
            return makeError(errnoStatus(w, "D-Bus connection lost"));
        }
    }
}

std::string dbusSenderPathElement(const std::string& uniqueName) {
    std::string out = uniqueName.rfind(':', 0) == 0 ? uniqueName.substr(1) : uniqueName;
    std::replace(out.begin(), out.end(), '.', '_');
    return out;
}

}  // namespace podium::capture

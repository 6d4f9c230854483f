// The ScreenCast portal exchange (PortalScreenCast over DbusConnection) against a fake portal
// on a private D-Bus bus: a real dbus-daemon, and a small sd-bus service in this test that
// answers CreateSession / SelectSources / Start / OpenPipeWireRemote as xdg-desktop-portal
// does (Request objects, Response signals), and can cancel, refuse, stay silent, close the
// session or leave the bus: the faults a real desktop produces only with a person at it.
#include <QtTest>

#include <sys/socket.h>
#include <systemd/sd-bus.h>
#include <unistd.h>

#include <atomic>
#include <mutex>
#include <thread>

#include "capture/portal_screencast.h"
#include "core/thread.h"

using namespace podium;
using namespace podium::capture;
using namespace std::chrono_literals;

namespace {

/// A dbus-daemon of our own, listening in a temporary folder.
class PrivateBus {
public:
    bool start() {
        const QString config = dir_.filePath("bus.conf");
        QFile file(config);
        if (!file.open(QIODevice::WriteOnly)) {
            return false;
        }
        file.write(QString("<!DOCTYPE busconfig PUBLIC \"-//freedesktop//DTD D-BUS Bus "
                           "Configuration 1.0//EN\" "
                           "\"http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd\">"
                           "<busconfig><type>session</type><listen>unix:path=%1/bus</listen>"
                           "<auth>EXTERNAL</auth><policy context=\"default\">"
                           "<allow send_destination=\"*\" eavesdrop=\"true\"/>"
                           "<allow eavesdrop=\"true\"/><allow own=\"*\"/></policy></busconfig>")
                       .arg(dir_.path())
                       .toUtf8());
        file.close();
        process_.start("dbus-daemon", {"--config-file=" + config, "--nofork", "--print-address=1"});
        if (!process_.waitForStarted(5000) || !process_.waitForReadyRead(10000)) {
            return false;
        }
        address_ = QString::fromUtf8(process_.readLine()).trimmed();
        return !address_.isEmpty();
    }
    ~PrivateBus() {
        process_.terminate();
        if (!process_.waitForFinished(5000)) {
            process_.kill();
            process_.waitForFinished(5000);
        }
    }
    [[nodiscard]] std::string address() const { return address_.toStdString(); }

private:
    QTemporaryDir dir_;
    QProcess process_;
    QString address_;
};

/// How the fake answers.
struct FakeBehaviour {
    uint32_t version = 4;
    uint32_t sourceTypes = 1 | 2;
    uint32_t cursorModes = 1 | 2;
    bool hasScreenCast = true;
    int startResponse = 0;  ///< 0 ok, 1 cancelled, 2 refused, -1 never answers
    bool giveRestoreToken = true;
};

/// What the fake saw.
struct FakeRecord {
    std::map<std::string, uint32_t> selectUints;  ///< types, cursor_mode, persist_mode
    std::string restoreToken;                     ///< restore_token passed to SelectSources
    std::vector<std::string> requestsClosed;      ///< Request.Close calls (paths)
    bool sessionClosed = false;
    std::string lastRequestPath;
    std::string sessionPath;
};

/// xdg-desktop-portal's ScreenCast side, reduced to what a client sees.
class FakePortal {
public:
    explicit FakePortal(FakeBehaviour behaviour) : behaviour_(behaviour) {}
    ~FakePortal() { stop(); }

    bool start(const std::string& address) {
        if (sd_bus_new(&bus_) < 0 || sd_bus_set_address(bus_, address.c_str()) < 0 ||
            sd_bus_set_bus_client(bus_, 1) < 0 || sd_bus_start(bus_) < 0) {
            return false;
        }
        if (sd_bus_request_name(bus_, PortalScreenCast::kBusName, 0) < 0) {
            return false;
        }
        if (sd_bus_add_object(bus_, nullptr, PortalScreenCast::kObjectPath, &FakePortal::onCall,
                              this) < 0 ||
            sd_bus_add_fallback(bus_, nullptr, PortalScreenCast::kObjectPath, &FakePortal::onCall,
                                this) < 0) {
            return false;
        }
        // The bus is used by this thread only (sd-bus is not thread-safe).
        auto thread = startThread("fake-portal", [this](std::stop_token stop) {
            while (!stop.stop_requested()) {
                if (closeRequested_.exchange(false)) {
                    std::lock_guard lock(mutex_);
                    sd_bus_emit_signal(bus_, record_.sessionPath.c_str(),
                                       "org.freedesktop.portal.Session", "Closed", "a{sv}", 0);
                }
                {
                    std::lock_guard lock(mutex_);
                    while (sd_bus_process(bus_, nullptr) > 0) {
                    }
                }
                sd_bus_wait(bus_, 20000);
            }
        });
        if (!thread) {
            return false;
        }
        thread_ = std::move(*thread);
        return true;
    }

    void stop() {
        if (thread_.joinable()) {
            thread_.request_stop();
            thread_.join();
        }
        if (bus_ != nullptr) {
            bus_ = sd_bus_flush_close_unref(bus_);
        }
    }

    /// Ends the fake's connection: the portal leaves the bus.
    void leaveBus() { stop(); }

    /// Emits org.freedesktop.portal.Session::Closed on the session, as the desktop does when
    /// the person clicks "Stop sharing".
    void closeSession() { closeRequested_ = true; }

    FakeRecord record() {
        std::lock_guard lock(mutex_);
        return record_;
    }

private:
    static int onCall(sd_bus_message* m, void* userdata, sd_bus_error* /*error*/) {
        return static_cast<FakePortal*>(userdata)->handle(m);
    }

    /// Reads handle_token / session_handle_token and the SelectSources options.
    void readOptions(sd_bus_message* m, std::string& handleToken, std::string& sessionToken) {
        sd_bus_message_enter_container(m, 'a', "{sv}");
        while (sd_bus_message_enter_container(m, 'e', "sv") > 0) {
            const char* key = nullptr;
            const char* sig = nullptr;
            char type = 0;
            sd_bus_message_read_basic(m, 's', &key);
            sd_bus_message_peek_type(m, &type, &sig);
            const std::string k = key;
            if (std::string(sig) == "s") {
                const char* value = nullptr;
                sd_bus_message_read(m, "v", "s", &value);
                if (k == "handle_token") {
                    handleToken = value;
                } else if (k == "session_handle_token") {
                    sessionToken = value;
                } else if (k == "restore_token") {
                    record_.restoreToken = value;
                }
            } else if (std::string(sig) == "u") {
                uint32_t value = 0;
                sd_bus_message_read(m, "v", "u", &value);
                record_.selectUints[k] = value;
            } else {
                sd_bus_message_skip(m, "v");
            }
            sd_bus_message_exit_container(m);
        }
        sd_bus_message_exit_container(m);
    }

    std::string senderElement(sd_bus_message* m) {
        return dbusSenderPathElement(sd_bus_message_get_sender(m));
    }

    static std::string text(const char* s) { return s ? s : ""; }

    int handle(sd_bus_message* m) {
        const std::string iface = text(sd_bus_message_get_interface(m));
        const std::string member = text(sd_bus_message_get_member(m));
        const std::string path = text(sd_bus_message_get_path(m));
        if (iface == "org.freedesktop.DBus.Properties" && member == "Get") {
            const char* interface = nullptr;
            const char* name = nullptr;
            sd_bus_message_read(m, "ss", &interface, &name);
            if (!behaviour_.hasScreenCast ||
                std::string(interface) != PortalScreenCast::kInterface) {
                return sd_bus_reply_method_errorf(m, SD_BUS_ERROR_UNKNOWN_INTERFACE,
                                                  "No such interface %s", interface);
            }
            const std::string n = name;
            const uint32_t value = n == "version"                ? behaviour_.version
                                   : n == "AvailableSourceTypes" ? behaviour_.sourceTypes
                                                                 : behaviour_.cursorModes;
            return sd_bus_reply_method_return(m, "v", "u", value);
        }
        if (iface == "org.freedesktop.portal.Request" && member == "Close") {
            record_.requestsClosed.push_back(path);
            return sd_bus_reply_method_return(m, "");
        }
        if (iface == "org.freedesktop.portal.Session" && member == "Close") {
            record_.sessionClosed = true;
            return sd_bus_reply_method_return(m, "");
        }
        if (iface != PortalScreenCast::kInterface || !behaviour_.hasScreenCast) {
            return 0;  // sd-bus answers "unknown method"
        }
        std::string handleToken;
        std::string sessionToken;
        if (member == "OpenPipeWireRemote") {
            const char* session = nullptr;
            sd_bus_message_read(m, "o", &session);
            int pair[2];
            socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, pair);
            ::write(pair[1], "pw", 2);  // the client reads it back through its copy
            const int r = sd_bus_reply_method_return(m, "h", pair[0]);
            ::close(pair[0]);
            ::close(pair[1]);
            return r;
        }
        if (member == "CreateSession") {
            readOptions(m, handleToken, sessionToken);
        } else if (member == "SelectSources") {
            const char* session = nullptr;
            sd_bus_message_read(m, "o", &session);
            readOptions(m, handleToken, sessionToken);
        } else if (member == "Start") {
            const char* session = nullptr;
            const char* parent = nullptr;
            sd_bus_message_read(m, "os", &session, &parent);
            readOptions(m, handleToken, sessionToken);
        } else {
            return 0;
        }
        const std::string sender = senderElement(m);
        const std::string request =
            std::string(PortalScreenCast::kObjectPath) + "/request/" + sender + "/" + handleToken;
        record_.lastRequestPath = request;
        sd_bus_reply_method_return(m, "o", request.c_str());
        if (member == "CreateSession") {
            record_.sessionPath = std::string(PortalScreenCast::kObjectPath) + "/session/" +
                                  sender + "/" + sessionToken;
            return sd_bus_emit_signal(bus_, request.c_str(), "org.freedesktop.portal.Request",
                                      "Response", "ua{sv}", 0, 1, "session_handle", "s",
                                      record_.sessionPath.c_str());
        }
        if (member == "SelectSources") {
            return sd_bus_emit_signal(bus_, request.c_str(), "org.freedesktop.portal.Request",
                                      "Response", "ua{sv}", 0, 0);
        }
        // Start
        if (behaviour_.startResponse < 0) {
            return 1;  // the dialog stays open
        }
        if (behaviour_.startResponse != 0) {
            return sd_bus_emit_signal(bus_, request.c_str(), "org.freedesktop.portal.Request",
                                      "Response", "ua{sv}", uint32_t(behaviour_.startResponse), 0);
        }
        if (behaviour_.giveRestoreToken) {
            return sd_bus_emit_signal(bus_, request.c_str(), "org.freedesktop.portal.Request",
                                      "Response", "ua{sv}", 0u, 2, "streams", "a(ua{sv})", 1, 42u,
                                      2, "size", "(ii)", 1920, 1080, "source_type", "u", 1u,
                                      "restore_token", "s", "token-2");
        }
        return sd_bus_emit_signal(bus_, request.c_str(), "org.freedesktop.portal.Request",
                                  "Response", "ua{sv}", 0u, 1, "streams", "a(ua{sv})", 1, 42u, 1,
                                  "source_type", "u", 2u);
    }

    FakeBehaviour behaviour_;
    FakeRecord record_;
    sd_bus* bus_ = nullptr;
    std::mutex mutex_;
    std::atomic<bool> closeRequested_{false};
    std::jthread thread_;
};

PortalRequest quickRequest() {
    PortalRequest r;
    r.requestTimeout = 5000ms;
    r.choiceTimeout = 5000ms;
    return r;
}

}  // namespace

class TstPortalScreenCast : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void startOutcomes_data();
    void startOutcomes();
    void asksForWhatThePortalOffers_data();
    void asksForWhatThePortalOffers();
    void noPortalOnTheBus();
    void portalWithoutScreenCast();
    void unansweredRequestIsWithdrawn();
    void stopEndsTheWaitForTheDialog();
    void responsesFromOthersAreIgnored();
    void pipeWireRemoteIsHandedOver();
    void stopSharingIsNoticed();
    void portalLeavingIsNoticed();
    void closingClosesTheSession();

private:
    Result<std::unique_ptr<PortalScreenCast>> connectClient();
    PrivateBus bus_;
};

void TstPortalScreenCast::initTestCase() {
    if (QStandardPaths::findExecutable("dbus-daemon").isEmpty()) {
        QSKIP("dbus-daemon is not installed (package dbus)");
    }
    QVERIFY2(bus_.start(), "cannot start a private dbus-daemon");
}

Result<std::unique_ptr<PortalScreenCast>> TstPortalScreenCast::connectClient() {
    auto connection = DbusConnection::openAddress(bus_.address());
    if (!connection) {
        return makeError(connection.error());
    }
    return PortalScreenCast::connect(std::move(*connection), 5000ms);
}

void TstPortalScreenCast::startOutcomes_data() {
    QTest::addColumn<int>("response");
    QTest::addColumn<int>("code");  // 0 = success, else the ErrorCode
    QTest::addColumn<QString>("words");
    QTest::newRow("the person chose a screen") << 0 << 0 << "";
    QTest::newRow("the person cancelled the dialog")
        << 1 << int(ErrorCode::Cancelled) << "cancelled in the desktop's dialog";
    QTest::newRow("the desktop refused") << 2 << int(ErrorCode::Unavailable) << "refused Start";
}

void TstPortalScreenCast::startOutcomes() {
    QFETCH(int, response);
    QFETCH(int, code);
    QFETCH(QString, words);
    FakeBehaviour behaviour;
    behaviour.startResponse = response;
    FakePortal fake(behaviour);
    QVERIFY(fake.start(bus_.address()));
    auto portal = connectClient();
    QVERIFY2(portal, portal ? "" : portal.error().toString().c_str());
    PortalRequest request = quickRequest();
    request.restoreToken = "token-1";
    auto stream = (*portal)->start(request);
    if (code == 0) {
        QVERIFY2(stream, stream ? "" : stream.error().toString().c_str());
        QCOMPARE(stream->nodeId, 42u);
        QCOMPARE(stream->width, 1920);
        QCOMPARE(stream->height, 1080);
        QCOMPARE(stream->sourceType, 1u);
        QCOMPARE(stream->restoreToken, std::string("token-2"));
        QCOMPARE(fake.record().restoreToken, std::string("token-1"));
    } else {
        QVERIFY(!stream);
        QCOMPARE(int(stream.error().code()), code);
        QVERIFY2(QString::fromStdString(stream.error().toString()).contains(words),
                 stream.error().toString().c_str());
    }
}

void TstPortalScreenCast::asksForWhatThePortalOffers_data() {
    QTest::addColumn<uint>("version");
    QTest::addColumn<uint>("sourceTypes");
    QTest::addColumn<uint>("cursorModes");
    QTest::addColumn<uint>("askedTypes");
    QTest::addColumn<int>("askedCursor");   // -1 = not sent
    QTest::addColumn<int>("askedPersist");  // -1 = not sent
    QTest::newRow("version 4, monitors and windows, cursor embedded")
        << 4u << 3u << 3u << 3u << 2 << 2;
    QTest::newRow("version 4, monitors only, hidden cursor only") << 4u << 1u << 1u << 1u << 1 << 2;
    QTest::newRow("version 3: no persistence") << 3u << 3u << 7u << 3u << 2 << -1;
    QTest::newRow("version 1: no cursor modes") << 1u << 1u << 0u << 1u << -1 << -1;
}

void TstPortalScreenCast::asksForWhatThePortalOffers() {
    QFETCH(uint, version);
    QFETCH(uint, sourceTypes);
    QFETCH(uint, cursorModes);
    QFETCH(uint, askedTypes);
    QFETCH(int, askedCursor);
    QFETCH(int, askedPersist);
    FakeBehaviour behaviour;
    behaviour.version = version;
    behaviour.sourceTypes = sourceTypes;
    behaviour.cursorModes = cursorModes;
    FakePortal fake(behaviour);
    QVERIFY(fake.start(bus_.address()));
    auto portal = connectClient();
    QVERIFY2(portal, portal ? "" : portal.error().toString().c_str());
    QCOMPARE((*portal)->capabilities().version, version);
    PortalRequest request = quickRequest();
    request.restoreToken = "token-1";
    auto stream = (*portal)->start(request);
    QVERIFY2(stream, stream ? "" : stream.error().toString().c_str());
    const FakeRecord seen = fake.record();
    QCOMPARE(seen.selectUints.at("types"), askedTypes);
    QCOMPARE(seen.selectUints.count("cursor_mode") ? int(seen.selectUints.at("cursor_mode")) : -1,
             askedCursor);
    QCOMPARE(seen.selectUints.count("persist_mode") ? int(seen.selectUints.at("persist_mode")) : -1,
             askedPersist);
    QCOMPARE(seen.restoreToken.empty(), askedPersist < 0);  // a token only with persistence
}

void TstPortalScreenCast::noPortalOnTheBus() {
    auto portal = connectClient();
    QVERIFY(!portal);
    QCOMPARE(portal.error().code(), ErrorCode::NotFound);
    QVERIFY2(portal.error().toString().find("no desktop portal on the D-Bus session bus") !=
                 std::string::npos,
             portal.error().toString().c_str());
}

void TstPortalScreenCast::portalWithoutScreenCast() {
    FakeBehaviour behaviour;
    behaviour.hasScreenCast = false;
    FakePortal fake(behaviour);
    QVERIFY(fake.start(bus_.address()));
    auto portal = connectClient();
    QVERIFY(!portal);
    QCOMPARE(portal.error().code(), ErrorCode::Unsupported);
    QVERIFY2(portal.error().toString().find("cannot share the screen") != std::string::npos,
             portal.error().toString().c_str());
}

void TstPortalScreenCast::unansweredRequestIsWithdrawn() {
    FakeBehaviour behaviour;
    behaviour.startResponse = -1;
    FakePortal fake(behaviour);
    QVERIFY(fake.start(bus_.address()));
    auto portal = connectClient();
    QVERIFY(portal);
    PortalRequest request = quickRequest();
    request.choiceTimeout = 300ms;
    auto stream = (*portal)->start(request);
    QVERIFY(!stream);
    QCOMPARE(stream.error().code(), ErrorCode::Unavailable);
    QVERIFY2(stream.error().toString().find("no answer to Start within 1 s") != std::string::npos,
             stream.error().toString().c_str());
    // The unanswered question is withdrawn, so no dialog lingers on the desktop.
    const FakeRecord seen = fake.record();
    QCOMPARE(seen.requestsClosed.size(), size_t(1));
    QCOMPARE(seen.requestsClosed.front(), seen.lastRequestPath);
}

void TstPortalScreenCast::stopEndsTheWaitForTheDialog() {
    FakeBehaviour behaviour;
    behaviour.startResponse = -1;
    FakePortal fake(behaviour);
    QVERIFY(fake.start(bus_.address()));
    auto portal = connectClient();
    QVERIFY(portal);
    std::stop_source stop;
    QElapsedTimer timer;
    timer.start();
    auto stopper = startThread("stopper", [&stop](std::stop_token) {
        std::this_thread::sleep_for(200ms);
        stop.request_stop();
    });
    QVERIFY(stopper);
    auto stream = (*portal)->start(quickRequest(), stop.get_token());
    stopper->join();
    QVERIFY(!stream);
    QCOMPARE(stream.error().code(), ErrorCode::Cancelled);
    QVERIFY(timer.elapsed() < 4000);  // long before the 5 s deadline
    QCOMPARE(fake.record().requestsClosed.size(), size_t(1));
}

void TstPortalScreenCast::responsesFromOthersAreIgnored() {
    FakeBehaviour behaviour;
    behaviour.startResponse = -1;
    FakePortal fake(behaviour);
    QVERIFY(fake.start(bus_.address()));
    auto portal = connectClient();
    QVERIFY(portal);
    // Another client on the bus forges "the person chose" on our request path.
    const std::string requestPath = std::string(PortalScreenCast::kObjectPath) + "/request/" +
                                    (*portal)->senderPathElement() + "/podium_" +
                                    std::to_string(::getpid()) + "_";
    auto forger = startThread("forger", [this, requestPath](std::stop_token stop) {
        sd_bus* bus = nullptr;
        sd_bus_new(&bus);
        sd_bus_set_address(bus, bus_.address().c_str());
        sd_bus_set_bus_client(bus, 1);
        sd_bus_start(bus);
        while (!stop.stop_requested()) {
            for (int token = 1; token <= 8; ++token) {
                const std::string path = requestPath + std::to_string(token);
                sd_bus_emit_signal(bus, path.c_str(), "org.freedesktop.portal.Request", "Response",
                                   "ua{sv}", 0u, 1, "streams", "a(ua{sv})", 1, 7u, 0);
            }
            sd_bus_flush(bus);
            std::this_thread::sleep_for(20ms);
        }
        sd_bus_flush_close_unref(bus);
    });
    QVERIFY(forger);
    PortalRequest request = quickRequest();
    request.choiceTimeout = 500ms;
    auto stream = (*portal)->start(request);
    forger->request_stop();
    forger->join();
    QVERIFY2(!stream, "a forged Response was taken for the portal's");
    QCOMPARE(stream.error().code(), ErrorCode::Unavailable);
}

void TstPortalScreenCast::pipeWireRemoteIsHandedOver() {
    FakePortal fake(FakeBehaviour{});
    QVERIFY(fake.start(bus_.address()));
    auto portal = connectClient();
    QVERIFY(portal);
    QVERIFY((*portal)->start(quickRequest()));
    auto fd = (*portal)->openPipeWireRemote();
    QVERIFY2(fd, fd ? "" : fd.error().toString().c_str());
    QVERIFY(fd->valid());
    char bytes[2] = {};
    QCOMPARE(::read(fd->get(), bytes, 2), ssize_t(2));
    QCOMPARE(QByteArray(bytes, 2), QByteArray("pw"));
}

void TstPortalScreenCast::stopSharingIsNoticed() {
    FakePortal fake(FakeBehaviour{});
    QVERIFY(fake.start(bus_.address()));
    auto portal = connectClient();
    QVERIFY(portal);
    QVERIFY((*portal)->start(quickRequest()));
    QVERIFY(!(*portal)->poll());
    fake.closeSession();
    QTRY_VERIFY_WITH_TIMEOUT((*portal)->poll().has_value(), 5000);
    QVERIFY2((*portal)->poll()->toString().find("stopped the screen sharing") != std::string::npos,
             (*portal)->poll()->toString().c_str());
}

void TstPortalScreenCast::portalLeavingIsNoticed() {
    FakePortal fake(FakeBehaviour{});
    QVERIFY(fake.start(bus_.address()));
    auto portal = connectClient();
    QVERIFY(portal);
    QVERIFY((*portal)->start(quickRequest()));
    fake.leaveBus();
    QTRY_VERIFY_WITH_TIMEOUT((*portal)->poll().has_value(), 5000);
    QVERIFY2((*portal)->poll()->toString().find("left the session bus") != std::string::npos,
             (*portal)->poll()->toString().c_str());
}

void TstPortalScreenCast::closingClosesTheSession() {
    FakePortal fake(FakeBehaviour{});
    QVERIFY(fake.start(bus_.address()));
    {
        auto portal = connectClient();
        QVERIFY(portal);
        QVERIFY((*portal)->start(quickRequest()));
        QVERIFY(!fake.record().sessionClosed);
    }  // destroyed: Session.Close
    QTRY_VERIFY_WITH_TIMEOUT(fake.record().sessionClosed, 5000);
}

QTEST_GUILESS_MAIN(TstPortalScreenCast)
#include "tst_portal_screencast.moc"

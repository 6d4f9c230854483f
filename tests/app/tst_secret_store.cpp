// Passwords of publishing points never sit in plain text in the settings file: they go to the
// keychain (here a fake backend: no keychain daemon runs on a build machine), or where there is
// none, to a file only the user can read — and the window is told so. Old plain-text
// passwords are moved out.
#include <QFile>
#include <QFileInfo>
#include <QSettings>
#include <QTemporaryDir>
#include <QtTest>
#include <map>

#include "app/gui/app_settings.h"
#include "app/gui/keychain_backend.h"
#include "app/gui/secret_file.h"
#include "app/gui/secret_store.h"

using namespace podium;
using namespace podium::gui;

namespace {

/// A keychain in memory: what the Secret Service would hold, and how often it was asked.
class FakeKeychain final : public SecretBackend {
public:
    explicit FakeKeychain(std::map<QString, QString>& entries) : entries_(entries) {}
    QString describe() const override { return "the fake keychain"; }
    Result<std::optional<QString>> read(const QString& key) override {
        ++reads;
        const auto it = entries_.find(key);
        return it == entries_.end() ? std::optional<QString>() : std::optional<QString>(it->second);
    }
    Result<void> write(const QString& key, const QString& value) override {
        if (refuseWrites) {
            return makeError(ErrorCode::Unavailable, "the keychain is locked");
        }
        entries_[key] = value;
        return ok();
    }
    Result<void> remove(const QString& key) override {
        entries_.erase(key);
        return ok();
    }
    int reads = 0;
    bool refuseWrites = false;

private:
    std::map<QString, QString>& entries_;
};

RemoteDestination smoothPoint() {
    RemoteDestination d = parseDestination("https://media.example.com/live/talk.isml").destination;
    d.username = "encoder";
    d.password = "s3cret-pass";
    return d;
}

QByteArray fileBytes(const QString& path) {
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

}  // namespace

class TstSecretStore : public QObject {
    Q_OBJECT
private slots:
    void passwordGoesToTheKeychainNotTheFile();
    void forgottenDestinationForgetsItsPassword();
    void lockedKeychainSavesNothingHalfway();
    void fallbackFileIsReadableOnlyByTheUser();
    void fallbackFileFoundOpenIsClosedAgain();
    void plainTextPasswordsAreMigrated();
    void noKeychainHereSaysSoOnce();
};

void TstSecretStore::passwordGoesToTheKeychainNotTheFile() {
    QTemporaryDir temp;
    const QString ini = temp.filePath("podium.ini");
    std::map<QString, QString> keychain;
    {
        AppSettings settings(
            ini, std::make_unique<SecretStore>(std::make_unique<FakeKeychain>(keychain)));
        QVERIFY(settings.secrets().notice().isEmpty());  // a keychain: nothing to warn about
        QVERIFY(settings.setDestinations({smoothPoint()}));
        settings.sync();
    }
    QVERIFY(!fileBytes(ini).contains("s3cret-pass"));
    QVERIFY(fileBytes(ini).contains("passwordRef"));
    QCOMPARE(keychain.size(), size_t(1));
    QCOMPARE(keychain.begin()->second, QString("s3cret-pass"));
    QVERIFY(!QFile::exists(ini + ".secrets"));

    auto* fake = new FakeKeychain(keychain);
    AppSettings again(ini, std::make_unique<SecretStore>(std::unique_ptr<SecretBackend>(fake)));
    QCOMPARE(again.destinations().value(0), smoothPoint());
    (void)again.destinations();
    QCOMPARE(fake->reads, 1);  // asked once, then cached
}

void TstSecretStore::forgottenDestinationForgetsItsPassword() {
    QTemporaryDir temp;
    std::map<QString, QString> keychain;
    AppSettings settings(temp.filePath("podium.ini"),
                         std::make_unique<SecretStore>(std::make_unique<FakeKeychain>(keychain)));
    RemoteDestination other = parseDestination("hls=https://cdn.example.com/up/").destination;
    other.password = "token-2";
    QVERIFY(settings.setDestinations({smoothPoint(), other}));
    QCOMPARE(keychain.size(), size_t(2));
    QVERIFY(settings.setDestinations({other}));
    QCOMPARE(keychain.size(), size_t(1));
    QCOMPARE(keychain.begin()->second, QString("token-2"));
}

void TstSecretStore::lockedKeychainSavesNothingHalfway() {
    QTemporaryDir temp;
    const QString ini = temp.filePath("podium.ini");
    std::map<QString, QString> keychain;
    auto* fake = new FakeKeychain(keychain);
    AppSettings settings(ini, std::make_unique<SecretStore>(std::unique_ptr<SecretBackend>(fake)));
    fake->refuseWrites = true;
    const auto stored = settings.setDestinations({smoothPoint()});
    QVERIFY(!stored);
    QVERIFY2(QString::fromStdString(stored.error().toString()).contains("locked"),
             stored.error().toString().c_str());
    settings.sync();
    QVERIFY(!fileBytes(ini).contains("s3cret-pass"));
    QVERIFY(settings.destinations().isEmpty());  // not listed without its password either
}

void TstSecretStore::fallbackFileIsReadableOnlyByTheUser() {
    QTemporaryDir temp;
    const QString ini = temp.filePath("podium.ini");
    {
        AppSettings settings(ini);  // no keychain given: the 0600 file beside the settings
        QVERIFY(settings.secrets().notice().contains("readable only by you"));
        QVERIFY(settings.setDestinations({smoothPoint()}));
        settings.sync();
    }
    const QString secrets = ini + ".secrets";
    QVERIFY(QFile::exists(secrets));
    // Mode 0600: the owner reads and writes, nobody else does anything.
    QCOMPARE(QFileInfo(secrets).permissions() & QFileDevice::Permissions(0x7777),
             QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ReadUser |
                 QFileDevice::WriteUser);
    QVERIFY(fileBytes(secrets).contains("s3cret-pass"));
    QVERIFY(!fileBytes(ini).contains("s3cret-pass"));
    AppSettings again(ini);
    QCOMPARE(again.destinations().value(0), smoothPoint());
}

void TstSecretStore::fallbackFileFoundOpenIsClosedAgain() {
    QTemporaryDir temp;
    const QString path = temp.filePath("secrets.json");
    SecretFile file(path);
    QVERIFY(file.write("k", "v"));
    QVERIFY(QFile::setPermissions(path, QFileDevice::ReadOwner | QFileDevice::WriteOwner |
                                            QFileDevice::ReadOther | QFileDevice::ReadGroup));
    const auto value = file.read("k");
    QVERIFY(value && *value == QString("v"));
    QVERIFY(!(QFileInfo(path).permissions() & (QFileDevice::ReadOther | QFileDevice::ReadGroup)));
    QVERIFY(file.read("missing") && !file.read("missing")->has_value());
    QVERIFY(file.remove("k"));
    QVERIFY(file.read("k") && !file.read("k")->has_value());
}

void TstSecretStore::plainTextPasswordsAreMigrated() {
    QTemporaryDir temp;
    const QString ini = temp.filePath("podium.ini");
    {
        // What version 1 wrote: the password in the settings file.
        QSettings old(ini, QSettings::IniFormat);
        old.setValue("settingsVersion", 1);
        old.beginWriteArray("destinations", 1);
        old.setArrayIndex(0);
        old.setValue("url", "https://media.example.com/live/talk.isml");
        old.setValue("protocol", "smooth");
        old.setValue("username", "encoder");
        old.setValue("password", "s3cret-pass");
        old.setValue("enabled", true);
        old.endArray();
    }
    QVERIFY(fileBytes(ini).contains("s3cret-pass"));
    std::map<QString, QString> keychain;
    {
        AppSettings settings(
            ini, std::make_unique<SecretStore>(std::make_unique<FakeKeychain>(keychain)));
        QCOMPARE(settings.settingsVersion(), 2);
        QCOMPARE(settings.destinations().value(0), smoothPoint());
        settings.sync();
    }
    QVERIFY(!fileBytes(ini).contains("s3cret-pass"));
    QCOMPARE(keychain.size(), size_t(1));
    QCOMPARE(keychain.begin()->second, QString("s3cret-pass"));
}

// This machine (like CI) runs no Secret Service or KWallet: the real QtKeychain probe says so,
// and the store falls back to the 0600 file with one sentence for the window.
void TstSecretStore::noKeychainHereSaysSoOnce() {
    if (KeychainBackend::probe(3000)) {
        QSKIP("a keychain service answers on this machine");
    }
    QTemporaryDir temp;
    const auto store = SecretStore::open(temp.filePath("secrets.json"));
    QVERIFY2(store->notice().contains("No system keychain"), qPrintable(store->notice()));
    QVERIFY(store->notice().contains("readable only by you"));
    QVERIFY(store->write("destination/x", "pw"));
    QCOMPARE(QFileInfo(temp.filePath("secrets.json")).permissions() &
                 (QFileDevice::ReadOther | QFileDevice::ReadGroup),
             QFileDevice::Permissions());
    QCOMPARE(store->read("destination/x"), QString("pw"));
}

QTEST_GUILESS_MAIN(TstSecretStore)
#include "tst_secret_store.moc"

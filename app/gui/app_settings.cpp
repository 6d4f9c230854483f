#include "app/gui/app_settings.h"

#include <QDir>
#include <QSettings>
#include <QStandardPaths>

#include "encoder/preset.h"

namespace podium::gui {

namespace {

// Keys and their defaults, side by side.
constexpr auto kVersion = "settingsVersion";
constexpr auto kSource = "source/spec";
constexpr auto kSourceDefault = "testpattern";
constexpr auto kPreset = "preset/name";  // default: encoder::defaultPresetName()
constexpr auto kOriginEnabled = "origin/enabled";
constexpr bool kOriginEnabledDefault = true;
constexpr auto kShare = "origin/shareOnLan";
constexpr bool kShareDefault = false;
constexpr auto kPort = "origin/port";
constexpr int kPortDefault = 8080;
constexpr auto kChannel = "origin/channel";
constexpr auto kChannelDefault = "live";
constexpr auto kPasscode = "origin/viewPasscode";  // default: none
constexpr auto kArchiveEnabled = "archive/enabled";
constexpr bool kArchiveEnabledDefault = false;
constexpr auto kArchiveRoot = "archive/root";  // default: ~/Videos/Podium
constexpr auto kDestinations = "destinations";
constexpr auto kDestUrl = "url";
constexpr auto kDestProtocol = "protocol";
constexpr auto kDestUser = "username";
constexpr auto kDestPassword = "password";
constexpr auto kDestEnabled = "enabled";
constexpr auto kGeometry = "window/geometry";
constexpr auto kState = "window/state";

QString defaultArchiveRoot() {
    QString videos = QStandardPaths::writableLocation(QStandardPaths::MoviesLocation);
    if (videos.isEmpty()) {
        videos = QDir::homePath();
    }
    return QDir(videos).filePath("Podium");
}

}  // namespace

AppSettings::AppSettings() : settings_(std::make_unique<QSettings>("Podium", "Podium")) {
    migrate();
}

AppSettings::AppSettings(const QString& iniFile)
    : settings_(std::make_unique<QSettings>(iniFile, QSettings::IniFormat)) {
    migrate();
}

AppSettings::~AppSettings() = default;

void AppSettings::migrate() {
    // Version 1 is the first layout; later versions rename keys here, once.
    if (settings_->value(kVersion, 0).toInt() < kCurrentVersion) {
        settings_->setValue(kVersion, kCurrentVersion);
    }
}

void AppSettings::sync() {
    settings_->sync();
}

int AppSettings::settingsVersion() const {
    return settings_->value(kVersion, 0).toInt();
}

QString AppSettings::sourceSpec() const {
    return settings_->value(kSource, kSourceDefault).toString();
}
void AppSettings::setSourceSpec(const QString& spec) {
    settings_->setValue(kSource, spec);
}

QString AppSettings::presetName() const {
    return settings_->value(kPreset, QString::fromStdString(encoder::defaultPresetName()))
        .toString();
}
void AppSettings::setPresetName(const QString& name) {
    settings_->setValue(kPreset, name);
}

bool AppSettings::originEnabled() const {
    return settings_->value(kOriginEnabled, kOriginEnabledDefault).toBool();
}
void AppSettings::setOriginEnabled(bool on) {
    settings_->setValue(kOriginEnabled, on);
}

bool AppSettings::shareOnLan() const {
    return settings_->value(kShare, kShareDefault).toBool();
}
void AppSettings::setShareOnLan(bool on) {
    settings_->setValue(kShare, on);
}

int AppSettings::originPort() const {
    bool ok = false;
    const int port = settings_->value(kPort, kPortDefault).toInt(&ok);
    return ok && port >= 0 && port <= 65535 ? port : kPortDefault;
}
void AppSettings::setOriginPort(int port) {
    settings_->setValue(kPort, port);
}

QString AppSettings::channel() const {
    return settings_->value(kChannel, kChannelDefault).toString();
}
void AppSettings::setChannel(const QString& name) {
    settings_->setValue(kChannel, name);
}

QString AppSettings::viewPasscode() const {
    return settings_->value(kPasscode).toString();
}
void AppSettings::setViewPasscode(const QString& code) {
    settings_->setValue(kPasscode, code);
}

bool AppSettings::archiveEnabled() const {
    return settings_->value(kArchiveEnabled, kArchiveEnabledDefault).toBool();
}
void AppSettings::setArchiveEnabled(bool on) {
    settings_->setValue(kArchiveEnabled, on);
}

QString AppSettings::archiveRoot() const {
    return settings_->value(kArchiveRoot, defaultArchiveRoot()).toString();
}
void AppSettings::setArchiveRoot(const QString& folder) {
    settings_->setValue(kArchiveRoot, folder);
}

QVector<RemoteDestination> AppSettings::destinations() const {
    QVector<RemoteDestination> out;
    const int count = settings_->beginReadArray(kDestinations);
    for (int i = 0; i < count; ++i) {
        settings_->setArrayIndex(i);
        // Stored as the spec form so a hand-edited file goes through the same validation.
        const auto parsed = parseDestination(settings_->value(kDestProtocol).toString() + "=" +
                                             settings_->value(kDestUrl).toString());
        if (!parsed.ok) {
            continue;  // a broken entry is dropped rather than failing the whole list
        }
        RemoteDestination d = parsed.destination;
        d.username = settings_->value(kDestUser).toString();
        d.password = settings_->value(kDestPassword).toString();
        d.enabled = settings_->value(kDestEnabled, true).toBool();
        out.push_back(d);
    }
    settings_->endArray();
    return out;
}

void AppSettings::setDestinations(const QVector<RemoteDestination>& list) {
    settings_->remove(kDestinations);
    settings_->beginWriteArray(kDestinations, int(list.size()));
    for (int i = 0; i < list.size(); ++i) {
        settings_->setArrayIndex(i);
        const auto& d = list[i];
        settings_->setValue(kDestUrl, d.url);
        settings_->setValue(kDestProtocol, d.toSpec().section('=', 0, 0));
        settings_->setValue(kDestUser, d.username);
        settings_->setValue(kDestPassword, d.password);
        settings_->setValue(kDestEnabled, d.enabled);
    }
    settings_->endArray();
}

QByteArray AppSettings::windowGeometry() const {
    return settings_->value(kGeometry).toByteArray();
}
void AppSettings::setWindowGeometry(const QByteArray& geometry) {
    settings_->setValue(kGeometry, geometry);
}
QByteArray AppSettings::windowState() const {
    return settings_->value(kState).toByteArray();
}
void AppSettings::setWindowState(const QByteArray& state) {
    settings_->setValue(kState, state);
}

}  // namespace podium::gui

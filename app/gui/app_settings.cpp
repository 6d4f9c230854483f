#include "app/gui/app_settings.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFileInfo>
#include <QSettings>
#include <QStandardPaths>

#include "app/gui/secret_store.h"
#include "core/log.h"
#include "encoder/preset.h"

namespace podium::gui {

namespace {

// Keys and their defaults, side by side.
constexpr auto kVersion = "settingsVersion";
constexpr auto kSource = "source/spec";
constexpr auto kSourceDefault = "testpattern";
constexpr auto kPortalToken = "source/portalRestoreToken";  // default: none (ask)
constexpr auto kPreset = "preset/name";                     // default: encoder::defaultPresetName()
constexpr auto kOriginEnabled = "origin/enabled";
constexpr bool kOriginEnabledDefault = true;
constexpr auto kShare = "origin/shareOnLan";
constexpr bool kShareDefault = false;
constexpr auto kLatencyProbe = "origin/latencyProbe";  // default: off
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
constexpr auto kDestPassword = "password";        // version 1 only: plain text, migrated away
constexpr auto kDestPasswordRef = "passwordRef";  // the SecretStore key of the password
constexpr auto kDestEnabled = "enabled";
constexpr auto kAudio = "audio/spec";  // default: "" (automatic)
constexpr auto kTitle = "scene/title";
constexpr auto kWebcam = "scene/webcam";  // default: none
constexpr auto kCorner = "scene/corner";
constexpr int kCornerDefault = int(capture::PipCorner::BottomRight);
constexpr auto kWebcamSize = "scene/webcamWidthFraction";
constexpr double kWebcamSizeDefault = 0.25;
constexpr auto kGeometry = "window/geometry";
constexpr auto kState = "window/state";

QString defaultArchiveRoot() {
    QString videos = QStandardPaths::writableLocation(QStandardPaths::MoviesLocation);
    if (videos.isEmpty()) {
        videos = QDir::homePath();
    }
    return QDir(videos).filePath("Podium");
}

/// The SecretStore key of a destination's password: stable for the same URL and user.
QString secretKey(const RemoteDestination& d) {
    const QByteArray id = (d.toSpec() + '\n' + d.username).toUtf8();
    return "destination/" +
           QCryptographicHash::hash(id, QCryptographicHash::Sha256).toHex().left(16);
}

}  // namespace

AppSettings::AppSettings() : settings_(std::make_unique<QSettings>("Podium", "Podium")) {
    const QString folder = QFileInfo(settings_->fileName()).absolutePath();
    secrets_ = SecretStore::open(QDir(folder).filePath("secrets.json"));
    migrate();
}

AppSettings::AppSettings(const QString& iniFile, std::unique_ptr<SecretStore> secrets)
    : settings_(std::make_unique<QSettings>(iniFile, QSettings::IniFormat)),
      secrets_(secrets ? std::move(secrets) : SecretStore::openFile(iniFile + ".secrets")) {
    migrate();
}

AppSettings::~AppSettings() = default;

void AppSettings::migrate() {
    const int version = settings_->value(kVersion, 0).toInt();
    if (version >= kCurrentVersion) {
        return;
    }
    if (version == 1) {
        moveSecretsOutOfTheFile();
        if (settings_->value(kVersion).toInt() < 2) {
            return;  // a secret could not be stored: keep version 1 and try again next time
        }
    }
    settings_->setValue(kVersion, kCurrentVersion);
}

void AppSettings::moveSecretsOutOfTheFile() {
    // destinations() still reads a version-1 plain "password"; setDestinations() writes each
    // password to the SecretStore and only a reference to the file.
    const QVector<RemoteDestination> list = destinations();
    if (auto moved = setDestinations(list); !moved) {
        logWarning("settings", "passwords stay in " + settings_->fileName().toStdString() +
                                   " until they can be stored: " + moved.error().toString());
        return;
    }
    settings_->setValue(kVersion, 2);
    settings_->sync();
    logInfo("settings", "passwords moved from " + settings_->fileName().toStdString() + " to " +
                            secrets_->describe().toStdString());
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

QString AppSettings::portalRestoreToken() const {
    return settings_->value(kPortalToken, QString()).toString();
}
void AppSettings::setPortalRestoreToken(const QString& token) {
    settings_->setValue(kPortalToken, token);
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

bool AppSettings::latencyProbe() const {
    return settings_->value(kLatencyProbe, false).toBool();
}
void AppSettings::setLatencyProbe(bool on) {
    settings_->setValue(kLatencyProbe, on);
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
        const QString ref = settings_->value(kDestPasswordRef).toString();
        d.password = ref.isEmpty() ? settings_->value(kDestPassword).toString()  // version 1
                                   : secrets_->read(ref);
        d.enabled = settings_->value(kDestEnabled, true).toBool();
        out.push_back(d);
    }
    settings_->endArray();
    return out;
}

Result<void> AppSettings::setDestinations(const QVector<RemoteDestination>& list) {
    QStringList oldRefs;
    const int count = settings_->beginReadArray(kDestinations);
    for (int i = 0; i < count; ++i) {
        settings_->setArrayIndex(i);
        oldRefs << settings_->value(kDestPasswordRef).toString();
    }
    settings_->endArray();
    // The secrets first: the file never refers to a password the store does not have.
    QStringList refs;
    for (const auto& d : list) {
        refs << (d.password.isEmpty() ? QString() : secretKey(d));
        if (!d.password.isEmpty()) {
            if (auto stored = secrets_->write(refs.back(), d.password); !stored) {
                return makeError(stored.error().withContext("password of " + d.url.toStdString()));
            }
        }
    }
    settings_->remove(kDestinations);
    settings_->beginWriteArray(kDestinations, int(list.size()));
    for (int i = 0; i < list.size(); ++i) {
        settings_->setArrayIndex(i);
        const auto& d = list[i];
        settings_->setValue(kDestUrl, d.url);
        settings_->setValue(kDestProtocol, d.toSpec().section('=', 0, 0));
        settings_->setValue(kDestUser, d.username);
        if (!refs[i].isEmpty()) {
            settings_->setValue(kDestPasswordRef, refs[i]);
        }
        settings_->setValue(kDestEnabled, d.enabled);
    }
    settings_->endArray();
    for (const QString& ref : oldRefs) {
        if (!ref.isEmpty() && !refs.contains(ref)) {
            (void)secrets_->remove(ref);  // a forgotten destination's password goes too
        }
    }
    return ok();
}

QString AppSettings::audioSpec() const {
    return settings_->value(kAudio).toString();
}
void AppSettings::setAudioSpec(const QString& spec) {
    settings_->setValue(kAudio, spec);
}

app::SceneSettings AppSettings::scene() const {
    app::SceneSettings scene;
    scene.title = settings_->value(kTitle).toString().toStdString();
    scene.pipSpec = settings_->value(kWebcam).toString().toStdString();
    const int corner = settings_->value(kCorner, kCornerDefault).toInt();
    scene.pipLayout.corner =
        corner >= int(capture::PipCorner::TopLeft) && corner <= int(capture::PipCorner::BottomRight)
            ? capture::PipCorner(corner)
            : capture::PipCorner(kCornerDefault);
    bool ok = false;
    const double size = settings_->value(kWebcamSize, kWebcamSizeDefault).toDouble(&ok);
    scene.pipLayout.widthFraction = ok && size >= 0.05 && size <= 0.9 ? size : kWebcamSizeDefault;
    return scene;
}
void AppSettings::setScene(const app::SceneSettings& scene) {
    settings_->setValue(kTitle, QString::fromStdString(scene.title));
    settings_->setValue(kWebcam, QString::fromStdString(scene.pipSpec));
    settings_->setValue(kCorner, int(scene.pipLayout.corner));
    settings_->setValue(kWebcamSize, scene.pipLayout.widthFraction);
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

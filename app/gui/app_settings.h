#pragma once

#include <QByteArray>
#include <QString>
#include <QVector>
#include <memory>

#include "app/gui/remote_destination.h"
#include "app/gui/secret_store.h"
#include "app/session/source_spec.h"

class QSettings;

namespace podium::gui {

/// The one class that touches QSettings: typed getters/setters, each default next to its key
/// (app_settings.cpp). First run needs no configuration: test pattern, the default preset, the
/// local origin on 127.0.0.1:8080. Constructed over the application's settings (organisation
/// "Podium", application "Podium") or over an INI file (tests). Secrets (publishing-point
/// passwords, tokens, stream keys) never go into the settings file: it keeps a reference and
/// the SecretStore keeps the value (the system keychain, or a 0600 file). GUI thread only.
class AppSettings {
public:
    /// 2: destination passwords moved out of the settings file into the SecretStore.
    static constexpr int kCurrentVersion = 2;

    /// The application's settings; secrets in the keychain, else in a 0600 file beside them.
    AppSettings();
    /// An INI file; secrets in `secrets`, or without one in the 0600 file `<iniFile>.secrets`.
    explicit AppSettings(const QString& iniFile, std::unique_ptr<SecretStore> secrets = {});
    ~AppSettings();
    AppSettings(const AppSettings&) = delete;
    AppSettings& operator=(const AppSettings&) = delete;

    /// Writes pending changes to storage.
    void sync();

    [[nodiscard]] int settingsVersion() const;

    [[nodiscard]] QString sourceSpec() const;  ///< "testpattern", "screen::0", "file:x.mp4:loop"
    void setSourceSpec(const QString& spec);
    /// The desktop portal's restore token for the screen chosen last time (Wayland), so the
    /// next Start does not ask again; empty = ask.
    [[nodiscard]] QString portalRestoreToken() const;
    void setPortalRestoreToken(const QString& token);
    [[nodiscard]] QString presetName() const;
    void setPresetName(const QString& name);

    [[nodiscard]] bool originEnabled() const;
    void setOriginEnabled(bool on);
    [[nodiscard]] bool shareOnLan() const;
    void setShareOnLan(bool on);
    /// Draw the latency probe into the picture, so viewers' pages show glass to glass.
    [[nodiscard]] bool latencyProbe() const;
    void setLatencyProbe(bool on);
    [[nodiscard]] int originPort() const;  ///< 0: any free port
    void setOriginPort(int port);
    [[nodiscard]] QString channel() const;
    void setChannel(const QString& name);
    [[nodiscard]] QString viewPasscode() const;
    void setViewPasscode(const QString& code);

    [[nodiscard]] bool archiveEnabled() const;
    void setArchiveEnabled(bool on);
    [[nodiscard]] QString archiveRoot() const;  ///< each broadcast gets a dated folder inside
    void setArchiveRoot(const QString& folder);

    /// The microphone: "" (automatic), "testtone", "pulse:DEVICE" or "none" (AudioSpec).
    [[nodiscard]] QString audioSpec() const;
    void setAudioSpec(const QString& spec);
    /// The lower-third title and the webcam in a corner.
    [[nodiscard]] app::SceneSettings scene() const;
    void setScene(const app::SceneSettings& scene);

    /// Remote publishing points; their passwords come from (and go to) the SecretStore.
    [[nodiscard]] QVector<RemoteDestination> destinations() const;
    /// Fails (changing nothing) when a password cannot be stored.
    Result<void> setDestinations(const QVector<RemoteDestination>& list);

    [[nodiscard]] SecretStore& secrets() const { return *secrets_; }

    [[nodiscard]] QByteArray windowGeometry() const;
    void setWindowGeometry(const QByteArray& geometry);
    [[nodiscard]] QByteArray windowState() const;
    void setWindowState(const QByteArray& state);

private:
    void migrate();
    void moveSecretsOutOfTheFile();

    std::unique_ptr<QSettings> settings_;
    std::unique_ptr<SecretStore> secrets_;
};

}  // namespace podium::gui

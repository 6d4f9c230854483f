#pragma once

#include <QByteArray>
#include <QString>
#include <QVector>
#include <memory>

#include "app/gui/remote_destination.h"

class QSettings;

namespace podium::gui {

/// The one class that touches QSettings: typed getters/setters, each default next to its key
/// (app_settings.cpp). First run needs no configuration: test pattern, the default preset, the
/// local origin on 127.0.0.1:8080. Constructed over the application's settings (organisation
/// "Podium", application "Podium") or over an INI file (tests). GUI thread only.
class AppSettings {
public:
    static constexpr int kCurrentVersion = 1;

    AppSettings();
    explicit AppSettings(const QString& iniFile);
    ~AppSettings();
    AppSettings(const AppSettings&) = delete;
    AppSettings& operator=(const AppSettings&) = delete;

    /// Writes pending changes to storage.
    void sync();

    [[nodiscard]] int settingsVersion() const;

    [[nodiscard]] QString sourceSpec() const;  ///< "testpattern", "screen::0", "file:x.mp4:loop"
    void setSourceSpec(const QString& spec);
    [[nodiscard]] QString presetName() const;
    void setPresetName(const QString& name);

    [[nodiscard]] bool originEnabled() const;
    void setOriginEnabled(bool on);
    [[nodiscard]] bool shareOnLan() const;
    void setShareOnLan(bool on);
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

    /// Remote publishing points. Passwords are stored as given (plain text in the settings file).
    [[nodiscard]] QVector<RemoteDestination> destinations() const;
    void setDestinations(const QVector<RemoteDestination>& list);

    [[nodiscard]] QByteArray windowGeometry() const;
    void setWindowGeometry(const QByteArray& geometry);
    [[nodiscard]] QByteArray windowState() const;
    void setWindowState(const QByteArray& state);

private:
    void migrate();

    std::unique_ptr<QSettings> settings_;
};

}  // namespace podium::gui

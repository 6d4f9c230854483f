#pragma once

#include <QHash>
#include <QString>
#include <memory>
#include <optional>

#include "core/status.h"

namespace podium::gui {

/// Where secrets are kept: the system keychain (KeychainBackend), a file only the user can
/// read (SecretFile), or a fake in tests. Keys are short references ("destination/3f2a...");
/// values are passwords, tokens and stream keys. Synchronous; GUI thread only.
class SecretBackend {
public:
    virtual ~SecretBackend() = default;
    /// For people: "the system keychain", "the file /home/a/.config/Podium/secrets".
    [[nodiscard]] virtual QString describe() const = 0;
    /// The value, or nullopt when there is no such key.
    [[nodiscard]] virtual Result<std::optional<QString>> read(const QString& key) = 0;
    [[nodiscard]] virtual Result<void> write(const QString& key, const QString& value) = 0;
    /// Removing a key that is not there succeeds.
    [[nodiscard]] virtual Result<void> remove(const QString& key) = 0;
};

/// The secrets of the app: a backend plus a cache (the keychain is asked once per key).
/// open() uses the system keychain when one answers, else the 0600 file, and then notice()
/// says so in one sentence for the window. GUI thread only.
class SecretStore {
public:
    /// The keychain (QtKeychain: Secret Service / KWallet) if it answers within a few seconds,
    /// else SecretFile(fallbackFile).
    static std::unique_ptr<SecretStore> open(const QString& fallbackFile);
    /// Only the 0600 file (no keychain probe): tests and settings over a given INI file.
    static std::unique_ptr<SecretStore> openFile(const QString& file);

    SecretStore(std::unique_ptr<SecretBackend> backend, QString notice = {});
    ~SecretStore();

    /// Empty when secrets are in the keychain; otherwise why not and where they are instead.
    [[nodiscard]] QString notice() const { return notice_; }
    [[nodiscard]] QString describe() const { return backend_->describe(); }

    /// The value for `key`; empty when there is none or the backend failed (logged once).
    [[nodiscard]] QString read(const QString& key);
    [[nodiscard]] Result<void> write(const QString& key, const QString& value);
    [[nodiscard]] Result<void> remove(const QString& key);

private:
    std::unique_ptr<SecretBackend> backend_;
    QString notice_;
    QHash<QString, QString> cache_;
};

}  // namespace podium::gui

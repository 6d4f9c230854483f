#pragma once

#include <QString>
#include <memory>

#include "app/gui/secret_store.h"

namespace podium::gui {

/// The system keychain through QtKeychain (Secret Service on GNOME and most desktops, KWallet on
/// KDE). Each key is an entry of service "Podium". QtKeychain's jobs are asynchronous; each call
/// here waits for its job in a local event loop, up to kTimeoutMs (a locked keyring may ask
/// the user for its password). GUI thread only.
class KeychainBackend final : public SecretBackend {
public:
    static constexpr int kTimeoutMs = 20000;
    static constexpr auto kService = "Podium";

    /// Asks the keychain for an entry that does not exist: "not found" means a keychain service
    /// answers. Otherwise the error says why there is none (no D-Bus session, no service...).
    static Result<std::unique_ptr<KeychainBackend>> probe(int timeoutMs = 5000);

    [[nodiscard]] QString describe() const override;
    [[nodiscard]] Result<std::optional<QString>> read(const QString& key) override;
    [[nodiscard]] Result<void> write(const QString& key, const QString& value) override;
    [[nodiscard]] Result<void> remove(const QString& key) override;

private:
    KeychainBackend() = default;
};

}  // namespace podium::gui

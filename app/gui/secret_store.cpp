#include "app/gui/secret_store.h"

#include <QObject>

#include "app/gui/keychain_backend.h"
#include "app/gui/secret_file.h"
#include "core/log.h"

namespace podium::gui {

std::unique_ptr<SecretStore> SecretStore::open(const QString& fallbackFile) {
    auto keychain = KeychainBackend::probe();
    if (keychain) {
        return std::make_unique<SecretStore>(std::move(*keychain));
    }
    auto file = std::make_unique<SecretFile>(fallbackFile);
    const QString notice =
        QObject::tr(
            "No system keychain is running (%1), so passwords and stream keys are kept in "
            "%2.")
            .arg(QString::fromStdString(keychain.error().message()), file->describe());
    logWarning("secrets", notice.toStdString());
    return std::make_unique<SecretStore>(std::move(file), notice);
}

std::unique_ptr<SecretStore> SecretStore::openFile(const QString& file) {
    auto backend = std::make_unique<SecretFile>(file);
    QString notice =
        QObject::tr("Passwords and stream keys are kept in %1.").arg(backend->describe());
    return std::make_unique<SecretStore>(std::move(backend), notice);
}

SecretStore::SecretStore(std::unique_ptr<SecretBackend> backend, QString notice)
    : backend_(std::move(backend)), notice_(std::move(notice)) {}

SecretStore::~SecretStore() = default;

QString SecretStore::read(const QString& key) {
    if (const auto it = cache_.constFind(key); it != cache_.constEnd()) {
        return *it;
    }
    auto value = backend_->read(key);
    if (!value) {
        logWarning("secrets", "cannot read " + key.toStdString() + " from " +
                                  backend_->describe().toStdString() + ": " +
                                  value.error().toString());
        return {};
    }
    const QString text = value->value_or(QString());
    cache_.insert(key, text);
    return text;
}

Result<void> SecretStore::write(const QString& key, const QString& value) {
    if (const auto it = cache_.constFind(key); it != cache_.constEnd() && *it == value) {
        return ok();
    }
    if (auto r = backend_->write(key, value); !r) {
        return r;
    }
    cache_.insert(key, value);
    return ok();
}

Result<void> SecretStore::remove(const QString& key) {
    if (auto r = backend_->remove(key); !r) {
        return r;
    }
    cache_.remove(key);
    return ok();
}

}  // namespace podium::gui

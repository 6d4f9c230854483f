#pragma once

#include <QJsonObject>
#include <QString>

#include "app/gui/secret_store.h"

namespace podium::gui {

/// Secrets in a file only the user can read or write (mode 0600), for machines without a
/// keychain service. One "key=value" JSON object, rewritten atomically (QSaveFile) on every
/// change, created 0600 before anything is written into it. A file found readable by others is
/// made 0600 again before it is read (and that is logged). GUI thread only.
class SecretFile final : public SecretBackend {
public:
    explicit SecretFile(QString path);

    [[nodiscard]] QString describe() const override;
    [[nodiscard]] Result<std::optional<QString>> read(const QString& key) override;
    [[nodiscard]] Result<void> write(const QString& key, const QString& value) override;
    [[nodiscard]] Result<void> remove(const QString& key) override;

    [[nodiscard]] QString path() const { return path_; }

private:
    Result<QJsonObject> load() const;
    Result<void> save(const QJsonObject& all) const;

    QString path_;
};

}  // namespace podium::gui

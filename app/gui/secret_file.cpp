#include "app/gui/secret_file.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QSaveFile>

#include "core/log.h"

namespace podium::gui {

namespace {
constexpr auto kOwnerOnly = QFileDevice::ReadOwner | QFileDevice::WriteOwner;

bool othersMayRead(const QFileInfo& info) {
    return info.permissions() & (QFileDevice::ReadGroup | QFileDevice::WriteGroup |
                                 QFileDevice::ReadOther | QFileDevice::WriteOther);
}

Status fileError(ErrorCode code, const QString& what) {
    return Status(code, what.toStdString());
}
}  // namespace

SecretFile::SecretFile(QString path) : path_(std::move(path)) {}

QString SecretFile::describe() const {
    return QObject::tr("the file %1 (readable only by you)").arg(QDir::toNativeSeparators(path_));
}

Result<QJsonObject> SecretFile::load() const {
    const QFileInfo info(path_);
    if (!info.exists()) {
        return QJsonObject();
    }
    if (othersMayRead(info)) {
        logWarning("secrets", path_.toStdString() + " was readable by others; made it 0600");
        if (!QFile::setPermissions(path_, kOwnerOnly)) {
            return makeError(fileError(ErrorCode::PermissionDenied,
                                       "cannot make " + path_ + " readable only by you"));
        }
    }
    QFile file(path_);
    if (!file.open(QIODevice::ReadOnly)) {
        return makeError(
            fileError(ErrorCode::Io, "cannot read " + path_ + ": " + file.errorString()));
    }
    QJsonParseError error{};
    const QJsonDocument doc = QJsonDocument::fromJson(file.readAll(), &error);
    if (error.error != QJsonParseError::NoError || !doc.isObject()) {
        return makeError(
            fileError(ErrorCode::Parse, path_ + " is damaged: " + error.errorString()));
    }
    return doc.object();
}

Result<void> SecretFile::save(const QJsonObject& all) const {
    QDir().mkpath(QFileInfo(path_).absolutePath());
    QSaveFile file(path_);
    // The temporary file is made owner-only before a secret goes into it; the rename keeps that.
    if (!file.open(QIODevice::WriteOnly) || !file.setPermissions(kOwnerOnly)) {
        return makeError(
            fileError(ErrorCode::Io, "cannot write " + path_ + ": " + file.errorString()));
    }
    file.write(QJsonDocument(all).toJson(QJsonDocument::Indented));
    if (!file.commit()) {
        return makeError(
            fileError(ErrorCode::Io, "cannot write " + path_ + ": " + file.errorString()));
    }
    return ok();
}

Result<std::optional<QString>> SecretFile::read(const QString& key) {
    auto all = load();
    if (!all) {
        return makeError(all.error());
    }
    const auto it = all->constFind(key);
    if (it == all->constEnd()) {
        return std::optional<QString>();
    }
    return std::optional<QString>(it->toString());
}

Result<void> SecretFile::write(const QString& key, const QString& value) {
    auto all = load();
    if (!all) {
        return makeError(all.error());
    }
    all->insert(key, value);
    return save(*all);
}

Result<void> SecretFile::remove(const QString& key) {
    auto all = load();
    if (!all) {
        return makeError(all.error());
    }
    if (!all->contains(key)) {
        return ok();
    }
    all->remove(key);
    return save(*all);
}

}  // namespace podium::gui

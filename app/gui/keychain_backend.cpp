#include "app/gui/keychain_backend.h"

#include <qt6keychain/keychain.h>
#include <QEventLoop>
#include <QTimer>

namespace podium::gui {

namespace {

/// Runs `job` (owned here) and waits for it; false on timeout.
bool runAndWait(QKeychain::Job& job, int timeoutMs) {
    QEventLoop loop;
    QTimer timer;
    timer.setSingleShot(true);
    bool finished = false;
    QObject::connect(&job, &QKeychain::Job::finished, &loop, [&] {
        finished = true;
        loop.quit();
    });
    QObject::connect(&timer, &QTimer::timeout, &loop, &QEventLoop::quit);
    job.setAutoDelete(false);
    job.start();
    timer.start(timeoutMs);
    if (!finished) {
        loop.exec(QEventLoop::ExcludeUserInputEvents);
    }
    return finished;
}

Status jobError(const QKeychain::Job& job, const QString& what) {
    const ErrorCode code =
        job.error() == QKeychain::AccessDenied || job.error() == QKeychain::AccessDeniedByUser
            ? ErrorCode::PermissionDenied
            : ErrorCode::Unavailable;
    const QString reason =
        job.errorString().isEmpty() ? QObject::tr("no reason given") : job.errorString();
    return Status(code, (what + ": " + reason).toStdString());
}

Status timedOut(const QString& what) {
    return Status(ErrorCode::Unavailable,
                  (what + ": " + QObject::tr("the keychain did not answer")).toStdString());
}

}  // namespace

Result<std::unique_ptr<KeychainBackend>> KeychainBackend::probe(int timeoutMs) {
    QKeychain::ReadPasswordJob job(kService);
    job.setKey("podium-keychain-probe");
    if (!runAndWait(job, timeoutMs)) {
        return makeError(timedOut(QObject::tr("system keychain")));
    }
    if (job.error() != QKeychain::NoError && job.error() != QKeychain::EntryNotFound) {
        return makeError(jobError(job, QObject::tr("Secret Service / KWallet")));
    }
    return std::unique_ptr<KeychainBackend>(new KeychainBackend());
}

QString KeychainBackend::describe() const {
    return QObject::tr("the system keychain");
}

Result<std::optional<QString>> KeychainBackend::read(const QString& key) {
    QKeychain::ReadPasswordJob job(kService);
    job.setKey(key);
    if (!runAndWait(job, kTimeoutMs)) {
        return makeError(timedOut(QObject::tr("reading %1").arg(key)));
    }
    if (job.error() == QKeychain::EntryNotFound) {
        return std::optional<QString>();
    }
    if (job.error() != QKeychain::NoError) {
        return makeError(jobError(job, QObject::tr("reading %1").arg(key)));
    }
    return std::optional<QString>(job.textData());
}

Result<void> KeychainBackend::write(const QString& key, const QString& value) {
    QKeychain::WritePasswordJob job(kService);
    job.setKey(key);
    job.setTextData(value);
    if (!runAndWait(job, kTimeoutMs)) {
        return makeError(timedOut(QObject::tr("saving %1").arg(key)));
    }
    if (job.error() != QKeychain::NoError) {
        return makeError(jobError(job, QObject::tr("saving %1").arg(key)));
    }
    return ok();
}

Result<void> KeychainBackend::remove(const QString& key) {
    QKeychain::DeletePasswordJob job(kService);
    job.setKey(key);
    if (!runAndWait(job, kTimeoutMs)) {
        return makeError(timedOut(QObject::tr("removing %1").arg(key)));
    }
    if (job.error() != QKeychain::NoError && job.error() != QKeychain::EntryNotFound) {
        return makeError(jobError(job, QObject::tr("removing %1").arg(key)));
    }
    return ok();
}

}  // namespace podium::gui

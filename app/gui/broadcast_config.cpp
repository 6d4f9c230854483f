#include "app/gui/broadcast_config.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <QDateTime>
#include <QDir>
#include <QRegularExpression>
#include <QUrl>

#include "app/gui/app_settings.h"
#include "app/session/origin_url.h"
#include "core/log.h"
#include "core/url_name.h"

namespace podium::gui {

namespace {

Result<void> addOrigin(const AppSettings& settings, app::SessionConfig& config) {
    auto& o = config.origin;
    o.enabled = settings.originEnabled();
    if (!o.enabled) {
        return ok();
    }
    o.bindAddress = settings.shareOnLan() ? "0.0.0.0" : "127.0.0.1";
    o.port = static_cast<uint16_t>(settings.originPort());
    if (o.port != 0 && !portIsFree(o.bindAddress, o.port)) {
        logWarning("gui", "port " + std::to_string(o.port) + " is busy; using any free port");
        o.port = 0;
    }
    const QString channel = settings.channel();
    if (!isUrlName(channel.toStdString())) {
        return makeError(
            ErrorCode::InvalidArgument,
            "channel name may use " + urlNameRule() + " (got \"" + channel.toStdString() + "\")");
    }
    o.channel = channel.toStdString();
    o.viewPasscode = settings.viewPasscode().toStdString();
    o.publishToken = app::randomToken();
    return ok();
}

Result<void> addArchive(const AppSettings& settings, app::SessionConfig& config) {
    if (!settings.archiveEnabled()) {
        return ok();
    }
    const QDir root(settings.archiveRoot());
    const QString stamp = QDateTime::currentDateTime().toString("yyyyMMdd-HHmmss");
    QString folder = root.filePath("podium-" + stamp);
    for (int n = 2; QDir(folder).exists(); ++n) {  // two Starts within one second
        folder = root.filePath(QString("podium-%1-%2").arg(stamp).arg(n));
    }
    config.archiveDir = folder.toStdString();
    return ok();
}

}  // namespace

bool portIsFree(const std::string& address, uint16_t port) {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0) {
        return true;  // cannot tell: let the origin try
    }
    int reuse = 1;
    ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &reuse, sizeof reuse);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    if (inet_pton(AF_INET, address.c_str(), &addr.sin_addr) != 1) {
        ::close(fd);
        return true;
    }
    const bool free = ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
    ::close(fd);
    return free;
}

Result<app::SessionConfig> buildCaptureConfig(const AppSettings& settings) {
    app::SessionConfig config;
    auto spec = app::SourceSpec::parse(settings.sourceSpec().toStdString());
    if (!spec) {
        return makeError(spec.error().withContext("source"));
    }
    config.source = *spec;
    auto preset = encoder::findPreset(settings.presetName().toStdString());
    if (!preset) {
        return makeError(preset.error());
    }
    config.preset = *preset;
    auto audio = app::AudioSpec::parse(settings.audioSpec().toStdString());
    if (!audio) {
        return makeError(audio.error().withContext("sound"));
    }
    auto& options = config.sourceOptions;
    options.pacing = capture::Pacing::RealTime;
    options.audio = *audio;
    const app::SceneSettings scene = settings.scene();
    options.title = scene.title;
    options.pipSpec = scene.pipSpec;
    options.pipLayout = scene.pipLayout;
    options.editableScene = true;
    options.latencyProbe = settings.latencyProbe();
    return config;
}

Result<app::SessionConfig> buildSessionConfig(const AppSettings& settings) {
    auto captured = buildCaptureConfig(settings);
    if (!captured) {
        return captured;
    }
    app::SessionConfig config = std::move(*captured);
    config.ladder.framePolicy = encoder::FanoutPolicy::DropOldestCommon;
    if (auto r = addOrigin(settings, config); !r) {
        return makeError(r.error());
    }
    if (auto r = addArchive(settings, config); !r) {
        return makeError(r.error());
    }
    for (const RemoteDestination& d : settings.destinations()) {
        if (!d.enabled) {
            continue;
        }
        auto target = pushTarget(d);
        if (!target) {
            return makeError(target.error());
        }
        config.destinations.push_back(std::move(*target));
    }
    return config;
}

Result<publisher::push::PushTarget> pushTarget(const RemoteDestination& destination) {
    auto target = publisher::push::PushTarget::parse(destination.toSpec().toStdString());
    if (!target) {
        return makeError(
            target.error().withContext("destination " + destination.url.toStdString()));
    }
    target->user = destination.username.toStdString();
    target->password = destination.password.toStdString();
    return target;
}

QString viewerUrl(const app::OriginOptions& origin, uint16_t port) {
    if (!origin.enabled || port == 0) {
        return {};
    }
    QString url = QString("http://%1:%2/watch/%3")
                      .arg(QString::fromStdString(app::viewerHost(origin.bindAddress)))
                      .arg(port)
                      .arg(QString::fromStdString(origin.channel));
    if (!origin.viewPasscode.empty()) {
        url += "?code=" + QString::fromLatin1(
                              QUrl::toPercentEncoding(QString::fromStdString(origin.viewPasscode)));
    }
    return url;
}

}  // namespace podium::gui

#include "app/gui/remote_destination.h"

#include <QCoreApplication>
#include <QUrl>

namespace podium::gui {

namespace {

QString tr(const char* text) {
    return QCoreApplication::translate("RemoteDestination", text);
}

struct Prefix {
    const char* text;
    PublishProtocol protocol;
};
constexpr Prefix kPrefixes[] = {{"smooth=", PublishProtocol::Smooth},
                                {"cmaf=", PublishProtocol::Cmaf},
                                {"hls=", PublishProtocol::Hls},
                                {"dash=", PublishProtocol::Dash}};

QString prefixOf(PublishProtocol protocol) {
    switch (protocol) {
        case PublishProtocol::Smooth:
            return "smooth";
        case PublishProtocol::Cmaf:
            return "cmaf";
        case PublishProtocol::Hls:
            return "hls";
        case PublishProtocol::Dash:
            return "dash";
    }
    return "cmaf";
}

}  // namespace

QString protocolName(PublishProtocol protocol) {
    switch (protocol) {
        case PublishProtocol::Smooth:
            return "Smooth";
        case PublishProtocol::Cmaf:
            return "CMAF";
        case PublishProtocol::Hls:
            return "HLS";
        case PublishProtocol::Dash:
            return "DASH";
    }
    return "CMAF";
}

QString RemoteDestination::toSpec() const {
    return prefixOf(protocol) + "=" + url;
}

DestinationParse parseDestination(const QString& text) {
    DestinationParse out;
    QString rest = text.trimmed();
    if (rest.isEmpty()) {
        out.message = tr("Enter the publishing point's URL (http:// or https://).");
        return out;
    }
    bool explicitProtocol = false;
    for (const auto& prefix : kPrefixes) {
        if (rest.startsWith(QLatin1String(prefix.text), Qt::CaseInsensitive)) {
            out.destination.protocol = prefix.protocol;
            rest = rest.mid(int(qstrlen(prefix.text)));
            explicitProtocol = true;
            break;
        }
    }
    const QUrl url(rest, QUrl::StrictMode);
    const QString scheme = url.scheme().toLower();
    if (!url.isValid() || (scheme != "http" && scheme != "https")) {
        out.message = tr("Not a web address: it must start with http:// or https://.");
        return out;
    }
    if (url.host().isEmpty()) {
        out.message = tr("The address has no server name.");
        return out;
    }
    if (url.path().isEmpty() || url.path() == "/") {
        out.message =
            tr("The address needs the publishing point's path "
               "(for example /live/stream.isml).");
        return out;
    }
    if (!explicitProtocol) {
        out.destination.protocol = url.path().contains(".isml", Qt::CaseInsensitive)
                                       ? PublishProtocol::Smooth
                                       : PublishProtocol::Cmaf;
    }
    out.destination.username = url.userName(QUrl::FullyDecoded);
    out.destination.password = url.password(QUrl::FullyDecoded);
    QUrl clean = url;
    clean.setUserInfo(QString());
    out.destination.url = clean.toString();
    out.ok = true;
    out.message = tr("%1 ingest to %2").arg(protocolName(out.destination.protocol), url.host());
    return out;
}

}  // namespace podium::gui

#pragma once

#include <QString>
#include <QVector>

namespace podium::gui {

/// How a remote publishing point is fed: the PROTOCOL of `--publish [PROTOCOL=]URL` (README
/// "Stream to publishing points").
enum class PublishProtocol { Smooth = 1, Cmaf, Hls, Dash };

/// One remote publishing point as the user entered it. Plain data, any thread.
/// `url` never carries credentials: they live in username/password (HTTP Basic).
struct RemoteDestination {
    PublishProtocol protocol = PublishProtocol::Cmaf;
    QString url;  ///< http(s)://host[:port]/path, no userinfo
    QString username;
    QString password;
    bool enabled = true;

    /// "hls=http://..." form, as podium-cli --publish takes it (credentials excluded).
    [[nodiscard]] QString toSpec() const;
    bool operator==(const RemoteDestination&) const = default;
};

/// Result of reading what the user typed into the destination field.
struct DestinationParse {
    bool ok = false;
    RemoteDestination destination;  ///< valid when ok
    QString message;                ///< why it is refused, or what it will do ("Smooth ingest")
};

/// Parses "[smooth|cmaf|hls|dash=]URL". Without a prefix a path containing ".isml" is Smooth
/// ingest and anything else CMAF ingest. The URL must be absolute http or https with a host;
/// userinfo ("user:pass@") is moved into username/password. Never throws.
DestinationParse parseDestination(const QString& text);

/// "Smooth", "CMAF", "HLS", "DASH".
QString protocolName(PublishProtocol protocol);

}  // namespace podium::gui

#pragma once

#include <QImage>
#include <QString>

namespace podium::gui {

/// Encodes `text` as a QR code (libqrencode, error correction M) into a black-on-white image
/// with a 4-module quiet zone, `moduleSize` pixels per module. Null image if encoding fails.
/// Any thread.
QImage qrImage(const QString& text, int moduleSize = 4);

}  // namespace podium::gui

#include "app/gui/qr_image.h"

#include <qrencode.h>

#include <memory>

namespace podium::gui {

namespace {
struct QrDeleter {
    void operator()(QRcode* code) const { QRcode_free(code); }
};
constexpr int kQuietModules = 4;
}  // namespace

QImage qrImage(const QString& text, int moduleSize) {
    const QByteArray utf8 = text.toUtf8();
    std::unique_ptr<QRcode, QrDeleter> code(
        QRcode_encodeString(utf8.constData(), 0, QR_ECLEVEL_M, QR_MODE_8, 1));
    if (!code || moduleSize <= 0) {
        return {};
    }
    const int modules = code->width + 2 * kQuietModules;
    QImage image(modules, modules, QImage::Format_Grayscale8);
    image.fill(255);
    for (int y = 0; y < code->width; ++y) {
        uchar* line = image.scanLine(y + kQuietModules);
        for (int x = 0; x < code->width; ++x) {
            if (code->data[y * code->width + x] & 1) {
                line[x + kQuietModules] = 0;
            }
        }
    }
    return image.scaled(modules * moduleSize, modules * moduleSize, Qt::IgnoreAspectRatio,
                        Qt::FastTransformation);
}

}  // namespace podium::gui

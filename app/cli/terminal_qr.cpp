#include "app/cli/terminal_qr.h"

#include <qrencode.h>

#include <memory>

namespace podium::cli {

namespace {
struct QrDeleter {
    void operator()(QRcode* code) const { QRcode_free(code); }
};
}  // namespace

std::string terminalQrCode(const std::string& text) {
    std::unique_ptr<QRcode, QrDeleter> code(
        QRcode_encodeString(text.c_str(), 0, QR_ECLEVEL_M, QR_MODE_8, 1));
    if (!code) {
        return {};
    }
    const int size = code->width;
    constexpr int kQuiet = 2;
    auto dark = [&](int x, int y) {
        if (x < 0 || y < 0 || x >= size || y >= size) {
            return false;
        }
        return (code->data[y * size + x] & 1) != 0;
    };
    // Light modules are drawn (full/half blocks), dark ones left blank: on a dark terminal this
    // reads as dark-on-light, which is what QR readers expect.
    std::string out;
    for (int y = -kQuiet; y < size + kQuiet; y += 2) {
        for (int x = -kQuiet; x < size + kQuiet; ++x) {
            const bool top = !dark(x, y);
            const bool bottom = !dark(x, y + 1);
            if (top && bottom) {
                out += "\u2588";
            } else if (top) {
                out += "\u2580";
            } else if (bottom) {
                out += "\u2584";
            } else {
                out += ' ';
            }
        }
        out += '\n';
    }
    return out;
}

}  // namespace podium::cli

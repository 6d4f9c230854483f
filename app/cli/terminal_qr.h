#pragma once

#include <string>

namespace podium::cli {

/// The text rendered as a QR code for a terminal: two modules per character cell using the
/// Unicode half blocks, with the quiet zone, dark-on-light so phones read it on dark themes.
/// Empty if libqrencode cannot encode it.
std::string terminalQrCode(const std::string& text);

}  // namespace podium::cli

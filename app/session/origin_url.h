#pragma once

#include <cstdint>
#include <string>

#include "core/status.h"

namespace podium::app {

struct ListenAddress {
    std::string address = "127.0.0.1";
    uint16_t port = 8080;
};

/// "[ADDR:]PORT" -> address and port. Without ADDR: 127.0.0.1, or 0.0.0.0 when `share`.
Result<ListenAddress> parseListenAddress(const std::string& text, bool share);

/// The host viewers should use: the listen address, or for 0.0.0.0 the machine's first
/// non-loopback IPv4 address (the LAN address a phone can reach).
std::string viewerHost(const std::string& bindAddress);

/// A random token (hex) for publishing when the user gave none.
std::string randomToken(int bytes = 12);

}  // namespace podium::app

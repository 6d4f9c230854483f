#include "app/session/origin_url.h"

#include <arpa/inet.h>
#include <ifaddrs.h>
#include <netinet/in.h>

#include <cstdio>
#include <random>

namespace podium::app {

Result<ListenAddress> parseListenAddress(const std::string& text, bool share) {
    ListenAddress out;
    out.address = share ? "0.0.0.0" : "127.0.0.1";
    std::string portText = text;
    const auto colon = text.rfind(':');
    if (colon != std::string::npos) {
        out.address = text.substr(0, colon);
        portText = text.substr(colon + 1);
    }
    char* end = nullptr;
    const long port = std::strtol(portText.c_str(), &end, 10);
    if (portText.empty() || *end != '\0' || port < 0 || port > 65535) {
        return makeError(ErrorCode::InvalidArgument,
                         "--origin takes [ADDR:]PORT (got \"" + text + "\")");
    }
    in_addr probe{};
    if (inet_pton(AF_INET, out.address.c_str(), &probe) != 1) {
        return makeError(ErrorCode::InvalidArgument,
                         "--origin address must be an IPv4 address (got \"" + out.address + "\")");
    }
    out.port = static_cast<uint16_t>(port);
    return out;
}

std::string viewerHost(const std::string& bindAddress) {
    if (bindAddress != "0.0.0.0") {
        return bindAddress;
    }
    std::string found = "127.0.0.1";
    ifaddrs* list = nullptr;
    if (getifaddrs(&list) != 0) {
        return found;
    }
    for (ifaddrs* a = list; a; a = a->ifa_next) {
        if (!a->ifa_addr || a->ifa_addr->sa_family != AF_INET) {
            continue;
        }
        const auto* in = reinterpret_cast<const sockaddr_in*>(a->ifa_addr);
        char text[INET_ADDRSTRLEN] = {};
        inet_ntop(AF_INET, &in->sin_addr, text, sizeof text);
        if (std::string(text).rfind("127.", 0) != 0) {
            found = text;
            break;
        }
    }
    freeifaddrs(list);
    return found;
}

std::string randomToken(int bytes) {
    std::random_device device;
    std::string out;
    for (int i = 0; i < bytes; ++i) {
        char hex[3];
        std::snprintf(hex, sizeof hex, "%02x", device() & 0xff);
        out += hex;
    }
    return out;
}

}  // namespace podium::app

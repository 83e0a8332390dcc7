#include "common/node/host_port.hpp"

#include <charconv>

namespace coinnet {

Result<HostPort> parse_host_port(std::string_view text) {
    auto colon = text.rfind(':');
    if (colon == std::string_view::npos || colon == 0)
        return fail(DirectoryReason::kBadEndpoint, "'" + std::string(text) + "' is not HOST:PORT");
    std::string_view port_text = text.substr(colon + 1);
    unsigned port = 0;
    auto [end, ec] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
    if (ec != std::errc() || end != port_text.data() + port_text.size() || port == 0 ||
        port > 65535)
        return fail(DirectoryReason::kBadEndpoint,
                    "'" + std::string(port_text) + "' is not a port (1-65535)");
    return HostPort{std::string(text.substr(0, colon)), static_cast<std::uint16_t>(port)};
}

}  // namespace coinnet

#pragma once
// "HOST:PORT" endpoints as users type them on the command line.
#include <cstdint>
#include <string>
#include <string_view>

#include "common/util/result.hpp"

namespace coinnet {

struct HostPort {
    std::string host;
    std::uint16_t port = 0;

    std::string to_string() const { return host + ":" + std::to_string(port); }
    bool operator==(const HostPort&) const = default;
};

// Refuses a missing colon, an empty host, and ports outside 1..65535 (code "bad-endpoint").
Result<HostPort> parse_host_port(std::string_view text);

}  // namespace coinnet

#pragma once
// How a handler fuzz target reads its input: the first byte picks the role the client claims
// in its Hello, the rest is a sequence of frame bodies, each a 2-byte big-endian length and
// that many bytes (a truncated last one keeps what is left). Each body goes on the wire as one
// frame, so the node's own session decodes it as an Envelope, or refuses it as a peer's junk.
// At most kMaxBodies bodies: the work per input stays bounded whatever its length.
#include <cstddef>
#include <cstdint>
#include <vector>

#include "common/util/bytes.hpp"
#include "proto/coinnet.pb.h"

namespace coinnet::fuzz {

inline constexpr std::size_t kMaxBodies = 64;

// The roles a client can claim, in the order the first byte selects them (modulo the count).
inline const std::vector<wire::Role>& client_roles() {
    static const std::vector<wire::Role> roles{wire::ROLE_MINER, wire::ROLE_WALLET, wire::ROLE_TOOL,
                                               wire::ROLE_OBSERVER};
    return roles;
}

struct EnvelopeScript {
    wire::Role role = wire::ROLE_TOOL;
    std::vector<Bytes> bodies;
};

inline EnvelopeScript read_script(ByteSpan input) {
    EnvelopeScript script;
    if (input.empty())
        return script;
    script.role = client_roles()[input[0] % client_roles().size()];
    input = input.subspan(1);
    while (input.size() >= 2 && script.bodies.size() < kMaxBodies) {
        std::size_t length = (std::size_t{input[0]} << 8) | input[1];
        input = input.subspan(2);
        length = std::min(length, input.size());
        script.bodies.emplace_back(input.begin(), input.begin() + length);
        input = input.subspan(length);
    }
    return script;
}

// The inverse, for the seed generator: role index, then each body with its length.
inline Bytes write_script(std::size_t role_index, const std::vector<Bytes>& bodies) {
    Bytes out{static_cast<std::uint8_t>(role_index)};
    for (const Bytes& body : bodies) {
        std::size_t length = std::min<std::size_t>(body.size(), 0xffff);
        out.push_back(static_cast<std::uint8_t>(length >> 8));
        out.push_back(static_cast<std::uint8_t>(length));
        out.insert(out.end(), body.begin(), body.begin() + length);
    }
    return out;
}

}  // namespace coinnet::fuzz

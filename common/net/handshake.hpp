#pragma once
// The Hello exchange (docs/PROTOCOL.md §2) as pure functions, so the rules are testable
// without sockets: what we announce, and whether a peer's Hello is acceptable.
#include <cstdint>
#include <string>

#include "common/util/bytes.hpp"
#include "common/util/result.hpp"
#include "proto/coinnet.pb.h"

namespace coinnet::net {

// Who we are, as announced in our Hello.
struct LocalHello {
    wire::Role role = wire::ROLE_TOOL;
    std::string name;
    // The genesis hash (internal order). Empty means "accept any network": a client that has
    // not joined yet (first start, --status) must be able to talk to any bootstrap.
    Bytes network_id;
    std::uint16_t listen_port = 0;
    // Random per process. When non-empty, a peer announcing the same nonce is ourselves (we
    // dialled our own advertised address) and is refused with "self-connection".
    Bytes node_nonce;
    std::uint32_t protocol_version = 0;  // 0 = kProtocolVersion; other values only in tests
    Bytes reward_owner;                  // miners: the HASH160 their coinbases pay (display only)
};

wire::Hello make_hello(const LocalHello& local);

// Ok, or the Failure to send back as an Error before closing: "wrong-version",
// "wrong-network" (both ids non-empty and different), "self-connection".
Status check_peer_hello(const wire::Hello& peer, const LocalHello& local);

// How a network id reads in messages: byte-reversed hex for a 32-byte hash (as genesis hashes
// are displayed everywhere else), plain hex otherwise, "(any)" when empty.
std::string network_id_text(const std::string& network_id);

}  // namespace coinnet::net

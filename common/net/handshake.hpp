#pragma once
// The Hello exchange (docs/PROTOCOL.md §2) as pure functions, so the rules are testable
// without sockets: what we announce, whether a peer's Hello is acceptable, and the miner's
// proof of its node key (§2.1).
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "common/crypto/hash.hpp"
#include "common/crypto/keys.hpp"
#include "common/util/bytes.hpp"
#include "common/util/result.hpp"
#include "proto/coinnet.pb.h"

namespace coinnet::net {

// Names in a Hello: [A-Za-z0-9_-], 1 to 32 characters (miners and wallets register such
// names; tools may send none).
inline constexpr std::size_t kMaxNameLength = 32;
inline constexpr std::size_t kChallengeSize = 32;
[[nodiscard]] bool is_valid_name(const std::string& name);

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
    // Miners only: the node key whose possession our HelloProof shows.
    std::shared_ptr<const PrivateKey> node_key;
    Bytes reward_owner;  // miners: the HASH160 their coinbases pay (display only)
};

// `challenge` is this connection's fresh random challenge (kChallengeSize bytes).
wire::Hello make_hello(const LocalHello& local, const Bytes& challenge);

// Ok, or the Failure to send back as an Error before closing: "bad-hello" (role out of range,
// name too long or not [A-Za-z0-9_-], a miner without a name, a challenge that is not 32
// bytes), "wrong-version", "wrong-network" (both ids non-empty and different),
// "self-connection".
Status check_peer_hello(const wire::Hello& peer, const LocalHello& local);

// The digest a miner signs in its HelloProof: what both sides said in their Hellos, from the
// signer's point of view. `signer_dialled` is true when the signer opened the connection, so a
// proof made for one direction cannot be relayed into the other. Layout in docs/PROTOCOL.md.
struct HelloProofContext {
    Hash256 network_id;
    std::string signer_name;
    bool signer_dialled = false;
    Bytes signer_challenge;
    std::string verifier_name;
    Bytes verifier_challenge;
};
Bytes hello_proof_bytes(const HelloProofContext& context);
Hash256 hello_proof_digest(const HelloProofContext& context);

// Our proof for a peer whose Hello we read (we are a miner with `local.node_key`).
wire::HelloProof make_hello_proof(const LocalHello& local, const Bytes& our_challenge,
                                  const wire::Hello& peer, bool we_dialled);
// The key the peer proved, or "bad-hello-proof".
Result<PubKeyBytes> check_hello_proof(const wire::HelloProof& proof, const wire::Hello& peer,
                                      const LocalHello& local, const Bytes& our_challenge,
                                      bool we_dialled);

// How a network id reads in messages: byte-reversed hex for a 32-byte hash (as genesis hashes
// are displayed everywhere else), plain hex otherwise, "(any)" when empty.
std::string network_id_text(const std::string& network_id);

}  // namespace coinnet::net

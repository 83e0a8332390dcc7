#include "common/net/handshake.hpp"

#include <cstring>

#include "common/encoding/serialize.hpp"
#include "common/net/protocol.hpp"
#include "common/util/hex.hpp"

namespace coinnet::net {

namespace {

ByteSpan as_span(const std::string& s) {
    return ByteSpan(reinterpret_cast<const std::uint8_t*>(s.data()), s.size());
}

Bytes as_bytes(const std::string& s) {
    return Bytes(s.begin(), s.end());
}

std::uint32_t effective_version(const LocalHello& local) {
    return local.protocol_version != 0 ? local.protocol_version : kProtocolVersion;
}

bool role_in_range(int role) {
    return role >= wire::ROLE_BOOTSTRAP && role <= wire::ROLE_OBSERVER;
}

// The fields of a Hello that come from a stranger, bounded before anything else looks at them
// (a 1 MB name would otherwise end up in every log line and peer table).
Status check_hello_fields(const wire::Hello& peer) {
    if (!role_in_range(peer.role()))
        return fail(codes::kBadHello, "hello role " + std::to_string(peer.role()) +
                                          " is not bootstrap, miner, wallet or tool");
    if (!peer.name().empty() && !is_valid_name(peer.name()))
        return fail(codes::kBadHello, "hello name of " + std::to_string(peer.name().size()) +
                                          " bytes must match [A-Za-z0-9_-]{1," +
                                          std::to_string(kMaxNameLength) + "}");
    if (peer.role() == wire::ROLE_MINER && peer.name().empty())
        return fail(codes::kBadHello, "a miner's hello must carry its name");
    if (peer.role() == wire::ROLE_MINER && peer.network_id().size() != 32)
        return fail(codes::kBadHello, "a miner's hello must carry its 32-byte network id");
    if (peer.challenge().size() != kChallengeSize)
        return fail(codes::kBadHello, "hello challenge must be " + std::to_string(kChallengeSize) +
                                          " bytes, got " + std::to_string(peer.challenge().size()));
    if (peer.node_nonce().size() > 32)
        return fail(codes::kBadHello, "hello node nonce is longer than 32 bytes");
    return {};
}

}  // namespace

bool is_valid_name(const std::string& name) {
    if (name.empty() || name.size() > kMaxNameLength)
        return false;
    for (char c : name) {
        bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                  c == '_' || c == '-';
        if (!ok)
            return false;
    }
    return true;
}

wire::Hello make_hello(const LocalHello& local, const Bytes& challenge) {
    wire::Hello hello;
    hello.set_protocol_version(effective_version(local));
    hello.set_network_id(local.network_id.data(), local.network_id.size());
    hello.set_role(local.role);
    hello.set_name(local.name);
    hello.set_listen_port(local.listen_port);
    hello.set_node_nonce(local.node_nonce.data(), local.node_nonce.size());
    hello.set_reward_owner(local.reward_owner.data(), local.reward_owner.size());
    hello.set_challenge(challenge.data(), challenge.size());
    return hello;
}

std::string network_id_text(const std::string& network_id) {
    if (network_id.empty())
        return "(any)";
    if (auto hash = Hash256::from_bytes(as_span(network_id)))
        return hash->hex();
    return to_hex(as_span(network_id));
}

Status check_peer_hello(const wire::Hello& peer, const LocalHello& local) {
    if (Status fields = check_hello_fields(peer); !fields)
        return fields;
    const std::uint32_t ours = effective_version(local);
    if (peer.protocol_version() != ours)
        return fail(codes::kWrongVersion, "peer speaks protocol version " +
                                              std::to_string(peer.protocol_version()) +
                                              ", this node speaks version " + std::to_string(ours));
    const std::string our_network(local.network_id.begin(), local.network_id.end());
    if (!our_network.empty() && !peer.network_id().empty() && peer.network_id() != our_network)
        return fail(codes::kWrongNetwork,
                    "peer is on network " + network_id_text(peer.network_id()) +
                        ", this node is on network " + network_id_text(our_network));
    const std::string our_nonce(local.node_nonce.begin(), local.node_nonce.end());
    if (!our_nonce.empty() && peer.node_nonce() == our_nonce)
        return fail(codes::kSelfConnection, "connected to ourselves");
    return {};
}

Bytes hello_proof_bytes(const HelloProofContext& c) {
    static constexpr char kTag[] = "coinnet-hello-proof";
    Bytes out;
    Writer w(out);
    w.var_bytes(ByteSpan(reinterpret_cast<const std::uint8_t*>(kTag), sizeof(kTag) - 1));
    w.hash(c.network_id);
    w.var_bytes(as_span(c.signer_name));
    w.u8(c.signer_dialled ? 1 : 0);
    w.var_bytes(c.signer_challenge);
    w.var_bytes(as_span(c.verifier_name));
    w.var_bytes(c.verifier_challenge);
    return out;
}

Hash256 hello_proof_digest(const HelloProofContext& context) {
    return sha256d(hello_proof_bytes(context));
}

wire::HelloProof make_hello_proof(const LocalHello& local, const Bytes& our_challenge,
                                  const wire::Hello& peer, bool we_dialled) {
    HelloProofContext c;
    if (auto id = Hash256::from_bytes(local.network_id))
        c.network_id = *id;
    c.signer_name = local.name;
    c.signer_dialled = we_dialled;
    c.signer_challenge = our_challenge;
    c.verifier_name = peer.name();
    c.verifier_challenge = as_bytes(peer.challenge());
    const SigBytes sig = local.node_key->sign(hello_proof_digest(c));
    const PubKeyBytes pub = local.node_key->public_key();
    wire::HelloProof proof;
    proof.set_node_pubkey(pub.data(), pub.size());
    proof.set_signature(sig.data(), sig.size());
    return proof;
}

Result<PubKeyBytes> check_hello_proof(const wire::HelloProof& proof, const wire::Hello& peer,
                                      const LocalHello& local, const Bytes& our_challenge,
                                      bool we_dialled) {
    PubKeyBytes key{};
    SigBytes sig{};
    if (proof.node_pubkey().size() != key.size() || proof.signature().size() != sig.size())
        return fail(codes::kBadHelloProof, "the proof of miner " + peer.name() +
                                               " needs a 33-byte key and a 64-byte signature");
    std::memcpy(key.data(), proof.node_pubkey().data(), key.size());
    std::memcpy(sig.data(), proof.signature().data(), sig.size());
    HelloProofContext c;
    c.network_id = *Hash256::from_bytes(as_span(peer.network_id()));  // 32 bytes: checked
    c.signer_name = peer.name();
    c.signer_dialled = !we_dialled;
    c.signer_challenge = as_bytes(peer.challenge());
    c.verifier_name = local.name;
    c.verifier_challenge = our_challenge;
    if (!is_valid_public_key(key) || !verify_signature(key, hello_proof_digest(c), sig))
        return fail(codes::kBadHelloProof,
                    "the hello of miner " + peer.name() + " is not signed by the key it shows");
    return key;
}

}  // namespace coinnet::net

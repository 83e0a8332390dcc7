#include "common/net/handshake.hpp"

#include "common/crypto/hash.hpp"
#include "common/net/protocol.hpp"
#include "common/util/hex.hpp"

namespace coinnet::net {

namespace {

ByteSpan as_span(const std::string& s) {
    return ByteSpan(reinterpret_cast<const std::uint8_t*>(s.data()), s.size());
}

std::uint32_t effective_version(const LocalHello& local) {
    return local.protocol_version != 0 ? local.protocol_version : kProtocolVersion;
}

}  // namespace

wire::Hello make_hello(const LocalHello& local) {
    wire::Hello hello;
    hello.set_protocol_version(effective_version(local));
    hello.set_network_id(local.network_id.data(), local.network_id.size());
    hello.set_role(local.role);
    hello.set_name(local.name);
    hello.set_listen_port(local.listen_port);
    hello.set_node_nonce(local.node_nonce.data(), local.node_nonce.size());
    hello.set_reward_owner(local.reward_owner.data(), local.reward_owner.size());
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

}  // namespace coinnet::net

#include "common/node/signed_messages.hpp"

#include "common/encoding/serialize.hpp"
#include "common/net/handshake.hpp"

namespace coinnet {

namespace {
void tag(Writer& w, const char* text) {
    w.var_bytes(ByteSpan(reinterpret_cast<const std::uint8_t*>(text), std::strlen(text)));
}
void str(Writer& w, const std::string& s) {
    w.var_bytes(ByteSpan(reinterpret_cast<const std::uint8_t*>(s.data()), s.size()));
}
}  // namespace

Hash256 miner_registration_digest(const std::string& name, const std::string& host,
                                  std::uint16_t port, std::uint64_t timestamp,
                                  const Hash256& network_id) {
    Bytes buf;
    Writer w(buf);
    tag(w, "coinnet-miner-register");
    str(w, name);
    str(w, host);
    w.u16(port);
    w.u64(timestamp);
    w.hash(network_id);
    return sha256d(buf);
}

Hash256 heartbeat_digest(const std::string& name, std::uint32_t height, const Hash256& tip,
                         std::uint64_t timestamp) {
    Bytes buf;
    Writer w(buf);
    tag(w, "coinnet-heartbeat");
    str(w, name);
    w.u32(height);
    w.hash(tip);
    w.u64(timestamp);
    return sha256d(buf);
}

Hash256 wallet_registration_digest(const std::string& name, const PubKeyBytes& pubkey,
                                   const Hash256& network_id) {
    Bytes buf;
    Writer w(buf);
    tag(w, "coinnet-wallet-register");
    str(w, name);
    w.bytes(pubkey);
    w.hash(network_id);
    return sha256d(buf);
}

bool is_valid_name(const std::string& name) {
    return net::is_valid_name(name);  // one rule for registrations and Hellos
}

}  // namespace coinnet

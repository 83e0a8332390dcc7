#pragma once
// Digests of the signed directory messages (proto/coinnet.proto comments and
// docs/PROTOCOL.md). A miner or wallet signs them with its own key so nobody else can take
// its name over; each digest starts with a distinct tag so a signature for one message can
// never be replayed as another.
#include <cstdint>
#include <string>

#include "common/crypto/hash.hpp"
#include "common/primitives/transaction.hpp"

namespace coinnet {

Hash256 miner_registration_digest(const std::string& name, const std::string& host,
                                  std::uint16_t port, std::uint64_t timestamp,
                                  const Hash256& network_id);
Hash256 heartbeat_digest(const std::string& name, std::uint32_t height, const Hash256& tip,
                         std::uint64_t timestamp);
Hash256 wallet_registration_digest(const std::string& name, const PubKeyBytes& pubkey,
                                   const Hash256& network_id);

// Names of miners and wallets: [A-Za-z0-9_-]{1,32}.
bool is_valid_name(const std::string& name);

}  // namespace coinnet

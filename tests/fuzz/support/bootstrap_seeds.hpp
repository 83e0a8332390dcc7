#pragma once
// The fixed world of the bootstrap target, shared with the seed generator so its signed
// seeds (registrations, heartbeats) verify: the clock reading, the network (a fixed faucet key
// instead of the random one a real bootstrap creates), and the names and keys the seeds use.
#include <cstdint>

#include "bootstrap/network_setup.hpp"
#include "common/consensus/genesis.hpp"
#include "tests/unit/chain_fixture.hpp"

namespace coinnet::fuzz {

inline constexpr std::int64_t kSeedNow = 1'700'000'100;
inline constexpr const char* kSeedMinerName = "Miner1";
inline constexpr const char* kSeedWalletName = "Adam";

inline const PrivateKey& seed_miner_key() {
    static const PrivateKey key = test::key_from_seed(200);
    return key;
}
inline const PrivateKey& seed_wallet_key() {
    static const PrivateKey key = test::key_from_seed(201);
    return key;
}

inline bootstrap::NetworkState seed_network() {
    ConsensusParams params;
    params.network_name = "fuzz";
    params.difficulty_bits = 2;
    params.faucet_grants = 4;
    PrivateKey faucet = test::key_from_seed(0);
    Block genesis = make_genesis_block(params, faucet.public_key(), 1'700'000'000);
    Hash256 hash = block_hash(genesis.header);
    return bootstrap::NetworkState{params, genesis, hash, faucet, true};
}

}  // namespace coinnet::fuzz

#pragma once
// Which network the wallet is on: the genesis hash (our Hello's network id) and the consensus
// parameters (coinbase maturity decides which mined coins are spendable). Asked of the
// bootstrap at every start and cached in the data dir, so a wallet restarted while the
// bootstrap is down still talks to its miners.
#include <filesystem>

#include "common/consensus/params.hpp"
#include "common/crypto/hash.hpp"
#include "common/util/result.hpp"
#include "wallet/bootstrap_client.hpp"

namespace coinnet::wallet {

struct NetworkInfo {
    Hash256 genesis_hash;
    ConsensusParams params;
};

struct ResolvedNetwork {
    NetworkInfo info;
    bool from_cache = false;  // the bootstrap was unreachable
    bool changed = false;     // the cache named another network (a new bootstrap)
};

// Codes: the bootstrap's failure ("unreachable"...) when neither it nor the cache answers;
// "bad-network" for a reply that makes no sense.
Result<ResolvedNetwork> resolve_network(BootstrapClient& bootstrap,
                                        const std::filesystem::path& data_dir);

}  // namespace coinnet::wallet

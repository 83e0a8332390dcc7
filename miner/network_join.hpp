#pragma once
// Which network this miner belongs to: fetched from the bootstrap on the first start and kept
// in DATA/network.bin; on later starts checked against the bootstrap when it answers.
#include <atomic>
#include <filesystem>

#include "common/consensus/params.hpp"
#include "common/node/host_port.hpp"
#include "common/primitives/block.hpp"

namespace coinnet::miner {

struct JoinedNetwork {
    ConsensusParams params;
    Block genesis;
    Hash256 genesis_hash;
};

// Blocks until the network is known. Without a stored network it keeps retrying the
// bootstrap with backoff (saying so once) until `cancel` is set. Codes: "wrong-network" (the
// bootstrap serves another network than the data dir holds), "cancelled", "bad-network".
Result<JoinedNetwork> join_network(const std::filesystem::path& data_dir, const HostPort& bootstrap,
                                   const std::atomic<bool>& cancel);

}  // namespace coinnet::miner

#pragma once
// Creating the network on the bootstrap's first start, and reusing it afterwards.
#include <filesystem>
#include <set>
#include <string>

#include "bootstrap/store.hpp"
#include "common/consensus/params.hpp"
#include "common/crypto/keys.hpp"
#include "common/primitives/block.hpp"

namespace coinnet::bootstrap {

struct NetworkState {
    ConsensusParams params;
    Block genesis;
    Hash256 genesis_hash;
    PrivateKey faucet_key;
    bool created = false;  // true on the first start
};

// `requested` holds the parameters from the command line; `given` names the consensus flags
// the user actually typed (e.g. "--difficulty-bits"). On the first start the network is
// created from `requested`; later, every given flag must equal the stored value, otherwise
// code "params-mismatch" names the flag and both values (a silent fork is never an option).
Result<NetworkState> open_or_create_network(Store& store, const std::filesystem::path& data_dir,
                                            const ConsensusParams& requested,
                                            const std::set<std::string>& given, std::int64_t now);

}  // namespace coinnet::bootstrap

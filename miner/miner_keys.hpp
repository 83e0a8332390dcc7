#pragma once
// Which node key each miner name belongs to, learnt from the bootstrap's miner list. Every
// entry there carries the miner's own signed registration, which is checked here, so a Hello
// claiming a name is accepted only with the key that registered it (SPEC §5.1). Bounded: past
// max_entries the name learnt longest ago is forgotten (it is learnt again at the next list).
#include <cstddef>
#include <list>
#include <optional>
#include <string>
#include <unordered_map>

#include "common/crypto/hash.hpp"
#include "common/crypto/key_bytes.hpp"
#include "proto/coinnet.pb.h"

namespace coinnet::miner {

class MinerKeyBook {
  public:
    explicit MinerKeyBook(Hash256 network_id, std::size_t max_entries = 4096)
        : network_id_(network_id), max_entries_(max_entries) {}

    // Learns the entry's name -> key if its registration signature checks; false otherwise
    // (the entry must not be trusted, nor dialled).
    bool learn(const wire::MinerInfo& info);
    std::optional<PubKeyBytes> key_of(const std::string& name) const;
    std::size_t size() const { return keys_.size(); }

  private:
    Hash256 network_id_;
    std::size_t max_entries_;
    std::unordered_map<std::string, PubKeyBytes> keys_;
    std::list<std::string> learnt_order_;  // oldest first
};

}  // namespace coinnet::miner

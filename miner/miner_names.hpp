#pragma once
// Who mined a block, by name: the reward owner (HASH160) each peer miner announced in its
// Hello, mapped to the name it proved at the handshake. Names are learnt as peers connect and
// kept after they leave (bounded), so old blocks keep their miner's name.
//
// A Hello's reward_owner is only a claim: a miner could claim another's reward address to take
// credit for its blocks. The stakes are a label, but still: an owner claimed by two names is
// shown by its address, never by whichever name spoke last, and our own key is ours alone.
#include <cstddef>
#include <map>
#include <optional>
#include <string>

#include "common/crypto/hash.hpp"

namespace coinnet::miner {

class MinerNames {
  public:
    static constexpr std::size_t kMaxNames = 4096;

    MinerNames(Hash160 own_owner, std::string own_name);
    // A peer miner `name` says its coinbases pay `owner` (raw Hello bytes; anything but 20
    // bytes is ignored).
    void learn(const std::string& owner_bytes, const std::string& name);
    // The miner's name, or nullopt when unknown or disputed.
    std::optional<std::string> name_of(const Hash160& owner) const;
    // name_of(), else "C1a2b3c4…" (the start of the address).
    std::string label_of(const Hash160& owner) const;

  private:
    Hash160 own_owner_;
    std::string own_name_;
    std::map<Hash160, std::string> names_;  // "" = disputed
};

}  // namespace coinnet::miner

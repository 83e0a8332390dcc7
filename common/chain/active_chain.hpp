#pragma once
// The active chain: the block index entries from the genesis to the tip, indexed by height.
// Also the sync helpers that work against it: block locators (Bitcoin's getblocks/getheaders
// scheme) and "what comes after the point where your chain and mine fork".
#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

#include "common/chain/block_index.hpp"

namespace coinnet {

class ActiveChain {
  public:
    BlockIndexEntry* tip() const { return chain_.empty() ? nullptr : chain_.back(); }
    BlockIndexEntry* genesis() const { return chain_.empty() ? nullptr : chain_.front(); }
    // Height of the tip; the chain holds height() + 1 blocks.
    std::uint32_t height() const {
        return chain_.empty() ? 0 : static_cast<std::uint32_t>(chain_.size() - 1);
    }
    bool empty() const { return chain_.empty(); }
    BlockIndexEntry* at(std::uint32_t height) const {
        return height < chain_.size() ? chain_[height] : nullptr;
    }
    bool contains(const BlockIndexEntry* entry) const {
        return entry && at(entry->height) == entry;
    }
    // Makes `tip` the tip, reusing the part of the vector the new chain shares with the old.
    void set_tip(BlockIndexEntry* tip);

    // The block where `entry`'s branch leaves this chain (entry itself if it is on it).
    const BlockIndexEntry* find_fork(const BlockIndexEntry* entry) const;

    // Up to `max` entries following the fork point named by `locator` (the first of its hashes
    // on this chain; the genesis if none is), oldest first, stopping after `stop` if given.
    std::vector<const BlockIndexEntry*> after_locator(const BlockIndex& index,
                                                      const std::vector<Hash256>& locator,
                                                      std::size_t max,
                                                      const std::optional<Hash256>& stop) const;

  private:
    std::vector<BlockIndexEntry*> chain_;
};

// Hashes of `entry` and its ancestors, newest first: the last 10 one by one, then
// exponentially spaced, the genesis always last. A peer finds its fork point with it in
// O(log n) hashes whatever the length of the chains.
std::vector<Hash256> make_locator(const BlockIndexEntry* entry);

// The highest-located block of `locator` that is on `chain` (the genesis if none is).
const BlockIndexEntry* locate_fork(const ActiveChain& chain, const BlockIndex& index,
                                   const std::vector<Hash256>& locator);

}  // namespace coinnet

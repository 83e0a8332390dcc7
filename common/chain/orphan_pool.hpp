#pragma once
// Blocks whose parent is not known yet, kept aside until the parent arrives (then the chain
// state takes them back by parent hash). Bounded in count and bytes: a peer can send any
// number of blocks with made-up parents, so the oldest are evicted first. Only blocks that
// passed the context-free checks (proof of work included) are kept, which makes filling the
// pool cost real work.
#include <cstddef>
#include <cstdint>
#include <list>
#include <map>
#include <optional>
#include <unordered_map>
#include <vector>

#include "common/crypto/hash.hpp"
#include "common/primitives/block.hpp"

namespace coinnet {

struct OrphanPoolLimits {
    std::size_t max_count = 100;
    std::size_t max_bytes = 32 * 1024 * 1024;
};

class OrphanPool {
  public:
    explicit OrphanPool(OrphanPoolLimits limits = {}) : limits_(limits) {}

    // Keeps the block (`size` = bytes of its encoding). Returns false if it was already
    // there or is larger than the whole pool. Evicts the oldest orphans to stay in bounds.
    bool add(const Hash256& hash, Block block, std::size_t size);
    bool contains(const Hash256& hash) const { return by_hash_.count(hash) != 0; }
    // Removes and returns every orphan whose parent is `parent_hash`, oldest first.
    std::vector<Block> take_children(const Hash256& parent_hash);
    // The parent an orphan waits for, following a chain of orphans down to the missing root.
    std::optional<Hash256> missing_root(const Hash256& hash) const;
    void erase(const Hash256& hash);

    std::size_t size() const { return by_hash_.size(); }
    std::size_t bytes() const { return bytes_; }

  private:
    struct Entry {
        Hash256 hash;
        Block block;
        std::size_t size = 0;
    };
    using Order = std::list<Entry>;  // arrival order, oldest first

    OrphanPoolLimits limits_;
    Order order_;
    std::unordered_map<Hash256, Order::iterator, HashHasher> by_hash_;
    std::multimap<Hash256, Hash256> by_parent_;  // parent hash -> orphan hash
    std::size_t bytes_ = 0;
};

}  // namespace coinnet

#include "common/chain/active_chain.hpp"

namespace coinnet {

void ActiveChain::set_tip(BlockIndexEntry* tip) {
    if (!tip) {
        chain_.clear();
        return;
    }
    chain_.resize(tip->height + 1);
    // Walk back only until the new chain meets the old one.
    for (BlockIndexEntry* e = tip; e && chain_[e->height] != e; e = e->parent)
        chain_[e->height] = e;
}

const BlockIndexEntry* ActiveChain::find_fork(const BlockIndexEntry* entry) const {
    if (!entry || chain_.empty())
        return nullptr;
    if (entry->height > height())
        entry = entry->ancestor(height());
    while (entry && !contains(entry))
        entry = entry->parent;
    return entry;
}

std::vector<Hash256> make_locator(const BlockIndexEntry* entry) {
    std::vector<Hash256> hashes;
    std::uint32_t step = 1;
    while (entry) {
        hashes.push_back(entry->hash);
        if (entry->height == 0)
            break;
        std::uint32_t next = entry->height > step ? entry->height - step : 0;
        entry = entry->ancestor(next);
        if (hashes.size() > 10)
            step *= 2;
    }
    return hashes;
}

const BlockIndexEntry* locate_fork(const ActiveChain& chain, const BlockIndex& index,
                                   const std::vector<Hash256>& locator) {
    for (const Hash256& hash : locator) {
        const BlockIndexEntry* e = index.find(hash);
        if (e && chain.contains(e))
            return e;
    }
    return chain.genesis();
}

std::vector<const BlockIndexEntry*> ActiveChain::after_locator(
    const BlockIndex& index, const std::vector<Hash256>& locator, std::size_t max,
    const std::optional<Hash256>& stop) const {
    std::vector<const BlockIndexEntry*> out;
    const BlockIndexEntry* fork = locate_fork(*this, index, locator);
    if (!fork)
        return out;
    for (std::uint32_t h = fork->height + 1; h <= height() && out.size() < max; ++h) {
        out.push_back(chain_[h]);
        if (stop && chain_[h]->hash == *stop)
            break;
    }
    return out;
}

}  // namespace coinnet

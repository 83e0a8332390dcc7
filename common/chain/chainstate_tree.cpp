// ChainState: the recent block tree, side branches included (what `miner --chain` draws).
#include <deque>

#include "common/chain/chainstate.hpp"

namespace coinnet {

std::vector<BlockInfo> ChainState::blocks_since(std::uint32_t from_height, std::size_t max) const {
    std::vector<BlockInfo> out;
    const BlockIndexEntry* root = active_.at(from_height);
    // Breadth first: parents before children, so the result is in height order.
    std::deque<const BlockIndexEntry*> queue;
    if (root)
        queue.push_back(root);
    while (!queue.empty() && out.size() < max) {
        const BlockIndexEntry* e = queue.front();
        queue.pop_front();
        out.push_back(BlockInfo{e->hash, e->header, e->height, e->chain_work, e->status,
                                active_.contains(e)});
        for (const BlockIndexEntry* child : e->children)
            queue.push_back(child);
    }
    return out;
}

}  // namespace coinnet

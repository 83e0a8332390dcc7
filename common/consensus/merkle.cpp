#include "common/consensus/merkle.hpp"

#include <cstring>
#include <vector>

namespace coinnet {

namespace {

Hash256 hash_pair(const Hash256& left, const Hash256& right) {
    std::uint8_t buf[64];
    std::memcpy(buf, left.data(), 32);
    std::memcpy(buf + 32, right.data(), 32);
    return sha256d(ByteSpan(buf, sizeof buf));
}

}  // namespace

Hash256 compute_merkle_root(std::span<const Hash256> txids, bool* mutated) {
    bool found_mutation = false;
    std::vector<Hash256> level(txids.begin(), txids.end());
    while (level.size() > 1) {
        // Checked before the odd-level duplication below, which is not a mutation by itself.
        for (std::size_t i = 0; i + 1 < level.size(); i += 2)
            if (level[i] == level[i + 1])
                found_mutation = true;
        if (level.size() % 2 == 1)
            level.push_back(level.back());
        for (std::size_t i = 0; i < level.size() / 2; ++i)
            level[i] = hash_pair(level[2 * i], level[2 * i + 1]);
        level.resize(level.size() / 2);
    }
    if (mutated)
        *mutated = found_mutation;
    return level.empty() ? Hash256{} : level[0];
}

Hash256 block_merkle_root(const Block& block, bool* mutated) {
    std::vector<Hash256> txids;
    txids.reserve(block.txs.size());
    for (const TxRef& tx : block.txs)
        txids.push_back(tx.txid());
    return compute_merkle_root(txids, mutated);
}

}  // namespace coinnet

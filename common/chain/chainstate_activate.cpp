// ChainState: moving the tip to the best chain (Bitcoin Core's ActivateBestChain), one block
// per database transaction.
#include <algorithm>
#include <stdexcept>
#include <unordered_set>

#include "common/chain/chainstate.hpp"
#include "common/chain/utxo_view.hpp"
#include "common/consensus/validation.hpp"

namespace coinnet {

namespace {
// Blocks kept decoded during one call; a long reorganisation reads the rest again.
constexpr std::size_t kMaxCachedBlocks = 64;
}  // namespace

TipChange ChainState::activate_best_chain() {
    BlockIndexEntry* old_tip = active_.tip();
    // Each pass either reaches the best candidate or marks a block failed (which removes it
    // and its descendants from the candidates), so the loop ends.
    for (;;) {
        BlockIndexEntry* best = index_.best_candidate();
        if (!best || best == active_.tip())
            break;
        const BlockIndexEntry* fork = active_.find_fork(best);
        while (active_.tip() != fork)
            disconnect_tip();
        std::vector<BlockIndexEntry*> path;
        for (BlockIndexEntry* e = best; e != fork; e = e->parent)
            path.push_back(e);
        for (auto it = path.rbegin(); it != path.rend(); ++it)
            if (!connect_tip(*it))
                break;  // the next pass picks the best valid chain, maybe the old one
    }
    return describe_change(old_tip, active_.tip());
}

bool ChainState::connect_tip(BlockIndexEntry* entry) {
    const Block block = load_block(entry->hash);
    UtxoWriteLayer layer(*coin_view_);
    auto undo = connect_block(block, entry->height, layer, options_.params, verifier_);
    if (!undo && undo.error().reason == TxReason::kBadTxnsBadSignature) {
        // Signatures are covered by neither the txids nor the merkle root: these bytes may be
        // an honest block with one signature mutated, under the same hash (Bitcoin Core's
        // BLOCK_MUTATED). Forget the data, not the block, so the real one is still taken.
        failures_.insert_or_assign(entry->hash, undo.error());
        auto changed = index_.forget_data(entry);
        storage_->set_statuses({changed.begin(), changed.end()});
        block_cache_.erase(entry->hash);
        return false;
    }
    if (!undo) {
        // The header commits to these exact transactions (check_block matched the merkle
        // root), so the failure belongs to the block itself and to everything built on it.
        failures_.insert_or_assign(entry->hash, undo.error());
        auto changed = index_.mark_failed(entry);
        storage_->set_statuses({changed.begin(), changed.end()});
        return false;
    }
    storage_->connect(*entry, block, *undo, layer.changes());
    index_.set_valid(entry);
    active_.set_tip(entry);
    return true;
}

void ChainState::disconnect_tip() {
    BlockIndexEntry* tip = active_.tip();
    if (!tip->parent)
        throw std::logic_error("disconnect_tip: the genesis is never disconnected");
    const Block block = load_block(tip->hash);
    auto undo = storage_->read_undo(tip->hash);
    if (!undo)
        throw std::runtime_error("corrupted database: no undo data for connected block " +
                                 tip->hash.hex());
    UtxoWriteLayer layer(*coin_view_);
    if (Status s = disconnect_block(block, *undo, layer); !s)
        throw std::runtime_error("corrupted database: " + s.error().message);
    storage_->disconnect(*tip, block, *undo, layer.changes());
    active_.set_tip(tip->parent);
}

Block ChainState::load_block(const Hash256& hash) const {
    if (auto it = block_cache_.find(hash); it != block_cache_.end())
        return it->second;
    auto block = storage_->read_block(hash);
    if (!block)
        throw std::runtime_error("corrupted database: no data for block " + hash.hex());
    if (block_cache_.size() >= kMaxCachedBlocks)
        block_cache_.clear();
    block_cache_.emplace(hash, *block);
    return std::move(*block);
}

TipChange ChainState::describe_change(const BlockIndexEntry* old_tip,
                                      const BlockIndexEntry* new_tip) {
    TipChange change;
    if (old_tip == new_tip)
        return change;
    const BlockIndexEntry* fork = fork_point(old_tip, new_tip);
    std::vector<const BlockIndexEntry*> old_branch;  // oldest first
    for (const BlockIndexEntry* e = old_tip; e != fork; e = e->parent) {
        change.disconnected.push_back({e->hash, e->height});
        old_branch.push_back(e);
    }
    std::reverse(old_branch.begin(), old_branch.end());
    std::vector<const BlockIndexEntry*> new_branch;
    for (const BlockIndexEntry* e = new_tip; e != fork; e = e->parent)
        new_branch.push_back(e);
    std::reverse(new_branch.begin(), new_branch.end());

    std::unordered_set<Hash256, HashHasher> old_txids;
    std::vector<TxRef> old_regular;
    for (const BlockIndexEntry* e : old_branch) {
        const Block block = load_block(e->hash);
        for (const TxRef& tx : block.txs) {
            old_txids.insert(tx.txid());
            if (!tx->is_coinbase())
                old_regular.push_back(tx);
        }
    }
    std::unordered_set<Hash256, HashHasher> new_txids;
    for (const BlockIndexEntry* e : new_branch) {
        change.connected.push_back({e->hash, e->height});
        const Block block = load_block(e->hash);
        for (const TxRef& tx : block.txs) {
            new_txids.insert(tx.txid());
            if (!old_txids.count(tx.txid()))
                change.confirmed.push_back({tx, tx.txid(), e->height});
        }
    }
    for (TxRef& tx : old_regular)
        if (!new_txids.count(tx.txid()))
            change.left_chain.push_back(std::move(tx));
    return change;
}

}  // namespace coinnet

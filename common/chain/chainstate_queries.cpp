// ChainState: read-only queries.
#include <algorithm>

#include "common/chain/chain_context.hpp"
#include "common/chain/chainstate.hpp"
#include "common/chain/utxo_view.hpp"

namespace coinnet {

TipInfo ChainState::tip() const {
    const BlockIndexEntry* t = active_.tip();
    return TipInfo{t->height, t->hash, t->chain_work, t->header.time};
}

std::optional<BlockInfo> ChainState::block_info(const Hash256& hash) const {
    const BlockIndexEntry* e = index_.find(hash);
    if (!e)
        return std::nullopt;
    return BlockInfo{e->hash, e->header, e->height, e->chain_work, e->status, active_.contains(e)};
}

std::optional<Block> ChainState::block(const Hash256& hash) const {
    return storage_->read_block(hash);
}

std::optional<Bytes> ChainState::block_bytes(const Hash256& hash) const {
    return storage_->read_block_bytes(hash);
}

std::optional<Block> ChainState::block_at(std::uint32_t height) const {
    const BlockIndexEntry* e = active_.at(height);
    return e ? storage_->read_block(e->hash) : std::nullopt;
}

std::optional<Hash256> ChainState::hash_at(std::uint32_t height) const {
    const BlockIndexEntry* e = active_.at(height);
    return e ? std::optional<Hash256>(e->hash) : std::nullopt;
}

std::optional<BlockHeader> ChainState::header(const Hash256& hash) const {
    const BlockIndexEntry* e = index_.find(hash);
    return e ? std::optional<BlockHeader>(e->header) : std::nullopt;
}

const CoinView& ChainState::coins() const {
    return *coin_view_;
}

std::optional<Coin> ChainState::get_coin(const OutPoint& outpoint) const {
    return storage_->read_coin(outpoint);
}

std::vector<OwnedCoin> ChainState::utxos_of(const Hash160& owner) const {
    return storage_->coins_of(owner);
}

std::vector<AddressHistoryEntry> ChainState::history_of(const Hash160& owner) const {
    return storage_->history_of(owner);
}

std::optional<std::uint32_t> ChainState::tx_height(const Hash256& txid) const {
    return storage_->tx_height(txid);
}

Amount ChainState::supply() const {
    return storage_->supply();
}

std::vector<OwnedCoin> ChainState::utxo_snapshot() const {
    return storage_->all_coins();
}

std::vector<Hash256> ChainState::locator() const {
    return make_locator(active_.tip());
}

std::vector<BlockHeader> ChainState::headers_after(const std::vector<Hash256>& locator,
                                                   std::size_t max,
                                                   const std::optional<Hash256>& stop) const {
    std::vector<BlockHeader> out;
    for (const BlockIndexEntry* e : active_.after_locator(index_, locator, max, stop))
        out.push_back(e->header);
    return out;
}

std::vector<Hash256> ChainState::hashes_after(const std::vector<Hash256>& locator, std::size_t max,
                                              const std::optional<Hash256>& stop) const {
    std::vector<Hash256> out;
    for (const BlockIndexEntry* e : active_.after_locator(index_, locator, max, stop))
        out.push_back(e->hash);
    return out;
}

std::uint32_t ChainState::best_header_height() const {
    const BlockIndexEntry* best = index_.best_header();
    return best ? best->height : tip().height;
}

std::vector<Hash256> ChainState::blocks_to_fetch(std::size_t max) const {
    std::vector<Hash256> missing;
    // Walk down from the best header to where its chain has data; orphans already held are
    // still listed (their parents are what is missing, and they are listed too).
    for (const BlockIndexEntry* e = index_.best_header(); e && !e->chain_has_data; e = e->parent)
        if (!e->has_data())
            missing.push_back(e->hash);
    std::reverse(missing.begin(), missing.end());
    if (missing.size() > max)
        missing.resize(max);
    return missing;
}

TemplateBase ChainState::template_base() const {
    const BlockIndexEntry* t = active_.tip();
    return TemplateBase{t->hash, t->height + 1, required_bits(*t, options_.params),
                        median_time_past(*t, options_.params)};
}

}  // namespace coinnet

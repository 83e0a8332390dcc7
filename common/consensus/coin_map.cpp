#include "common/consensus/coin_map.hpp"

namespace coinnet {

std::optional<Coin> MapCoinView::get_coin(const OutPoint& outpoint) const {
    if (auto it = entries_.find(outpoint); it != entries_.end())
        return it->second;
    return base_ ? base_->get_coin(outpoint) : std::nullopt;
}

void MapCoinView::add_coin(const OutPoint& outpoint, const Coin& coin) {
    entries_[outpoint] = coin;
}

std::optional<Coin> MapCoinView::spend_coin(const OutPoint& outpoint) {
    auto it = entries_.find(outpoint);
    if (it != entries_.end()) {
        std::optional<Coin> coin = it->second;
        // Over a base the entry stays as a tombstone: the base may still hold the coin.
        if (base_)
            it->second.reset();
        else
            entries_.erase(it);
        return coin;
    }
    if (!base_)
        return std::nullopt;
    std::optional<Coin> coin = base_->get_coin(outpoint);
    if (coin)
        entries_.emplace(outpoint, std::nullopt);
    return coin;
}

std::size_t MapCoinView::size() const {
    std::size_t n = 0;
    for (const auto& [outpoint, coin] : entries_)
        if (coin)
            ++n;
    return n;
}

}  // namespace coinnet

#pragma once
// An in-memory coin set: the view used by tests, and a scratch layer over another view.
//
// Standalone (no base) it holds every coin itself. With a base it is a write-back layer:
// reads fall through to the base, spends of base coins are remembered as tombstones, and
// nothing reaches the base until the owner applies changes() — so a block can be connected
// onto a layer and thrown away if it turns out invalid.
#include <cstddef>
#include <optional>
#include <unordered_map>

#include "common/consensus/coins.hpp"

namespace coinnet {

class MapCoinView : public MutableCoinView {
  public:
    MapCoinView() = default;
    explicit MapCoinView(const CoinView* base) : base_(base) {}

    std::optional<Coin> get_coin(const OutPoint& outpoint) const override;
    void add_coin(const OutPoint& outpoint, const Coin& coin) override;
    std::optional<Coin> spend_coin(const OutPoint& outpoint) override;

    // Every outpoint this layer changed: a coin (added or re-added) or nullopt (spent).
    // Standalone, spent coins are simply gone, so only live coins appear. Over a base, a
    // nullopt may name a coin created and spent within this layer: deleting it is a no-op.
    const std::unordered_map<OutPoint, std::optional<Coin>, OutPointHasher>& changes() const {
        return entries_;
    }
    // Live coins held by this layer itself (not counting the base).
    std::size_t size() const;

    bool operator==(const MapCoinView& other) const { return entries_ == other.entries_; }

  private:
    const CoinView* base_ = nullptr;
    std::unordered_map<OutPoint, std::optional<Coin>, OutPointHasher> entries_;
};

}  // namespace coinnet

#pragma once
// Coins (unspent outputs) and the view through which consensus rules see them. The rules
// only read and write through CoinView, so they stay pure: the chain state backs the view
// with SQLite, the mempool layers its own outputs on top, tests use a map.
#include <cstdint>
#include <optional>

#include "common/primitives/transaction.hpp"

namespace coinnet {

struct Coin {
    TxOut out;
    std::uint32_t height = 0;  // height of the block that created it
    bool coinbase = false;

    bool operator==(const Coin&) const = default;
};

class CoinView {
  public:
    virtual ~CoinView() = default;
    virtual std::optional<Coin> get_coin(const OutPoint& outpoint) const = 0;
};

// A view that can also be changed (spend = remove, add = create).
class MutableCoinView : public CoinView {
  public:
    virtual void add_coin(const OutPoint& outpoint, const Coin& coin) = 0;
    // Removes and returns the coin; nullopt if it was not there.
    virtual std::optional<Coin> spend_coin(const OutPoint& outpoint) = 0;
};

}  // namespace coinnet

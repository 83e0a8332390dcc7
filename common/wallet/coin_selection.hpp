#pragma once
// Coin selection: which unspent outputs pay for amount + fee. An exact match (no change at
// all) is preferred; otherwise the set that leaves the least change. The search is a bounded
// branch-and-bound, so a wallet with thousands of coins still answers at once, falling back
// to largest-first when the bound is hit.
#include <vector>

#include "common/wallet/tx_builder.hpp"

namespace coinnet {

struct CoinSelection {
    std::vector<SpendableCoin> coins;
    Amount total = 0;   // sum of the selected coins
    Amount change = 0;  // total - target
};

// Code "insufficient-funds" (with both figures) when the coins cannot cover target.
Result<CoinSelection> select_coins(const std::vector<SpendableCoin>& available, Amount target);

}  // namespace coinnet

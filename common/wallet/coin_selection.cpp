#include "common/wallet/coin_selection.hpp"

#include <algorithm>

namespace coinnet {

namespace {

constexpr std::size_t kMaxSearchSteps = 200'000;

struct Search {
    const std::vector<SpendableCoin>& coins;  // sorted, largest first
    const std::vector<Amount>& suffix;        // suffix[i] = sum of coins[i..]
    Amount target;
    std::size_t steps = 0;
    std::vector<bool> current;
    Amount best_excess = -1;
    std::size_t best_count = 0;
    std::vector<bool> best;

    // Depth-first over "take / skip" with pruning: stop a branch once it already covers the
    // target (adding more only grows the change) or can no longer reach it.
    void run(std::size_t i, Amount sum, std::size_t count) {
        if (++steps > kMaxSearchSteps || best_excess == 0)
            return;
        if (sum >= target) {
            Amount excess = sum - target;
            if (best_excess < 0 || excess < best_excess ||
                (excess == best_excess && count < best_count)) {
                best_excess = excess;
                best_count = count;
                best = current;
            }
            return;
        }
        if (i >= coins.size() || sum + suffix[i] < target)
            return;
        current[i] = true;
        run(i + 1, sum + coins[i].out.amount, count + 1);
        current[i] = false;
        run(i + 1, sum, count);
    }
};

}  // namespace

Result<CoinSelection> select_coins(const std::vector<SpendableCoin>& available, Amount target) {
    std::vector<SpendableCoin> coins = available;
    std::sort(coins.begin(), coins.end(), [](const auto& a, const auto& b) {
        if (a.out.amount != b.out.amount)
            return a.out.amount > b.out.amount;
        return a.outpoint < b.outpoint;  // deterministic order among equal coins
    });
    Amount total = 0;
    for (const auto& c : coins)
        total += c.out.amount;
    if (target <= 0 || total < target)
        return fail(WalletReason::kInsufficientFunds,
                    "need " + format_amount(target) + " coins, have " + format_amount(total));

    CoinSelection out;
    // A single coin that matches exactly is the best possible answer.
    for (const auto& c : coins) {
        if (c.out.amount == target) {
            out.coins = {c};
            out.total = target;
            return out;
        }
    }
    std::vector<Amount> suffix(coins.size() + 1, 0);
    for (std::size_t i = coins.size(); i-- > 0;)
        suffix[i] = suffix[i + 1] + coins[i].out.amount;
    Search search{coins, suffix, target, 0, std::vector<bool>(coins.size()), -1, 0, {}};
    search.run(0, 0, 0);
    if (search.best_excess >= 0) {
        for (std::size_t i = 0; i < coins.size(); ++i)
            if (search.best[i])
                out.coins.push_back(coins[i]);
    } else {
        // Search budget exhausted without a cover: largest first always covers.
        for (const auto& c : coins) {
            if (out.total >= target)
                break;
            out.coins.push_back(c);
            out.total += c.out.amount;
        }
    }
    out.total = 0;
    for (const auto& c : out.coins)
        out.total += c.out.amount;
    out.change = out.total - target;
    return out;
}

}  // namespace coinnet

#include "wallet/auto_plan.hpp"

#include <algorithm>

namespace coinnet::wallet {

namespace {

// A share of `budget` in [kAutoMinSharePercent, kAutoMaxSharePercent] percent, rounded down
// to kAutoAmountStep, at least kAutoMinAmount and at most `budget`. 0 when even the minimum
// does not fit.
Amount share_of(std::mt19937_64& rng, Amount budget) {
    if (budget < kAutoMinAmount)
        return 0;
    // Per-mille draw so small balances still vary; budget <= 21e6 coins, so no overflow.
    int per_mille = std::uniform_int_distribution<int>(kAutoMinSharePercent * 10,
                                                       kAutoMaxSharePercent * 10)(rng);
    Amount amount = budget / 1000 * per_mille / kAutoAmountStep * kAutoAmountStep;
    return std::clamp(amount, kAutoMinAmount, budget / kAutoAmountStep * kAutoAmountStep);
}

}  // namespace

std::size_t pick_payee(std::mt19937_64& rng, const std::vector<Payee>& others) {
    std::vector<double> weights;
    weights.reserve(others.size());
    for (const Payee& p : others) {
        Amount held = std::max<Amount>(0, p.balance.value_or(kAutoUnknownBalance));
        double w = 1.0 / static_cast<double>(held + kAutoWeightFloor);
        weights.push_back(w * w);
    }
    return std::discrete_distribution<std::size_t>(weights.begin(), weights.end())(rng);
}

std::optional<PlannedPayment> plan_payment(std::mt19937_64& rng, const std::vector<Payee>& others,
                                           Amount available) {
    if (others.empty() || available < kAutoMinAmount)
        return std::nullopt;
    PlannedPayment p;
    p.to = others[pick_payee(rng, others)].name;
    p.fee =
        std::uniform_int_distribution<Amount>(0, kAutoMaxFee / kAutoFeeStep)(rng) * kAutoFeeStep;
    p.amount = share_of(rng, available - std::min(p.fee, available));
    if (p.amount == 0) {
        // Too little for a fee and a payment: pay the minimum without a fee.
        p.fee = 0;
        p.amount = kAutoMinAmount;
    }
    return p;
}

std::chrono::milliseconds plan_delay(std::mt19937_64& rng, double min_seconds, double max_seconds) {
    double seconds = max_seconds > min_seconds
                         ? std::uniform_real_distribution<double>(min_seconds, max_seconds)(rng)
                         : min_seconds;
    return std::chrono::milliseconds(static_cast<std::int64_t>(seconds * 1000.0));
}

}  // namespace coinnet::wallet

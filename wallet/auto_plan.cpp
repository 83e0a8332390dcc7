#include "wallet/auto_plan.hpp"

#include <algorithm>

namespace coinnet::wallet {

std::optional<PlannedPayment> plan_payment(std::mt19937_64& rng,
                                           const std::vector<std::string>& others,
                                           Amount available) {
    if (others.empty())
        return std::nullopt;
    PlannedPayment p;
    p.to = others[std::uniform_int_distribution<std::size_t>(0, others.size() - 1)(rng)];
    p.fee =
        std::uniform_int_distribution<Amount>(0, kAutoMaxFee / kAutoFeeStep)(rng) * kAutoFeeStep;
    Amount budget = (available - p.fee) / 2;
    if (budget < kAutoMinAmount) {
        // Too little for a fee and a payment: try once more without a fee.
        p.fee = 0;
        budget = available / 2;
        if (budget < kAutoMinAmount)
            return std::nullopt;
    }
    Amount steps = budget / kAutoAmountStep;
    Amount min_steps = kAutoMinAmount / kAutoAmountStep;
    p.amount = std::uniform_int_distribution<Amount>(min_steps, std::max(min_steps, steps))(rng) *
               kAutoAmountStep;
    return p;
}

std::chrono::milliseconds plan_delay(std::mt19937_64& rng, double min_seconds, double max_seconds) {
    double seconds = max_seconds > min_seconds
                         ? std::uniform_real_distribution<double>(min_seconds, max_seconds)(rng)
                         : min_seconds;
    return std::chrono::milliseconds(static_cast<std::int64_t>(seconds * 1000.0));
}

}  // namespace coinnet::wallet

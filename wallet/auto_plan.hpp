#pragma once
// What --auto sends next, drawn from a seeded generator so a run can be replayed: a random
// other wallet, a random affordable amount, a random fee, a random pause. Pure: no clock, no
// network.
#include <chrono>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "common/primitives/amount.hpp"

namespace coinnet::wallet {

struct PlannedPayment {
    std::string to;
    Amount amount = 0;
    Amount fee = 0;
};

// Payments are at least this much; below it the wallet waits for funds.
inline constexpr Amount kAutoMinAmount = kCoin / 100;
// Fees are drawn from 0..this, in steps of kAutoFeeStep.
inline constexpr Amount kAutoMaxFee = kCoin / 1000;
inline constexpr Amount kAutoFeeStep = kCoin / 100'000;
// Amounts are whole multiples of this (a thousandth of a coin), so lines stay readable.
inline constexpr Amount kAutoAmountStep = kCoin / 1000;

// nullopt when there is nobody to pay or too little available. The amount is at most half
// of what is available after the fee, so a wallet keeps paying for a long time.
std::optional<PlannedPayment> plan_payment(std::mt19937_64& rng,
                                           const std::vector<std::string>& others,
                                           Amount available);

// A pause in [min_seconds, max_seconds].
std::chrono::milliseconds plan_delay(std::mt19937_64& rng, double min_seconds, double max_seconds);

}  // namespace coinnet::wallet

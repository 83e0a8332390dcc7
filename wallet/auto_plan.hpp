#pragma once
// What --auto sends next, drawn from a seeded generator so a run can be replayed: another
// wallet (the poorer, the likelier), an amount that is a share of what we hold, a random fee,
// a random pause. Pure: no clock, no network.
//
// Why these rules: a demo network must keep sending for hours (issue 13). Paying a uniformly
// random wallet lets money pool in any wallet that seldom spends (a person's, or one that
// stopped); within minutes every auto wallet waited for funds. Favouring the poor sends money
// back to where it is spent, and paying a share of the balance (never all of it) keeps every
// wallet paying smaller amounts rather than stopping.
#include <chrono>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "common/primitives/amount.hpp"

namespace coinnet::wallet {

// A wallet we may pay, and what it holds as far as we know (nullopt: unknown).
struct Payee {
    std::string name;
    std::optional<Amount> balance;
};

struct PlannedPayment {
    std::string to;
    Amount amount = 0;
    Amount fee = 0;
};

// Payments are at least this much; below it (plus a zero fee) the wallet waits for funds.
inline constexpr Amount kAutoMinAmount = kCoin / 100;
// Fees are drawn from 0..this, in steps of kAutoFeeStep.
inline constexpr Amount kAutoMaxFee = kCoin / 1000;
inline constexpr Amount kAutoFeeStep = kCoin / 100'000;
// Amounts are whole multiples of this (a thousandth of a coin), so lines stay readable.
inline constexpr Amount kAutoAmountStep = kCoin / 1000;
// A payment is this share of what is available, drawn uniformly (percent).
inline constexpr int kAutoMinSharePercent = 1;
inline constexpr int kAutoMaxSharePercent = 20;
// A payee's weight is 1 / (balance + this)²: a wallet holding this much is paid a quarter as
// often as an empty one, one holding ten times more about 120 times less often.
inline constexpr Amount kAutoWeightFloor = 10 * kCoin;
// The balance assumed for a payee we could not look up: a fresh wallet's faucet grant.
inline constexpr Amount kAutoUnknownBalance = 100 * kCoin;

// nullopt when there is nobody to pay or too little available.
std::optional<PlannedPayment> plan_payment(std::mt19937_64& rng, const std::vector<Payee>& others,
                                           Amount available);

// The index of the payee to pay, poorer ones likelier; `others` must not be empty.
std::size_t pick_payee(std::mt19937_64& rng, const std::vector<Payee>& others);

// A pause in [min_seconds, max_seconds].
std::chrono::milliseconds plan_delay(std::mt19937_64& rng, double min_seconds, double max_seconds);

}  // namespace coinnet::wallet

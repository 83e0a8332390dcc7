#pragma once
// Amounts are integer units: 1 coin = 100 000 000 units. Nothing is ever a floating-point
// number inside coinnet; text is parsed and formatted digit by digit.
#include <cstdint>
#include <string>
#include <string_view>

#include "common/util/result.hpp"

namespace coinnet {

using Amount = std::int64_t;

inline constexpr Amount kCoin = 100'000'000;
inline constexpr Amount kMaxMoney = 21'000'000 * kCoin;
inline constexpr int kCoinDecimals = 8;

inline constexpr bool money_range(Amount a) {
    return a >= 0 && a <= kMaxMoney;
}

// Parses decimal coins ("12.5", "0.00000001", "100") into units. Refuses negatives, more than
// 8 decimals, values above 21 000 000 coins, empty input, and anything that is not digits with
// at most one point. Codes: "amount-empty", "amount-negative", "amount-syntax",
// "amount-precision", "amount-too-large".
Result<Amount> parse_amount(std::string_view text);

// Formats units as decimal coins with trailing zeros trimmed: 1250000000 -> "12.5".
std::string format_amount(Amount units);

}  // namespace coinnet

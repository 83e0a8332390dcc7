#include "common/primitives/amount.hpp"

namespace coinnet {

Result<Amount> parse_amount(std::string_view text) {
    if (text.empty())
        return fail(EncodingReason::kAmountEmpty, "amount is empty");
    if (text.front() == '-')
        return fail(EncodingReason::kAmountNegative, "amount must not be negative");
    if (text.front() == '+')
        text.remove_prefix(1);
    std::string_view whole = text;
    std::string_view fraction;
    if (auto dot = text.find('.'); dot != std::string_view::npos) {
        whole = text.substr(0, dot);
        fraction = text.substr(dot + 1);
        if (whole.empty() && fraction.empty())
            return fail(EncodingReason::kAmountSyntax,
                        "'" + std::string(text) + "' is not an amount");
    }
    auto digits_only = [](std::string_view s) {
        for (char c : s)
            if (c < '0' || c > '9')
                return false;
        return true;
    };
    if (whole.empty() && fraction.empty())
        return fail(EncodingReason::kAmountSyntax, "'" + std::string(text) + "' is not an amount");
    if (!digits_only(whole) || !digits_only(fraction))
        return fail(EncodingReason::kAmountSyntax,
                    "'" + std::string(text) + "' is not a decimal amount");
    if (fraction.size() > static_cast<std::size_t>(kCoinDecimals))
        return fail(EncodingReason::kAmountPrecision,
                    "amount has more than 8 decimals: " + std::string(text));
    // Leading zeros are harmless; bound the digit count before multiplying to avoid overflow.
    while (whole.size() > 1 && whole.front() == '0')
        whole.remove_prefix(1);
    if (whole.size() > 8)
        return fail(EncodingReason::kAmountTooLarge,
                    "amount exceeds 21000000 coins: " + std::string(text));
    Amount coins = 0;
    for (char c : whole)
        coins = coins * 10 + (c - '0');
    Amount units = 0;
    for (int i = 0; i < kCoinDecimals; ++i) {
        units *= 10;
        if (static_cast<std::size_t>(i) < fraction.size())
            units += fraction[i] - '0';
    }
    Amount total = coins * kCoin + units;
    if (total > kMaxMoney)
        return fail(EncodingReason::kAmountTooLarge,
                    "amount exceeds 21000000 coins: " + std::string(text));
    return total;
}

std::string format_amount(Amount units) {
    std::string sign;
    std::uint64_t magnitude;
    if (units < 0) {
        sign = "-";
        magnitude = static_cast<std::uint64_t>(-(units + 1)) + 1;  // safe for INT64_MIN
    } else {
        magnitude = static_cast<std::uint64_t>(units);
    }
    std::string out = sign + std::to_string(magnitude / kCoin);
    std::uint64_t frac = magnitude % kCoin;
    if (frac != 0) {
        std::string digits = std::to_string(frac);
        digits.insert(0, kCoinDecimals - digits.size(), '0');
        while (digits.back() == '0')
            digits.pop_back();
        out += "." + digits;
    }
    return out;
}

}  // namespace coinnet

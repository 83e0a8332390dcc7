#include "miner/hashrate_limit.hpp"

#include <algorithm>
#include <cmath>

namespace coinnet::miner {

HashrateLimiter::HashrateLimiter(double rate, Clock clock)
    : rate_(rate), clock_(std::move(clock)) {}

std::uint32_t HashrateLimiter::batch(std::uint32_t max) const {
    const double per_10ms = std::floor(rate_ / 100.0);
    return static_cast<std::uint32_t>(std::clamp(per_10ms, 1.0, static_cast<double>(max)));
}

std::chrono::nanoseconds HashrateLimiter::cost(std::uint32_t n) const {
    return std::chrono::nanoseconds(static_cast<std::int64_t>(std::llround(n * 1e9 / rate_)));
}

std::chrono::nanoseconds HashrateLimiter::reserve(std::uint32_t n) {
    const auto now = clock_();
    std::lock_guard lock(mutex_);
    const auto start = std::max(next_, now);
    next_ = start + cost(n);
    return std::chrono::duration_cast<std::chrono::nanoseconds>(start - now);
}

void HashrateLimiter::refund(std::uint32_t n) {
    std::lock_guard lock(mutex_);
    next_ -= cost(n);
}

}  // namespace coinnet::miner

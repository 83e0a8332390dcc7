#pragma once
// --hashrate-limit H: caps the total hash rate of all mining threads at H hashes per second,
// so a lab can give miners exact shares of the network's hash power whatever else the CPU is
// doing (as long as the machine can hash faster than the sum of the caps).
//
// A token bucket without burst (GCRA, "virtual scheduling"): every batch of nonces is reserved
// before it is hashed and moves the theoretical time at which the next batch may start by
// n / H. Idle time earns no credit, so a miner that waited for transactions does not then hash
// above H. The clock is an input; the caller sleeps for the wait it is told (tests do not).
#include <chrono>
#include <cstdint>
#include <functional>
#include <mutex>

namespace coinnet::miner {

class HashrateLimiter {
  public:
    using Clock = std::function<std::chrono::steady_clock::time_point()>;

    // `rate` > 0 hashes per second.
    explicit HashrateLimiter(double rate, Clock clock = std::chrono::steady_clock::now);

    double rate() const { return rate_; }
    // Nonces to reserve at a time: about 10 ms of the allowed rate (at least 1, at most `max`),
    // so the sleeps between batches stay short and a new tip is noticed quickly.
    std::uint32_t batch(std::uint32_t max) const;
    // Reserves `n` hashes; returns how long the caller must wait before hashing them (zero
    // when it may go at once). Thread-safe.
    std::chrono::nanoseconds reserve(std::uint32_t n);
    // Gives back `n` reserved hashes that were not done (the work was replaced while waiting).
    void refund(std::uint32_t n);

  private:
    std::chrono::nanoseconds cost(std::uint32_t n) const;

    const double rate_;
    const Clock clock_;
    std::mutex mutex_;
    std::chrono::steady_clock::time_point next_{};  // when the next reservation may start
};

}  // namespace coinnet::miner

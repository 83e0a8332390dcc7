#pragma once
// The miner's hash rate as a learner reads it (SPEC §3, issue 13): a rate over the last minute
// of *mining* (time spent waiting for transactions does not dilute it), and each block's own
// effort (nonces tried for that height ÷ the time it took).
//
// A 1-second sample read 0 H/s whenever blocks took 20 ms (the sample fell between two
// blocks): the meter keeps every interval between two samples instead and sums them. Time is
// an input (steady_clock time points), so the arithmetic is tested without threads.
#include <algorithm>
#include <chrono>
#include <cstdint>
#include <deque>
#include <optional>

namespace coinnet::miner {

using SteadyTime = std::chrono::steady_clock::time_point;

class HashrateMeter {
  public:
    explicit HashrateMeter(std::chrono::seconds window = std::chrono::seconds(60))
        : window_(std::chrono::duration<double>(window).count()) {}

    // Records the workers' hash counter at `now`. `mining` is the state from now until the
    // next sample: only intervals that began while mining count towards the rate.
    void sample(SteadyTime now, std::uint64_t total_hashes, bool mining);
    // Hashes per second over the last `window` seconds of mining; 0 before any.
    double rate() const;

  private:
    struct Span {
        double seconds = 0;
        std::uint64_t hashes = 0;
    };
    void drop_old();

    double window_;
    std::deque<Span> spans_;  // oldest first
    double seconds_ = 0;      // sums over spans_
    std::uint64_t hashes_ = 0;
    std::optional<SteadyTime> last_time_;
    std::uint64_t last_hashes_ = 0;
    bool last_mining_ = false;
};

// What one mined block cost: from the moment its height was first worked on.
struct BlockEffort {
    std::uint64_t hashes = 0;
    double seconds = 0;
    double rate() const { return seconds > 0 ? static_cast<double>(hashes) / seconds : 0; }
};

// Nonces the workers tried on the solved header, judged from the winning nonce: each of the
// `threads` workers scans its own slice of 2^32 / threads nonces from the slice's start, at
// about the same pace, so the solver's distance into its slice is every worker's.
inline std::uint64_t nonces_tried(std::uint32_t nonce, unsigned threads) {
    std::uint64_t slice = (std::uint64_t{1} << 32) / std::max(1u, threads);
    return (nonce % slice + 1) * std::max(1u, threads);
}

class BlockStopwatch {
  public:
    // Mining of a new height began.
    void start(SteadyTime now, std::uint64_t total_hashes) {
        started_ = now;
        hashes_at_start_ = total_hashes;
    }
    // `at_least`: what the solution's nonce proves was tried (see nonces_tried), for blocks
    // found before the workers had counted a chunk.
    BlockEffort stop(SteadyTime now, std::uint64_t total_hashes, std::uint64_t at_least = 0) const {
        return {std::max(total_hashes - hashes_at_start_, at_least),
                std::chrono::duration<double>(now - started_).count()};
    }

  private:
    SteadyTime started_{};
    std::uint64_t hashes_at_start_ = 0;
};

}  // namespace coinnet::miner

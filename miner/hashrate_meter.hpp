#pragma once
// The miner's hash rate as a learner reads it (SPEC §3, issue 13): a rate over the last minute
// of *mining* (time spent waiting for transactions does not dilute it), and each block's own
// effort (nonces tried for that height ÷ the time it took).
//
// A 1-second sample read 0 H/s whenever blocks took 20 ms (the sample fell between two
// blocks): the meter keeps every interval between two samples instead and sums them. Time is
// an input (steady_clock time points), so the arithmetic is tested without threads.
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

class BlockStopwatch {
  public:
    // Mining of a new height began.
    void start(SteadyTime now, std::uint64_t total_hashes) {
        started_ = now;
        hashes_at_start_ = total_hashes;
    }
    BlockEffort stop(SteadyTime now, std::uint64_t total_hashes) const {
        return {total_hashes - hashes_at_start_,
                std::chrono::duration<double>(now - started_).count()};
    }

  private:
    SteadyTime started_{};
    std::uint64_t hashes_at_start_ = 0;
};

}  // namespace coinnet::miner

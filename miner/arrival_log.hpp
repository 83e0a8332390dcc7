#pragma once
// When each block this miner accepted arrived and from whom, for observers (the explorer's
// "journey" of a block). A bounded ring in memory: the newest `capacity` arrivals, side
// branches included; times are inputs (the caller's clock), so it is tested without one.
#include <cstddef>
#include <cstdint>
#include <deque>
#include <string>

#include "common/crypto/hash.hpp"

namespace coinnet::miner {

struct Arrival {
    Hash256 hash;
    Hash256 parent;
    std::uint32_t height = 0;
    std::uint32_t time = 0;  // header time, unix seconds
    std::int64_t arrived_ms = 0;
    std::string from;  // peer miner's name, or "self"
    std::uint32_t tx_count = 0;
    Hash160 reward_owner;  // zero when the block has no coinbase output
    bool side_branch = false;
};

// SPEC §9 asks for at least the last 1 000; twice that keeps a margin for side branches.
inline constexpr std::size_t kDefaultArrivalCapacity = 2000;

class ArrivalLog {
  public:
    explicit ArrivalLog(std::size_t capacity = kDefaultArrivalCapacity) : capacity_(capacity) {}

    // Appends, dropping the oldest arrival once full.
    void record(Arrival arrival);
    // Oldest first.
    const std::deque<Arrival>& entries() const { return entries_; }
    std::size_t capacity() const { return capacity_; }

  private:
    std::size_t capacity_;
    std::deque<Arrival> entries_;
};

}  // namespace coinnet::miner

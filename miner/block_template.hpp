#pragma once
// A block template: the block a miner tries to solve, complete but for the nonce (and a
// rolled time). Immutable once built: mining threads share it through a shared_ptr to const.
#include <cstdint>
#include <memory>

#include "common/mining/target.hpp"
#include "common/primitives/block.hpp"

namespace coinnet::miner {

struct BlockTemplate {
    Block block;                   // header.nonce is free; header.time may be rolled forward
    std::uint32_t height = 0;      // of this block
    Amount fees = 0;               // collected by the coinbase with the reward
    Target target;                 // from header.bits
    std::int64_t max_time = 0;     // latest time a rolled header may carry (now + 2 h - margin)
    std::uint64_t generation = 0;  // set by MiningWorkers::set_work
};

}  // namespace coinnet::miner

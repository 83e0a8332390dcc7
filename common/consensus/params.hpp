#pragma once
// The consensus parameters of one network. Passed explicitly to every rule; there are no
// global parameters anywhere in coinnet. The genesis block commits to all of them, so two
// networks with different parameters have different genesis hashes (network ids).
#include <cstdint>
#include <string>

#include "common/primitives/amount.hpp"

namespace coinnet {

struct ConsensusParams {
    std::string network_name = "coinnet";
    // Leading zero bits of the genesis target; also the minimum difficulty (the easiest
    // target retargeting may reach).
    std::uint32_t difficulty_bits = 24;
    std::uint32_t retarget_interval = 0;  // blocks; 0 = fixed difficulty
    std::uint32_t target_spacing = 10;    // seconds per block aimed at by retargeting
    Amount block_reward = 10 * kCoin;
    std::uint32_t coinbase_maturity = 10;      // blocks before a mined coinbase may be spent
    std::uint32_t faucet_grants = 1000;        // 100-coin outputs in the genesis coinbase
    std::uint32_t max_block_size = 1'000'000;  // bytes of the canonical block encoding
    std::uint32_t max_block_txs = 20'000;      // transactions per block, coinbase included
    std::int64_t max_future_block_time = 2 * 60 * 60;  // seconds ahead of the local clock
    std::uint32_t median_time_span = 11;               // blocks in the median time past

    bool operator==(const ConsensusParams&) const = default;
};

inline constexpr Amount kFaucetGrantAmount = 100 * kCoin;

}  // namespace coinnet

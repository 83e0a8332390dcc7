#pragma once
// The answers behind the terminal views (SPEC §3): GetChainView (`miner --chain`), GetBlockView
// (`miner --block`) and GetMempoolView (`miner --mempool`), registered on the node's
// dispatcher. Every request is bounded (docs/PROTOCOL.md §4): at most 1000 heights or
// transactions per reply, at most 64 block reads to work out one block's fees.
#include <cstdint>
#include <memory>

#include "common/net/dispatch.hpp"
#include "miner/miner_names.hpp"
#include "miner/node_state.hpp"

namespace coinnet::miner {

inline constexpr std::uint32_t kMaxViewHeights = 1000;
inline constexpr std::uint32_t kDefaultViewHeights = 20;
inline constexpr std::uint32_t kMaxMempoolView = 1000;
inline constexpr std::uint32_t kDefaultMempoolView = 100;

// `state` must outlive the dispatcher's handlers; `own_name` answers "which miner is this".
void register_query_handlers(net::Dispatcher& dispatcher, const NodeState& state,
                             std::string own_name, std::shared_ptr<const MinerNames> names);

}  // namespace coinnet::miner

#pragma once
// `miner --chain HOST:PORT [N]`: the last N heights of a miner's block tree, newest first, with
// side branches in lanes beside the active chain and who mined each block: the fork picture.
//
//   chain of Miner1 · tip at height 6 · last 20 heights · * active  o side branch
//         height  hash              miner         txs  time
//   *          6  000d2e6b5b3f1a0c  Miner1          1  19:20:07  tip
//   *          5  0021c9f0b6e7d411  Miner2          1  19:20:05
//   | o        5  00a5f1e22c7b9d30  Miner1          1  19:20:05  stale
//   |/
//   *          4  003b57c0e1f2a9d8  Miner1          1  19:20:01
//
// Fits 80 columns (at most 4 lanes are drawn; further branches share the last one).
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "proto/coinnet.pb.h"

namespace coinnet::miner {

// The lines of the drawing (no trailing newlines). Times are shown in local time.
std::vector<std::string> draw_chain(const wire::ChainView& view, std::uint32_t heights);
nlohmann::json chain_json(const wire::ChainView& view);

// The command: 0 on success, else the exit code of the failure it reported.
int run_chain_view(const std::string& endpoint, std::uint32_t heights, bool json);

}  // namespace coinnet::miner

#pragma once
// `miner --block HOST:PORT HASH|HEIGHT`: one block as a learner reads it — its header fields,
// its proof of work (the hash's leading zero bits against the target's), its coinbase (reward
// and fees) and every transaction with its inputs, outputs and fee.
//
// HEIGHT (digits only) names a block of the miner's active chain; HASH is the 64 hex digits
// shown everywhere, or a unique prefix of at least 8 of them among the miner's last 1000
// heights (side branches included), as `miner --chain` prints them.
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/util/result.hpp"
#include "proto/coinnet.pb.h"

namespace coinnet::miner {

// What the user typed, understood: a height, a full hash, or a hash prefix (lowercase).
struct BlockSpec {
    std::optional<std::uint32_t> height;
    std::string hex;  // 64 digits: a full hash; fewer: a prefix
};
// Code "bad-block-ref" for anything else (a usage error, exit 1).
Result<BlockSpec> parse_block_ref(const std::string& text);

// The lines printed for the block (`view.block()` decoded); empty when it does not decode.
std::vector<std::string> describe_block(const wire::BlockView& view);
nlohmann::json block_json(const wire::BlockView& view);

int run_block_view(const std::string& endpoint, const std::string& ref, bool json);

}  // namespace coinnet::miner

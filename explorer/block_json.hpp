#pragma once
// A block and a transaction as the page shows them: header fields, hash against target,
// inputs and outputs with addresses and change. Pure functions of decoded data.
#include <nlohmann/json.hpp>
#include <set>

#include "common/primitives/block.hpp"
#include "explorer/network_model.hpp"

namespace coinnet::explorer {

// Leading zero bits of a hash read as a 256-bit number (Bitcoin's display order).
int leading_zero_bits(const Hash256& hash);

// `fees`: per transaction after the coinbase, -1 when unknown (BlockView.fees).
nlohmann::json block_detail_json(const Block& block, const wire::BlockView& view,
                                 const NetworkModel& model);
nlohmann::json tx_json(const Transaction& tx, const NetworkModel& model);

}  // namespace coinnet::explorer

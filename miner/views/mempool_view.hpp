#pragma once
// `miner --mempool HOST:PORT`: the transactions waiting for a block, in the order the next
// block takes them (highest fee first, equal fees by arrival), each with what it waits on: a
// transaction spending another mempool transaction's output can only be mined after it
// ("after" column), even when it pays the higher fee.
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "proto/coinnet.pb.h"

namespace coinnet::miner {

std::vector<std::string> describe_mempool(const wire::MempoolView& view);
nlohmann::json mempool_json(const wire::MempoolView& view);

int run_mempool_view(const std::string& endpoint, bool json);

}  // namespace coinnet::miner

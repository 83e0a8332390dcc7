#pragma once
// `miner --status HOST:PORT [--json]`.
#include <string>

namespace coinnet::miner {

int run_status_command(const std::string& endpoint, bool json);

}  // namespace coinnet::miner

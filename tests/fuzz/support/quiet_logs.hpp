#pragma once
// The handler targets start a node per input: its console would print thousands of lines a
// second. Silent unless COINNET_FUZZ_LOG is set (replaying one crash input with the node's
// log: COINNET_FUZZ_LOG=1 build-fuzz/miner_handlers_fuzz crash-...).
#include <spdlog/spdlog.h>

#include <cstdlib>

namespace coinnet::fuzz {

inline void quiet_logs() {
    spdlog::set_level(std::getenv("COINNET_FUZZ_LOG") ? spdlog::level::debug : spdlog::level::off);
}

}  // namespace coinnet::fuzz

#pragma once
// Everything `miner NAME PORT [options]` configures (SPEC §3).
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "common/mempool/mempool.hpp"
#include "common/node/host_port.hpp"

namespace coinnet::miner {

struct NodeOptions {
    std::string name;
    std::uint16_t port = 0;
    std::filesystem::path data_dir;  // bans.json lives here
    std::string host = "127.0.0.1";  // advertised to the bootstrap and peers
    std::string bind = "0.0.0.0";
    unsigned threads = 0;         // 0 = every core
    std::uint32_t min_txs = 4;    // 0 = mine continuously
    std::uint32_t max_wait = 30;  // seconds; 0 = off
    std::uint32_t max_block_txs = 1000;
    bool no_mine = false;
    double hashrate_limit = 0;  // H/s of all threads together; 0 = no cap
    // Lab policies of this one miner (SPEC §10); consensus is the same for every miner.
    std::chrono::milliseconds relay_delay{0};
    std::string strategy = "honest";  // or "selfish"
    bool private_mining = false;
    std::uint32_t private_blocks = 0;  // with private_mining: release after this many (0: never)
    MempoolOptions mempool;
    HostPort bootstrap{"127.0.0.1", 9000};
    unsigned peers_max = 8;
    std::vector<HostPort> static_peers;
    std::chrono::seconds peer_refresh{5};
    std::chrono::seconds status_interval{5};
    std::chrono::seconds ban_duration{600};
    std::uint32_t max_frame = 4 * 1024 * 1024;
};

}  // namespace coinnet::miner

#pragma once
// Why a miner is not mining, in the words the status line and `--status --json` use
// ("waiting", SPEC §3): a learner whose first payment sat 23 s behind "mempool 3 · 0 H/s"
// could not tell that the miner waits for a 4th transaction or for the oldest to turn 30 s.
#include <cstdint>
#include <optional>
#include <string>

namespace coinnet::miner {

struct MiningGate {
    std::uint32_t min_txs = 4;   // --min-txs (0: always mine)
    std::uint32_t max_wait = 0;  // --max-wait seconds (0: off)
    bool no_mine = false;        // --no-mine
};

struct MempoolWait {
    std::size_t txs = 0;
    std::optional<std::int64_t> oldest_age;  // seconds the oldest has waited
};

// "" while mining (and with --min-txs 0, which always mines); "relay only (--no-mine)"
// for a node that does not mine; else "3/4 txs", "3/4 txs or 30 s (oldest 20 s)", "0/4 txs or 30
// s".
std::string waiting_reason(const MiningGate& gate, const MempoolWait& mempool, bool mining);

}  // namespace coinnet::miner

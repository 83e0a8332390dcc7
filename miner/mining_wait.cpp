#include "miner/mining_wait.hpp"

#include <fmt/format.h>

namespace coinnet::miner {

std::string waiting_reason(const MiningGate& gate, const MempoolWait& mempool, bool mining) {
    if (gate.no_mine)
        return "relay only (--no-mine)";
    if (mining || gate.min_txs == 0)
        return "";
    std::string text = fmt::format("{}/{} txs", mempool.txs, gate.min_txs);
    if (gate.max_wait == 0)
        return text;
    text += fmt::format(" or {} s", gate.max_wait);
    if (mempool.txs > 0 && mempool.oldest_age)
        text += fmt::format(" (oldest {} s)", std::max<std::int64_t>(0, *mempool.oldest_age));
    return text;
}

}  // namespace coinnet::miner

#include "miner/block_assembler.hpp"

#include <algorithm>

#include "common/consensus/merkle.hpp"
#include "common/consensus/pow.hpp"

namespace coinnet::miner {

namespace {
// Room kept for the header, the transaction count and the coinbase when filling a block.
constexpr std::size_t kReservedBytes = 1000;
// Rolled header times stay this far inside the 2-hour future limit.
constexpr std::int64_t kTimeRollMargin = 600;
}  // namespace

BlockTemplate assemble_block(const AssemblyInput& in, const Mempool& mempool,
                             const ConsensusParams& params) {
    BlockTemplate t;
    t.height = in.base.height;
    std::size_t max_txs = std::min<std::size_t>(in.max_txs, params.max_block_txs - 1);
    std::size_t max_bytes =
        params.max_block_size > kReservedBytes ? params.max_block_size - kReservedBytes : 0;
    auto selected = mempool.select_for_block(max_txs, max_bytes);

    Transaction coinbase;
    coinbase.inputs.resize(1);
    coinbase.inputs[0].coinbase_height = in.base.height;
    coinbase.inputs[0].coinbase_extra_nonce = in.extra_nonce;
    Amount fees = 0;
    for (const MempoolEntry* e : selected)
        fees += e->fee;
    coinbase.outputs.push_back(TxOut{params.block_reward + fees, in.reward_owner});
    t.fees = fees;

    t.block.txs.reserve(selected.size() + 1);
    t.block.txs.push_back(std::move(coinbase));
    for (const MempoolEntry* e : selected)
        t.block.txs.push_back(e->tx);

    BlockHeader& h = t.block.header;
    h.version = 1;
    h.prev_hash = in.base.prev_hash;
    h.merkle_root = block_merkle_root(t.block, nullptr);
    h.time =
        static_cast<std::uint32_t>(std::max<std::int64_t>(in.now, in.base.median_time_past + 1));
    h.bits = in.base.bits;
    h.nonce = 0;
    t.max_time =
        std::max<std::int64_t>(h.time, in.now + params.max_future_block_time - kTimeRollMargin);
    if (auto target = target_from_compact(h.bits))
        t.target = Target::from_hash(target->to_hash());
    return t;
}

}  // namespace coinnet::miner

#pragma once
// Block assembly: the coinbase (reward + fees to the miner's key, the height and an extra
// nonce in its input so every coinbase txid differs) followed by up to max_txs mempool
// transactions by priority, parents before children, within the block size limit.
#include <cstdint>

#include "common/chain/chainstate.hpp"
#include "common/mempool/mempool.hpp"
#include "miner/block_template.hpp"

namespace coinnet::miner {

struct AssemblyInput {
    TemplateBase base;           // from ChainState::template_base()
    Hash160 reward_owner;        // HASH160 of the miner's reward key
    std::size_t max_txs = 1000;  // --max-block-txs (the coinbase not counted)
    std::int64_t now = 0;        // unix seconds
    std::uint64_t extra_nonce = 0;
};

BlockTemplate assemble_block(const AssemblyInput& input, const Mempool& mempool,
                             const ConsensusParams& params);

}  // namespace coinnet::miner

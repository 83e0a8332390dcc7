#include "common/node/wire_params.hpp"

#include <string>

namespace coinnet {

wire::ConsensusParams to_wire(const ConsensusParams& p) {
    wire::ConsensusParams w;
    w.set_difficulty_bits(p.difficulty_bits);
    w.set_retarget_interval(p.retarget_interval);
    w.set_target_spacing(p.target_spacing);
    w.set_block_reward(p.block_reward);
    w.set_coinbase_maturity(p.coinbase_maturity);
    w.set_faucet_grants(p.faucet_grants);
    w.set_max_block_size(p.max_block_size);
    w.set_max_block_txs(p.max_block_txs);
    w.set_network_name(p.network_name);
    return w;
}

Status validate_params(const ConsensusParams& p) {
    auto bad = [](const std::string& what) { return fail(NodeReason::kBadParams, what); };
    if (p.difficulty_bits < 1 || p.difficulty_bits > 64)
        return bad("difficulty bits must be 1..64, got " + std::to_string(p.difficulty_bits));
    if (p.retarget_interval > 0 && p.target_spacing == 0)
        return bad("target spacing must be positive when retargeting");
    if (p.block_reward < 0 || p.block_reward > 1000 * kCoin)
        return bad("block reward must be 0..1000 coins");
    if (p.faucet_grants > 100'000)
        return bad("faucet grants must be at most 100000, got " + std::to_string(p.faucet_grants));
    if (static_cast<Amount>(p.faucet_grants) * kFaucetGrantAmount > kMaxMoney)
        return bad("faucet grants exceed the money supply");
    if (p.max_block_size < 1000 || p.max_block_size > 4'000'000)
        return bad("max block size must be 1000..4000000 bytes");
    if (p.max_block_txs < 1)
        return bad("max block transactions must be at least 1");
    if (p.coinbase_maturity > 10'000)
        return bad("coinbase maturity must be at most 10000");
    if (p.network_name.empty() || p.network_name.size() > 64)
        return bad("network name must be 1..64 characters");
    return Status::success();
}

Result<ConsensusParams> from_wire(const wire::ConsensusParams& w) {
    ConsensusParams p;
    p.difficulty_bits = w.difficulty_bits();
    p.retarget_interval = w.retarget_interval();
    p.target_spacing = w.target_spacing();
    p.block_reward = w.block_reward();
    p.coinbase_maturity = w.coinbase_maturity();
    p.faucet_grants = w.faucet_grants();
    p.max_block_size = w.max_block_size();
    p.max_block_txs = w.max_block_txs();
    p.network_name = w.network_name();
    if (Status s = validate_params(p); !s)
        return s.error();
    return p;
}

}  // namespace coinnet

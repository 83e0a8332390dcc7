#pragma once
// Shared by the consensus test suites: real keys, signed transactions, and blocks mined at a
// difficulty low enough that incrementing the nonce finds one at once.
#include <array>
#include <cstdint>
#include <stdexcept>
#include <utility>
#include <vector>

#include "common/consensus/coin_map.hpp"
#include "common/consensus/genesis.hpp"
#include "common/consensus/merkle.hpp"
#include "common/consensus/pow.hpp"
#include "common/consensus/validation.hpp"
#include "common/crypto/keys.hpp"

namespace coinnet::test {

inline ConsensusParams test_params() {
    ConsensusParams p;
    p.network_name = "consensus-tests";
    p.difficulty_bits = 4;  // one hash in 16 qualifies
    p.coinbase_maturity = 3;
    p.faucet_grants = 4;
    p.block_reward = 10 * kCoin;
    return p;
}

// Deterministic keys: secret = n (n >= 1).
inline PrivateKey key(std::uint8_t n) {
    std::array<std::uint8_t, 32> secret{};
    secret[31] = n;
    return PrivateKey::from_bytes(secret).value();
}
inline Hash160 owner_of(const PrivateKey& k) {
    return hash160(k.public_key());
}

// A coin being spent: where it is and what it is.
struct Spend {
    OutPoint outpoint;
    TxOut out;
};

// A transaction spending `inputs` (all owned by `signer`) to `outputs`, signed input by input.
inline Transaction signed_tx(const std::vector<Spend>& inputs, const std::vector<TxOut>& outputs,
                             const PrivateKey& signer) {
    Transaction tx;
    for (const Spend& s : inputs) {
        TxIn in;
        in.prevout = s.outpoint;
        in.pubkey = signer.public_key();
        tx.inputs.push_back(in);
    }
    tx.outputs = outputs;
    for (std::size_t i = 0; i < inputs.size(); ++i)
        tx.inputs[i].signature =
            signer.sign(signature_digest(tx, i, inputs[i].out.amount, inputs[i].out.owner));
    return tx;
}

inline Transaction coinbase_tx(std::uint32_t height, std::vector<TxOut> outputs,
                               std::uint64_t extra_nonce = 0) {
    Transaction tx;
    TxIn in;
    in.coinbase_height = height;
    in.coinbase_extra_nonce = extra_nonce;
    tx.inputs.push_back(in);
    tx.outputs = std::move(outputs);
    return tx;
}

// Sets the merkle root, then searches nonces until the hash meets the header's own bits
// (even bits the network would refuse, so such blocks fail for their bits, not their hash).
inline void mine(Block& block, bool set_root = true) {
    if (set_root)
        block.header.merkle_root = block_merkle_root(block);
    const auto target = target_from_compact(block.header.bits);
    if (!target)
        throw std::logic_error("cannot mine bits that encode no target");
    block.header.nonce = 0;
    while (Uint256::from_hash(block_hash(block.header)) > *target)
        ++block.header.nonce;
}

// A chain in memory: the genesis (4 faucet outputs of 100 coins to key(1)) connected to a
// MapCoinView, and helpers to build the next block.
struct TestChain {
    ConsensusParams params = test_params();
    PrivateKey faucet = key(1);
    PrivateKey miner = key(2);
    Block genesis = make_genesis_block(params, faucet.public_key(), 1'600'000'000);
    MapCoinView coins;
    std::uint32_t height = 0;  // of the tip

    TestChain() { connect_genesis(genesis, coins); }

    Spend faucet_output(std::uint32_t index) const {
        return {OutPoint{compute_txid(genesis.txs[0]), index}, genesis.txs[0]->outputs[index]};
    }

    // Blocks are 10 minutes apart; the clock reads the next block's time.
    std::int64_t block_time(std::uint32_t at_height) const {
        return std::int64_t{genesis.header.time} + 600 * at_height;
    }
    std::int64_t next_block_time() const { return block_time(height + 1); }

    // Block at `at_height` holding a coinbase paying reward + fee_total to the miner, then txs.
    Block block_with(std::vector<Transaction> txs, Amount fee_total = 0,
                     std::uint32_t at_height = 0) const {
        if (at_height == 0)
            at_height = height + 1;
        Block block;
        block.header.prev_hash = block_hash(genesis.header);
        block.header.time = static_cast<std::uint32_t>(block_time(at_height));
        block.header.bits = compact_from_zero_bits(params.difficulty_bits);
        block.txs.push_back(
            coinbase_tx(at_height, {TxOut{params.block_reward + fee_total, owner_of(miner)}}));
        for (auto& tx : txs)
            block.txs.push_back(std::move(tx));
        mine(block);
        return block;
    }

    // Connects a block that must be valid, advancing the tip.
    BlockUndo connect(const Block& block) {
        auto undo = connect_block(block, height + 1, coins, params);
        if (!undo)
            throw std::runtime_error(undo.error().code() + ": " + undo.error().message);
        ++height;
        return *undo;
    }
};

}  // namespace coinnet::test

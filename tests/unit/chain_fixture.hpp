#pragma once
// Test support for the chain tests (and the chain benchmark): a tiny network whose blocks are
// mined in a few nonce increments, deterministic keys, and a BranchBuilder that grows a chain
// of valid blocks full of real signed transactions, keeping its own coin set as the model to
// compare a ChainState against. Everything is seeded: no clock, no randomness from outside.
#include <unistd.h>
#include <algorithm>
#include <atomic>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "common/chain/chainstate.hpp"
#include "common/consensus/coin_map.hpp"
#include "common/consensus/genesis.hpp"
#include "common/consensus/merkle.hpp"
#include "common/consensus/pow.hpp"
#include "common/consensus/validation.hpp"
#include "common/crypto/keys.hpp"
#include "common/wallet/tx_builder.hpp"

// The benchmark program has no build-dir test-tmp: it uses the system's temporary directory.
#ifndef COINNET_TEST_TMP
#define COINNET_TEST_TMP (std::filesystem::temp_directory_path() / "coinnet-test-tmp").string()
#endif

namespace coinnet::test {

inline PrivateKey key_from_seed(std::uint32_t seed) {
    std::string text = "coinnet chain test key " + std::to_string(seed);
    Hash256 secret =
        sha256(ByteSpan(reinterpret_cast<const std::uint8_t*>(text.data()), text.size()));
    return PrivateKey::from_bytes(secret.span()).value();
}

inline Hash160 owner_of(const PrivateKey& key) {
    return hash160(key.public_key());
}

struct TestNet {
    ConsensusParams params;
    std::vector<PrivateKey> keys;  // keys[0] is the faucet
    Block genesis;
    std::uint32_t genesis_time = 1'700'000'000;
    // The clock every ChainState of the test reads: far enough ahead of any test block.
    std::int64_t now() const { return std::int64_t{genesis_time} + 10'000'000; }
    std::map<Hash160, const PrivateKey*> key_of_owner;

    explicit TestNet(std::uint32_t difficulty_bits = 2, std::uint32_t faucet_grants = 20,
                     std::uint32_t maturity = 3,
                     const std::function<void(ConsensusParams&)>& tweak = {}) {
        params.network_name = "chain-test";
        params.difficulty_bits = difficulty_bits;
        params.faucet_grants = faucet_grants;
        params.coinbase_maturity = maturity;
        if (tweak)
            tweak(params);
        for (std::uint32_t i = 0; i < 4; ++i)
            keys.push_back(key_from_seed(i));
        for (const PrivateKey& k : keys)
            key_of_owner[owner_of(k)] = &k;
        genesis = make_genesis_block(params, keys[0].public_key(), genesis_time);
    }
    TestNet(const TestNet&) = delete;

    ChainStateOptions options(const std::filesystem::path& dir,
                              SyncMode sync = SyncMode::kNormal) const {
        ChainStateOptions o;
        o.data_dir = dir;
        o.params = params;
        o.genesis = genesis;
        std::int64_t fixed = now();
        o.clock = [fixed] { return fixed; };
        o.sync = sync;
        return o;
    }
};

// A fresh, empty directory under the build's test-tmp for this test.
inline std::filesystem::path fresh_dir(const std::string& name) {
    static std::atomic<int> counter{0};
    std::filesystem::path dir =
        std::filesystem::path(COINNET_TEST_TMP) /
        ("chain-" + name + "-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    return dir;
}

// Increments the nonce until the header meets its own bits.
inline void mine(BlockHeader& header, const ConsensusParams& params) {
    while (!check_proof_of_work(block_hash(header), header.bits, params))
        ++header.nonce;
}

// A mined block at `height` on `prev`: a coinbase paying reward + fees to keys[miner] (the
// extra nonce `salt` makes sibling coinbases differ), then `txs`.
inline Block assemble_block(const TestNet& net, const Hash256& prev, std::uint32_t height,
                            std::uint32_t time, std::uint32_t bits, std::vector<Transaction> txs,
                            Amount fees, std::uint64_t salt = 0, std::uint32_t miner = 1) {
    Transaction coinbase;
    TxIn in;
    in.prevout = OutPoint{};
    in.coinbase_height = height;
    in.coinbase_extra_nonce = salt;
    coinbase.inputs.push_back(in);
    coinbase.outputs.push_back({net.params.block_reward + fees, owner_of(net.keys[miner])});
    Block block;
    block.txs.push_back(coinbase);
    for (Transaction& tx : txs)
        block.txs.push_back(std::move(tx));
    block.header.prev_hash = prev;
    block.header.time = time;
    block.header.bits = bits;
    block.header.merkle_root = block_merkle_root(block);
    mine(block.header, net.params);
    return block;
}

// Grows one branch. Copy a builder to fork: the copy continues from the same tip with the
// same coins, and the two diverge from there.
class BranchBuilder {
  public:
    explicit BranchBuilder(const TestNet& net) : net_(&net) {
        tip_ = block_hash(net.genesis.header);
        time_ = net.genesis.header.time;
        bits_ = net.genesis.header.bits;
        connect_genesis(net.genesis, coins_);
    }

    // The next block: a coinbase to `miner` claiming reward + fees, and up to `max_txs`
    // random payments among the test keys. `salt` makes sibling blocks differ.
    Block next(std::mt19937_64& rng, std::size_t max_txs, std::uint64_t salt = 0,
               std::uint32_t miner = 1) {
        const std::uint32_t height = height_ + 1;
        std::vector<Transaction> txs;
        Amount fees = 0;
        std::vector<OwnedCoin> spendable = spendable_coins(height);
        std::shuffle(spendable.begin(), spendable.end(), rng);
        for (std::size_t i = 0; i < spendable.size() && txs.size() < max_txs; ++i) {
            const OwnedCoin& c = spendable[i];
            Amount fee = static_cast<Amount>(rng() % 1000);
            Amount rest = c.coin.out.amount - fee;
            if (rest < 2)
                continue;
            std::vector<TxOut> outs;
            Amount first = 1 + static_cast<Amount>(rng() % static_cast<std::uint64_t>(rest - 1));
            outs.push_back({first, owner_of(net_->keys[rng() % net_->keys.size()])});
            if (rest - first > 0)
                outs.push_back({rest - first, owner_of(net_->keys[rng() % net_->keys.size()])});
            const PrivateKey& key = *net_->key_of_owner.at(c.coin.out.owner);
            txs.push_back(build_signed_transaction({{c.outpoint, c.coin.out}}, outs, key).value());
            fees += fee;
        }
        return finish(std::move(txs), fees, salt, miner);
    }

    // A block with exactly these transactions (fees given), not checked here.
    Block finish(std::vector<Transaction> txs, Amount fees, std::uint64_t salt = 0,
                 std::uint32_t miner = 1) {
        Block block = assemble(std::move(txs), fees, salt, miner);
        apply(block);
        return block;
    }

    // Builds and mines without advancing the branch (for invalid blocks).
    Block assemble(std::vector<Transaction> txs, Amount fees, std::uint64_t salt = 0,
                   std::uint32_t miner = 1) const {
        return assemble_block(*net_, tip_, height_ + 1, time_ + 1, bits_, std::move(txs), fees,
                              salt, miner);
    }

    // Moves the tip over a block without checking it or updating the coins (for blocks built
    // on top of an invalid one; the model is meaningless after this).
    void advance_unchecked(const Block& block) {
        ++height_;
        tip_ = block_hash(block.header);
        time_ = block.header.time;
    }

    // Advances the model over a block (which must be valid on this branch).
    void apply(const Block& block) {
        auto undo = connect_block(block, height_ + 1, coins_, net_->params);
        if (!undo)
            throw std::runtime_error("BranchBuilder made an invalid block: " +
                                     undo.error().message);
        ++height_;
        tip_ = block_hash(block.header);
        time_ = block.header.time;
    }

    std::vector<OwnedCoin> spendable_coins(std::uint32_t spend_height) const {
        std::vector<OwnedCoin> out;
        for (const auto& [o, c] : coins_.changes()) {
            if (!c || !net_->key_of_owner.count(c->out.owner))
                continue;
            if (c->coinbase && c->height > 0 &&
                spend_height < c->height + net_->params.coinbase_maturity)
                continue;
            out.push_back({o, *c});
        }
        std::sort(out.begin(), out.end(),
                  [](const OwnedCoin& a, const OwnedCoin& b) { return a.outpoint < b.outpoint; });
        return out;
    }

    // The model's coins, ordered as ChainState::utxo_snapshot() orders them.
    std::vector<OwnedCoin> snapshot() const {
        std::vector<OwnedCoin> out;
        for (const auto& [o, c] : coins_.changes())
            if (c)
                out.push_back({o, *c});
        std::sort(out.begin(), out.end(),
                  [](const OwnedCoin& a, const OwnedCoin& b) { return a.outpoint < b.outpoint; });
        return out;
    }

    const Hash256& tip() const { return tip_; }
    std::uint32_t height() const { return height_; }

  private:
    const TestNet* net_;
    MapCoinView coins_;
    Hash256 tip_;
    std::uint32_t height_ = 0;
    std::uint32_t time_ = 0;
    std::uint32_t bits_ = 0;
};

// The coins' total a chain of `height` blocks must hold: fees only move value.
inline Amount expected_supply(const TestNet& net, std::uint32_t height) {
    return Amount{net.params.faucet_grants} * kFaucetGrantAmount +
           Amount{height} * net.params.block_reward;
}

inline std::unique_ptr<ChainState> open_chain(const TestNet& net, const std::filesystem::path& dir,
                                              SyncMode sync = SyncMode::kNormal) {
    auto chain = ChainState::open(net.options(dir, sync));
    if (!chain)
        throw std::runtime_error("open failed: " + chain.error().code() + ": " +
                                 chain.error().message);
    return std::move(chain).value();
}

}  // namespace coinnet::test

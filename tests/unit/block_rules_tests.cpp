// Block rules: every way a block can be invalid, each refused with its own code, through the
// full pipeline a node runs (check_block, check_header_context, connect_block on a scratch
// layer); plus in-block spending order, maturity, and exact connect/disconnect round trips.
#include <doctest/doctest.h>

#include <functional>
#include <string>

#include "tests/unit/support/consensus_fixtures.hpp"
#include "tests/unit/support/edit_tx.hpp"

using namespace coinnet;
using namespace coinnet::test;

namespace {

// The whole pipeline for the block after the tip; "" when valid. Connects onto a scratch
// layer, so the chain's coins never change.
std::string refusal(const Block& block, const TestChain& chain) {
    if (Status s = check_block(block, chain.params); !s)
        return s.error().code();
    const std::int64_t mtp = chain.genesis.header.time;
    const std::uint32_t required = compact_from_zero_bits(chain.params.difficulty_bits);
    const std::int64_t now = chain.next_block_time();  // the local clock
    if (Status s = check_header_context(block.header, required, mtp, now, chain.params); !s)
        return s.error().code();
    MapCoinView scratch(&chain.coins);
    auto undo = connect_block(block, chain.height + 1, scratch, chain.params);
    return undo ? "" : undo.error().code();
}

Transaction pay(const TestChain& c, std::uint32_t faucet_index, Amount amount, Amount fee) {
    return signed_tx({c.faucet_output(faucet_index)},
                     {TxOut{amount, owner_of(key(3))},
                      TxOut{kFaucetGrantAmount - amount - fee, owner_of(c.faucet)}},
                     c.faucet);
}

Spend output_of(const Transaction& tx, std::uint32_t index) {
    return {OutPoint{compute_txid(tx), index}, tx.outputs[index]};
}

// Re-mines a block whose header or transactions a case changed (keeping its merkle root).
Block remined(Block b) {
    mine(b, false);
    return b;
}

struct Case {
    const char* name;
    const char* code;
    std::function<Block(TestChain&)> build;
};

const Case kCases[] = {
    {"bits encoding a negative target", "bad-bits-invalid",
     [](TestChain& c) {
         Block b = c.block_with({});
         b.header.bits = 0x04923456;
         return b;
     }},
    {"bits easier than the network minimum", "bad-bits-too-easy",
     [](TestChain& c) {
         Block b = c.block_with({});
         b.header.bits = compact_from_zero_bits(c.params.difficulty_bits - 1);
         return remined(b);
     }},
    {"hash above the target", "high-hash",
     [](TestChain& c) {
         Block b = c.block_with({});
         while (check_proof_of_work(block_hash(b.header), b.header.bits, c.params))
             ++b.header.nonce;
         return b;
     }},
    {"no transactions", "bad-blk-txns",
     [](TestChain& c) {
         Block b = c.block_with({});
         b.txs.clear();
         return remined(b);
     }},
    {"more transactions than max_block_txs", "bad-blk-txns",
     [](TestChain& c) {
         c.params.max_block_txs = 2;
         return c.block_with({pay(c, 0, kCoin, 0), pay(c, 1, kCoin, 0)});
     }},
    {"larger than max_block_size", "bad-blk-length",
     [](TestChain& c) {
         c.params.max_block_size = 1000;
         Block b = c.block_with({});
         edit_tx(b, 0, [&](Transaction& t) {
             t.outputs.assign(40, TxOut{kCoin / 4, owner_of(c.miner)});
         });
         mine(b);
         return b;
     }},
    {"merkle root not matching the transactions", "bad-txnmrklroot",
     [](TestChain& c) {
         Block b = c.block_with({});
         b.header.merkle_root.bytes[0] ^= 1;
         return remined(b);
     }},
    {"CVE-2012-2459: last transaction repeated, same merkle root", "bad-txns-duplicate",
     [](TestChain& c) {
         Block b = c.block_with({pay(c, 0, kCoin, 0), pay(c, 1, kCoin, 0)});
         b.txs.push_back(b.txs.back());
         return b;  // same header, still meets its target
     }},
    {"a transaction twice, not side by side", "bad-txns-duplicate",
     [](TestChain& c) {
         Transaction t = pay(c, 0, kCoin, 0);
         return c.block_with({t, pay(c, 1, kCoin, 0), t});
     }},
    {"first transaction is not a coinbase", "bad-cb-missing",
     [](TestChain& c) {
         Block b = c.block_with({pay(c, 0, kCoin, 0)});
         b.txs.erase(b.txs.begin());
         mine(b);
         return b;
     }},
    {"second coinbase", "bad-cb-multiple",
     [](TestChain& c) {
         return c.block_with({coinbase_tx(1, {TxOut{kCoin, owner_of(c.miner)}}, 7)});
     }},
    {"transaction with no outputs inside the block", "bad-txns-vout-empty",
     [](TestChain& c) {
         Transaction t = pay(c, 0, kCoin, 0);
         t.outputs.clear();
         return c.block_with({t});
     }},
    {"coinbase of version 2", "bad-txns-version",
     [](TestChain& c) {
         Block b = c.block_with({});
         edit_tx(b, 0, [](Transaction& t) { t.version = 2; });
         mine(b);
         return b;
     }},
    {"CVE-2018-17144 inside a block: one tx spends an output twice", "bad-txns-inputs-duplicate",
     [](TestChain& c) {
         return c.block_with({signed_tx({c.faucet_output(0), c.faucet_output(0)},
                                        {TxOut{150 * kCoin, owner_of(key(3))}}, c.faucet)});
     }},
    {"two transactions spend the same output", "bad-txns-double-spend-in-block",
     [](TestChain& c) {
         return c.block_with({pay(c, 0, kCoin, 0), pay(c, 0, 2 * kCoin, 0)});
     }},
    {"bits other than the chain requires", "bad-diffbits",
     [](TestChain& c) {
         Block b = c.block_with({});
         b.header.bits = compact_from_zero_bits(c.params.difficulty_bits + 1);
         return remined(b);
     }},
    {"time not after the median time past", "time-too-old",
     [](TestChain& c) {
         Block b = c.block_with({});
         b.header.time = c.genesis.header.time;
         return remined(b);
     }},
    {"time more than 2 hours ahead of the local clock", "time-too-new",
     [](TestChain& c) {
         Block b = c.block_with({});
         b.header.time =
             static_cast<std::uint32_t>(c.next_block_time() + c.params.max_future_block_time + 1);
         return remined(b);
     }},
    {"coinbase claims another height", "bad-cb-height",
     [](TestChain& c) { return c.block_with({}, 0, c.height + 2); }},
    {"coinbase pays more than reward + fees", "bad-cb-amount",
     [](TestChain& c) { return c.block_with({pay(c, 0, kCoin, kCoin)}, kCoin + 1); }},
    {"spends an output created later in the block", "bad-txns-spends-later",
     [](TestChain& c) {
         Transaction parent = pay(c, 0, 50 * kCoin, 0);
         Transaction child =
             signed_tx({output_of(parent, 0)}, {TxOut{50 * kCoin, owner_of(key(3))}}, key(3));
         return c.block_with({child, parent});
     }},
    {"spends an output that does not exist", "bad-txns-inputs-missingorspent",
     [](TestChain& c) {
         Spend ghost = c.faucet_output(0);
         ghost.outpoint.index = 77;
         return c.block_with({signed_tx({ghost}, {TxOut{kCoin, owner_of(key(3))}}, c.faucet)});
     }},
    {"spends its own block's coinbase", "bad-txns-premature-spend-of-coinbase",
     [](TestChain& c) {
         Block b = c.block_with({});
         const Spend reward = output_of(b.txs[0], 0);
         b.txs.push_back(signed_tx({reward}, {TxOut{kCoin, owner_of(key(3))}}, c.miner));
         mine(b);
         return b;
     }},
    {"spends a coin of another owner", "bad-txns-wrong-owner",
     [](TestChain& c) {
         return c.block_with(
             {signed_tx({c.faucet_output(0)}, {TxOut{kCoin, owner_of(key(3))}}, key(3))});
     }},
    {"bad signature", "bad-txns-bad-signature",
     [](TestChain& c) {
         Transaction t = pay(c, 0, kCoin, 0);
         t.inputs[0].signature[40] ^= 0x80;
         return c.block_with({t});
     }},
    {"transaction paying more than it spends", "bad-txns-in-belowout",
     [](TestChain& c) { return c.block_with({pay(c, 0, kCoin, -1)}); }},
    {"fees adding up past 21M coins (corrupt view)", "bad-txns-accumulated-fee-outofrange",
     [](TestChain& c) {
         std::vector<Transaction> txs;
         for (std::uint8_t i = 0; i < 2; ++i) {
             const Spend s{OutPoint{sha256d(Bytes{5, i}), 0}, TxOut{kMaxMoney, owner_of(c.faucet)}};
             c.coins.add_coin(s.outpoint, Coin{s.out, 0, false});
             txs.push_back(signed_tx({s}, {TxOut{1, owner_of(key(3))}}, c.faucet));
         }
         return c.block_with(txs);
     }},
};

}  // namespace

TEST_SUITE("block_rules") {
    TEST_CASE("a block of ordinary payments passes every check") {
        TestChain chain;
        const Block b =
            chain.block_with({pay(chain, 0, kCoin, 1000), pay(chain, 1, kCoin, 0)}, 1000);
        CHECK(refusal(b, chain) == "");
    }

    TEST_CASE("each invalid block is refused with its own code") {
        CHECK(std::size(kCases) >= 20);
        for (const Case& c : kCases) {
            const std::string name = c.name;
            CAPTURE(name);
            TestChain chain;
            const Block block = c.build(chain);
            CHECK(refusal(block, chain) == std::string(c.code));
        }
    }

    TEST_CASE("after a mutated block is refused, the honest block with that header passes") {
        TestChain chain;
        const Block honest = chain.block_with({pay(chain, 0, kCoin, 0), pay(chain, 1, kCoin, 0)});
        Block mutated = honest;
        mutated.txs.push_back(mutated.txs.back());
        REQUIRE(block_hash(mutated.header) == block_hash(honest.header));
        CHECK(refusal(mutated, chain) == "bad-txns-duplicate");
        CHECK(refusal(honest, chain) == "");
    }

    TEST_CASE("a double spend across the block is caught without coins and while connecting") {
        TestChain chain;
        const Block b = chain.block_with({pay(chain, 0, kCoin, 0), pay(chain, 0, 2 * kCoin, 0)});
        CHECK(check_block(b, chain.params).error().code() == "bad-txns-double-spend-in-block");
        MapCoinView scratch(&chain.coins);
        CHECK(connect_block(b, 1, scratch, chain.params).error().code() ==
              "bad-txns-double-spend-in-block");
    }

    TEST_CASE("spending an output created earlier in the same block is valid") {
        TestChain chain;
        const Transaction parent = pay(chain, 0, 50 * kCoin, kCoin);
        const Transaction child =
            signed_tx({output_of(parent, 0)}, {TxOut{49 * kCoin, owner_of(key(4))}}, key(3));
        const Block b = chain.block_with({parent, child}, 2 * kCoin);
        CHECK(refusal(b, chain) == "");
        chain.connect(b);
        CHECK_FALSE(chain.coins.get_coin(output_of(parent, 0).outpoint));
        CHECK(chain.coins.get_coin(output_of(child, 0).outpoint));
    }

    TEST_CASE("a mined coinbase is spendable exactly coinbase_maturity blocks later") {
        TestChain chain;  // maturity 3
        const Block first = chain.block_with({});
        chain.connect(first);  // height 1
        const Transaction spend = signed_tx({output_of(first.txs[0], 0)},
                                            {TxOut{9 * kCoin, owner_of(key(3))}}, chain.miner);
        chain.connect(chain.block_with({}));  // height 2
        // At height 3 = 1 + 3 - 1: one block early.
        CHECK(refusal(chain.block_with({spend}, kCoin), chain) ==
              "bad-txns-premature-spend-of-coinbase");
        chain.connect(chain.block_with({}));  // height 3
        // At height 4 = 1 + 3: exactly mature.
        CHECK(refusal(chain.block_with({spend}, kCoin), chain) == "");
    }

    TEST_CASE("genesis outputs are spendable in block 1") {
        TestChain chain;
        const Transaction all = signed_tx({chain.faucet_output(3)},
                                          {TxOut{100 * kCoin, owner_of(key(3))}}, chain.faucet);
        CHECK(refusal(chain.block_with({all}), chain) == "");
    }

    TEST_CASE("connect then disconnect restores the coins exactly") {
        TestChain chain;
        chain.connect(chain.block_with({}));  // height 1, so block 2 also has a live coinbase
        const MapCoinView before = chain.coins;
        const Transaction parent = pay(chain, 0, 50 * kCoin, kCoin);
        // Spends both of parent's outputs, so it is signed by two owners.
        Transaction mixed;
        mixed.inputs.resize(2);
        mixed.inputs[0].prevout = output_of(parent, 0).outpoint;
        mixed.inputs[0].pubkey = key(3).public_key();
        mixed.inputs[1].prevout = output_of(parent, 1).outpoint;
        mixed.inputs[1].pubkey = chain.faucet.public_key();
        mixed.outputs = {TxOut{98 * kCoin, owner_of(key(4))}};
        mixed.inputs[0].signature = key(3).sign(
            signature_digest(mixed, 0, parent.outputs[0].amount, parent.outputs[0].owner));
        mixed.inputs[1].signature = chain.faucet.sign(
            signature_digest(mixed, 1, parent.outputs[1].amount, parent.outputs[1].owner));
        const Transaction other = pay(chain, 2, 10 * kCoin, 0);
        const Block b = chain.block_with({parent, mixed, other}, 2 * kCoin);
        REQUIRE(refusal(b, chain) == "");

        const BlockUndo undo = chain.connect(b);
        // Spending order: parent's input, then mixed's two, then other's.
        REQUIRE(undo.spent.size() == 4);
        CHECK(undo.spent[0].first == chain.faucet_output(0).outpoint);
        CHECK(undo.spent[1].first == output_of(parent, 0).outpoint);
        CHECK(undo.spent[2].first == output_of(parent, 1).outpoint);
        CHECK(undo.spent[3].first == chain.faucet_output(2).outpoint);
        CHECK(undo.spent[1].second == Coin{parent.outputs[0], 2, false});
        CHECK(chain.coins.get_coin(output_of(b.txs[0], 0).outpoint) ==
              Coin{b.txs[0]->outputs[0], 2, true});
        CHECK(chain.coins != before);

        REQUIRE(disconnect_block(b, undo, chain.coins).ok());
        CHECK(chain.coins == before);
    }

    TEST_CASE("disconnect refuses undo data that does not match") {
        TestChain chain;
        const Block b = chain.block_with({pay(chain, 0, kCoin, 0)});
        const BlockUndo undo = chain.connect(b);

        BlockUndo short_undo;
        MapCoinView layer(&chain.coins);
        CHECK(disconnect_block(b, short_undo, layer).error().code() == "bad-undo");

        BlockUndo wrong = undo;
        wrong.spent[0].first.index = 3;
        CHECK(disconnect_block(b, wrong, layer).error().code() == "bad-undo");

        // The block's outputs are gone from the view (already disconnected elsewhere).
        MapCoinView twice(&chain.coins);
        REQUIRE(disconnect_block(b, undo, twice).ok());
        CHECK(disconnect_block(b, undo, twice).error().code() == "bad-undo");
    }

    TEST_CASE("a refused block leaves the base view untouched") {
        TestChain chain;
        const MapCoinView before = chain.coins;
        const Block b = chain.block_with({pay(chain, 0, kCoin, 0)}, 5 * kCoin);  // overpays
        MapCoinView scratch(&chain.coins);
        auto undo = connect_block(b, 1, scratch, chain.params);
        REQUIRE_FALSE(undo.ok());
        CHECK(undo.error().code() == "bad-cb-amount");
        CHECK(undo.error().message.find("15") != std::string::npos);  // what it paid
        CHECK(chain.coins == before);
    }

    TEST_CASE("check_header_context accepts the boundaries") {
        const ConsensusParams p = test_params();
        BlockHeader h;
        h.bits = 0x1f00ffff;
        h.time = 1000;
        CHECK(check_header_context(h, 0x1f00ffff, 999, 1000, p).ok());
        CHECK(check_header_context(h, 0x1f00ffff, 1000, 1000, p).error().code() == "time-too-old");
        CHECK(check_header_context(h, 0x1f00ffff, 0, 1000 - p.max_future_block_time, p).ok());
        CHECK(check_header_context(h, 0x1f00ffff, 0, 999 - p.max_future_block_time, p)
                  .error()
                  .code() == "time-too-new");
    }
}

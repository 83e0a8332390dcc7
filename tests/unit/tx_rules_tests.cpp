// Transaction rules: every way a transaction can be invalid, each refused with its own code,
// plus the boundaries that must stay valid (maturity, genesis outputs, exact fees).
#include <doctest/doctest.h>

#include <chrono>
#include <functional>
#include <limits>
#include <string>

#include "tests/unit/support/consensus_fixtures.hpp"

using namespace coinnet;
using namespace coinnet::test;

namespace {

// Runs the single-transaction pipeline (check_transaction, then check_tx_inputs at the next
// height); returns the first failure's code, or "" when valid.
std::string refusal(const Transaction& tx, const TestChain& chain) {
    if (Status s = check_transaction(tx); !s)
        return s.error().code();
    auto fee = check_tx_inputs(tx, chain.coins, chain.height + 1, chain.params);
    return fee ? "" : fee.error().code();
}

// s -> n - s: the high-S twin of a valid signature.
SigBytes flip_s(const SigBytes& sig) {
    const Uint256 order =
        *Uint256::from_hex("fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141");
    const Uint256 s = *Uint256::from_be_bytes(ByteSpan(sig.data() + 32, 32));
    const auto flipped = (order - s).to_be_bytes();
    SigBytes out = sig;
    std::copy(flipped.begin(), flipped.end(), out.begin() + 32);
    return out;
}

// The valid baseline every case mutates: faucet output 0 (100 coins) -> 60 to key 3, 39 back
// to the faucet, fee 1.
Transaction baseline(const TestChain& c) {
    return signed_tx({c.faucet_output(0)},
                     {TxOut{60 * kCoin, owner_of(key(3))}, TxOut{39 * kCoin, owner_of(c.faucet)}},
                     c.faucet);
}

struct Case {
    const char* name;
    const char* code;
    std::function<Transaction(TestChain&)> build;
};

const Case kCases[] = {
    {"version 2", "bad-txns-version",
     [](TestChain& c) {
         Transaction tx = baseline(c);
         tx.version = 2;
         return tx;
     }},
    {"no inputs", "bad-txns-vin-empty",
     [](TestChain& c) {
         Transaction tx = baseline(c);
         tx.inputs.clear();
         return tx;
     }},
    {"no outputs", "bad-txns-vout-empty",
     [](TestChain& c) {
         Transaction tx = baseline(c);
         tx.outputs.clear();
         return tx;
     }},
    {"zero-amount output", "bad-txns-vout-notpositive",
     [](TestChain& c) {
         return signed_tx({c.faucet_output(0)}, {TxOut{0, owner_of(key(3))}}, c.faucet);
     }},
    {"negative output", "bad-txns-vout-notpositive",
     [](TestChain& c) {
         return signed_tx({c.faucet_output(0)},
                          {TxOut{-kCoin, owner_of(key(3))}, TxOut{100 * kCoin, owner_of(key(3))}},
                          c.faucet);
     }},
    {"output above 21M coins", "bad-txns-vout-toolarge",
     [](TestChain& c) {
         return signed_tx({c.faucet_output(0)}, {TxOut{kMaxMoney + 1, owner_of(key(3))}}, c.faucet);
     }},
    {"CVE-2010-5139: outputs of 92233720368.54275808 coins wrapping int64",
     "bad-txns-vout-toolarge",
     [](TestChain& c) {
         const Amount huge = 0x7ffffffffff85ee0LL;  // the amount of the 2010 overflow block
         return signed_tx({c.faucet_output(0)},
                          {TxOut{huge, owner_of(key(3))}, TxOut{huge, owner_of(key(3))}}, c.faucet);
     }},
    {"outputs each valid but summing past 21M coins", "bad-txns-txouttotal-toolarge",
     [](TestChain& c) {
         return signed_tx({c.faucet_output(0)},
                          {TxOut{kMaxMoney, owner_of(key(3))}, TxOut{1, owner_of(key(3))}},
                          c.faucet);
     }},
    {"CVE-2018-17144: one output spent twice by one transaction", "bad-txns-inputs-duplicate",
     [](TestChain& c) {
         return signed_tx({c.faucet_output(0), c.faucet_output(0)},
                          {TxOut{150 * kCoin, owner_of(key(3))}}, c.faucet);
     }},
    {"null prevout in a regular transaction", "bad-txns-prevout-null",
     [](TestChain& c) {
         Transaction tx = baseline(c);
         tx.inputs.push_back(TxIn{});
         return tx;
     }},
    {"coinbase with two inputs", "bad-cb-multiple-inputs",
     [](TestChain& c) {
         Transaction tx = coinbase_tx(1, {TxOut{kCoin, owner_of(key(3))}});
         tx.inputs.push_back(baseline(c).inputs[0]);
         return tx;
     }},
    {"coinbase outside a block", "bad-txns-coinbase",
     [](TestChain&) {
         return coinbase_tx(1, {TxOut{kCoin, owner_of(key(3))}});
     }},
    {"input that never existed", "bad-txns-inputs-missingorspent",
     [](TestChain& c) {
         Spend ghost = c.faucet_output(0);
         ghost.outpoint.index = 99;
         return signed_tx({ghost}, {TxOut{kCoin, owner_of(key(3))}}, c.faucet);
     }},
    {"input already spent", "bad-txns-inputs-missingorspent",
     [](TestChain& c) {
         (void)c.coins.spend_coin(c.faucet_output(0).outpoint);
         return baseline(c);
     }},
    {"mined coinbase spent before maturity", "bad-txns-premature-spend-of-coinbase",
     [](TestChain& c) {
         const Spend cb{OutPoint{sha256d(Bytes{1}), 0}, TxOut{10 * kCoin, owner_of(c.faucet)}};
         c.coins.add_coin(cb.outpoint, Coin{cb.out, c.height + 1, true});
         return signed_tx({cb}, {TxOut{9 * kCoin, owner_of(key(3))}}, c.faucet);
     }},
    {"spent coin above 21M coins (corrupt view)", "bad-txns-inputvalues-outofrange",
     [](TestChain& c) {
         const Spend big{OutPoint{sha256d(Bytes{2}), 0}, TxOut{kMaxMoney + 1, owner_of(c.faucet)}};
         c.coins.add_coin(big.outpoint, Coin{big.out, 0, false});
         return signed_tx({big}, {TxOut{kCoin, owner_of(key(3))}}, c.faucet);
     }},
    {"inputs summing past 21M coins", "bad-txns-inputvalues-outofrange",
     [](TestChain& c) {
         std::vector<Spend> spends;
         for (std::uint8_t i = 0; i < 2; ++i) {
             Spend s{OutPoint{sha256d(Bytes{3, i}), 0}, TxOut{kMaxMoney, owner_of(c.faucet)}};
             c.coins.add_coin(s.outpoint, Coin{s.out, 0, false});
             spends.push_back(s);
         }
         return signed_tx(spends, {TxOut{kCoin, owner_of(key(3))}}, c.faucet);
     }},
    {"signed by a key that does not own the coin", "bad-txns-wrong-owner",
     [](TestChain& c) {
         return signed_tx({c.faucet_output(0)}, {TxOut{kCoin, owner_of(key(3))}}, key(3));
     }},
    {"signature with a flipped bit", "bad-txns-bad-signature",
     [](TestChain& c) {
         Transaction tx = baseline(c);
         tx.inputs[0].signature[10] ^= 0x01;
         return tx;
     }},
    {"high-S twin of a valid signature (malleability)", "bad-txns-bad-signature",
     [](TestChain& c) {
         Transaction tx = baseline(c);
         tx.inputs[0].signature = flip_s(tx.inputs[0].signature);
         return tx;
     }},
    {"signatures swapped between two inputs", "bad-txns-bad-signature",
     [](TestChain& c) {
         Transaction tx = signed_tx({c.faucet_output(0), c.faucet_output(1)},
                                    {TxOut{199 * kCoin, owner_of(key(3))}}, c.faucet);
         std::swap(tx.inputs[0].signature, tx.inputs[1].signature);
         return tx;
     }},
    {"output changed after signing", "bad-txns-bad-signature",
     [](TestChain& c) {
         Transaction tx = baseline(c);
         tx.outputs[0].owner = owner_of(key(4));
         return tx;
     }},
    {"public key that is not a curve point", "bad-txns-bad-signature",
     [](TestChain& c) {
         PubKeyBytes junk{};
         junk[0] = 0x02;  // x = 0 is not on secp256k1
         const Spend s{OutPoint{sha256d(Bytes{4}), 0}, TxOut{kCoin, hash160(junk)}};
         c.coins.add_coin(s.outpoint, Coin{s.out, 0, false});
         Transaction tx = signed_tx({s}, {TxOut{kCoin / 2, owner_of(key(3))}}, c.faucet);
         tx.inputs[0].pubkey = junk;
         return tx;
     }},
    {"outputs above inputs", "bad-txns-in-belowout",
     [](TestChain& c) {
         return signed_tx({c.faucet_output(0)}, {TxOut{100 * kCoin + 1, owner_of(key(3))}},
                          c.faucet);
     }},
    {"too large for any block", "bad-txns-oversize",
     [](TestChain& c) {
         c.params.max_block_size = 1000;
         std::vector<TxOut> outs(40, TxOut{kCoin, owner_of(key(3))});
         return signed_tx({c.faucet_output(0)}, outs, c.faucet);
     }},
};

}  // namespace

TEST_SUITE("tx_rules") {
    TEST_CASE("the baseline transaction is valid and pays a fee of 1 coin") {
        TestChain chain;
        const Transaction tx = baseline(chain);
        REQUIRE(check_transaction(tx).ok());
        auto fee = check_tx_inputs(tx, chain.coins, 1, chain.params);
        REQUIRE(fee.ok());
        CHECK(*fee == kCoin);
    }

    TEST_CASE("each invalid transaction is refused with its own code") {
        CHECK(std::size(kCases) >= 20);
        for (const Case& c : kCases) {
            const std::string name = c.name;
            CAPTURE(name);
            TestChain chain;
            const Transaction tx = c.build(chain);
            CHECK(refusal(tx, chain) == std::string(c.code));
        }
    }

    TEST_CASE("refusal messages name the transaction and the values") {
        TestChain chain;
        Transaction tx = signed_tx({chain.faucet_output(0)}, {TxOut{101 * kCoin, owner_of(key(3))}},
                                   chain.faucet);
        auto fee = check_tx_inputs(tx, chain.coins, 1, chain.params);
        REQUIRE_FALSE(fee.ok());
        const std::string& message = fee.error().message;
        CHECK(message.find(compute_txid(tx).hex()) != std::string::npos);
        CHECK(message.find("100") != std::string::npos);
        CHECK(message.find("101") != std::string::npos);
    }

    TEST_CASE("check_tx_inputs does not modify the view") {
        TestChain chain;
        const MapCoinView before = chain.coins;
        (void)check_tx_inputs(baseline(chain), chain.coins, 1, chain.params);
        CHECK(chain.coins == before);
    }

    TEST_CASE("coinbase maturity: spendable exactly at maturity, not one block before") {
        TestChain chain;  // maturity 3
        const Spend cb{OutPoint{sha256d(Bytes{9}), 0}, TxOut{10 * kCoin, owner_of(chain.faucet)}};
        chain.coins.add_coin(cb.outpoint, Coin{cb.out, 5, true});
        const Transaction tx = signed_tx({cb}, {TxOut{9 * kCoin, owner_of(key(3))}}, chain.faucet);
        CHECK(check_tx_inputs(tx, chain.coins, 8, chain.params).ok());
        CHECK(check_tx_inputs(tx, chain.coins, 7, chain.params).error().code() ==
              "bad-txns-premature-spend-of-coinbase");
        // A non-coinbase output of the same height is spendable at once.
        chain.coins.add_coin(cb.outpoint, Coin{cb.out, 5, false});
        CHECK(check_tx_inputs(tx, chain.coins, 5, chain.params).ok());
    }

    TEST_CASE("genesis faucet outputs are spendable at height 1") {
        TestChain chain;
        auto coin = chain.coins.get_coin(chain.faucet_output(3).outpoint);
        REQUIRE(coin);
        CHECK(coin->coinbase);
        CHECK(coin->height == 0);
        CHECK(check_tx_inputs(baseline(chain), chain.coins, 1, chain.params).ok());
    }

    TEST_CASE("a transaction spending everything pays zero fee, many inputs sum exactly") {
        TestChain chain;
        const Transaction all =
            signed_tx({chain.faucet_output(0), chain.faucet_output(1), chain.faucet_output(2)},
                      {TxOut{300 * kCoin, owner_of(key(3))}}, chain.faucet);
        auto fee = check_tx_inputs(all, chain.coins, 1, chain.params);
        REQUIRE(fee.ok());
        CHECK(*fee == 0);
    }

    TEST_CASE("amount boundaries: 1 unit and exactly 21M coins are valid outputs") {
        Transaction tx = coinbase_tx(1, {TxOut{1, Hash160{}}, TxOut{kMaxMoney - 1, Hash160{}}});
        CHECK(check_transaction(tx).ok());
        tx.outputs = {TxOut{kMaxMoney, Hash160{}}};
        CHECK(check_transaction(tx).ok());
        tx.outputs = {TxOut{std::numeric_limits<Amount>::max(), Hash160{}}};
        CHECK(check_transaction(tx).error().code() == "bad-txns-vout-toolarge");
    }

    // Issue 12: messages built (and the txid recomputed) per output made one such refusal take
    // 21 s, quadratic in the output count; every check is linear now (both refusals below take
    // about 11 ms in a Release build; the figure is printed, the time is not asserted: the
    // attack process test shows the miner keeps answering).
    TEST_CASE("a 20 000-output transaction with a missing input is refused") {
        TestChain chain;
        Spend ghost = chain.faucet_output(0);
        ghost.outpoint.index = 99999;
        std::vector<TxOut> outputs(20000, TxOut{kCoin / 1000, owner_of(key(3))});
        const Transaction tx = signed_tx({ghost}, outputs, chain.faucet);
        const auto start = std::chrono::steady_clock::now();
        CHECK(refusal(tx, chain) == "bad-txns-inputs-missingorspent");
        Transaction bad_last = tx;
        bad_last.outputs.back().amount = 0;
        CHECK(refusal(bad_last, chain) == "bad-txns-vout-notpositive");
        const auto took = std::chrono::steady_clock::now() - start;
        MESSAGE("two 20 000-output refusals took "
                << std::chrono::duration_cast<std::chrono::milliseconds>(took).count() << " ms");
    }
}

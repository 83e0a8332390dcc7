// Merkle roots against real Bitcoin data, and the CVE-2012-2459 mutation check.
#include <doctest/doctest.h>

#include <vector>

#include "common/consensus/merkle.hpp"

using namespace coinnet;

namespace {

Hash256 h(const char* hex) {
    return *Hash256::from_hex(hex);
}

// Distinct stand-in txids.
std::vector<Hash256> ids(int n) {
    std::vector<Hash256> out;
    for (int i = 0; i < n; ++i) {
        std::uint8_t b = static_cast<std::uint8_t>(i);
        out.push_back(sha256d(ByteSpan(&b, 1)));
    }
    return out;
}

}  // namespace

TEST_SUITE("merkle") {
    TEST_CASE("Bitcoin block 100000: four txids give its merkle root") {
        const std::vector<Hash256> txids = {
            h("8c14f0db3df150123e6f3dbbf30f8b955a8249b62ac1d1ff16284aefa3d06d87"),
            h("fff2525b8931402dd09222c50775608f75787bd2b87e56995a7bdd30f79702c4"),
            h("6359f0868171b1d194cbee1af2f16ea598ae8fad666d9b012c8ed2b79a236ec4"),
            h("e9a66845e05d5abc0ad04ec80f774a7e585c6e8db975962d069a522137b80c1d"),
        };
        bool mutated = true;
        CHECK(compute_merkle_root(txids, &mutated).hex() ==
              "f3e94742aca4b5ef85488dc37c06c3282295ffec960994b2c0d5ac2a25a95766");
        CHECK_FALSE(mutated);
    }

    TEST_CASE("Bitcoin genesis: one transaction's root is its txid") {
        const Hash256 coinbase =
            h("4a5e1e4baab89f3a32518a88c31bc87f618f76673e2cc77ab2127b7afdeda33b");
        bool mutated = true;
        CHECK(compute_merkle_root(std::vector<Hash256>{coinbase}, &mutated) == coinbase);
        CHECK_FALSE(mutated);
    }

    TEST_CASE("no transactions give the zero hash") {
        CHECK(compute_merkle_root(std::vector<Hash256>{}).is_zero());
    }

    TEST_CASE("CVE-2012-2459: duplicating the tail keeps the root but is flagged") {
        const auto t = ids(6);
        struct Case {
            const char* name;
            std::vector<Hash256> honest;
            std::vector<Hash256> mutated;
        };
        const Case cases[] = {
            {"[a,b,c] vs [a,b,c,c]", {t[0], t[1], t[2]}, {t[0], t[1], t[2], t[2]}},
            {"[a..e] vs [a..e,e]",
             {t[0], t[1], t[2], t[3], t[4]},
             {t[0], t[1], t[2], t[3], t[4], t[4]}},
            // A duplicated pair one level up: [a,b,c,d,e,f] + [e,f].
            {"[a..f] vs [a..f,e,f]",
             {t[0], t[1], t[2], t[3], t[4], t[5]},
             {t[0], t[1], t[2], t[3], t[4], t[5], t[4], t[5]}},
        };
        for (const Case& c : cases) {
            CAPTURE(c.name);
            bool honest_mutated = true, dup_mutated = false;
            const Hash256 honest = compute_merkle_root(c.honest, &honest_mutated);
            const Hash256 dup = compute_merkle_root(c.mutated, &dup_mutated);
            CHECK(honest == dup);  // the reason the check must exist
            CHECK_FALSE(honest_mutated);
            CHECK(dup_mutated);
        }
    }

    TEST_CASE("odd counts are not mutations, order and content change the root") {
        const auto t = ids(7);
        for (int n = 1; n <= 7; ++n) {
            CAPTURE(n);
            bool mutated = true;
            compute_merkle_root(std::span(t.data(), n), &mutated);
            CHECK_FALSE(mutated);
        }
        const std::vector<Hash256> ab = {t[0], t[1]}, ba = {t[1], t[0]};
        CHECK(compute_merkle_root(ab) != compute_merkle_root(ba));
        // Two equal txids side by side are flagged even at the leaves.
        bool mutated = false;
        compute_merkle_root(std::vector<Hash256>{t[0], t[0]}, &mutated);
        CHECK(mutated);
        // ... but not when they are not paired together.
        compute_merkle_root(std::vector<Hash256>{t[0], t[1], t[0]}, &mutated);
        CHECK_FALSE(mutated);
    }

    TEST_CASE("block_merkle_root hashes the block's txids in order") {
        Block block;
        for (std::uint32_t i = 0; i < 3; ++i) {
            Transaction tx;
            tx.inputs.push_back(TxIn{});
            tx.inputs[0].coinbase_height = i;
            tx.outputs.push_back(TxOut{kCoin, Hash160{}});
            block.txs.push_back(tx);
        }
        std::vector<Hash256> txids;
        for (const auto& tx : block.txs)
            txids.push_back(compute_txid(tx));
        bool mutated = true;
        CHECK(block_merkle_root(block, &mutated) == compute_merkle_root(txids));
        CHECK_FALSE(mutated);
    }
}

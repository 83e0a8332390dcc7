// The genesis block: deterministic, committing to every parameter; the parameter encoding;
// and Bitcoin's own genesis header as the header-hash vector.
#include <doctest/doctest.h>

#include <functional>
#include <set>
#include <string>

#include "tests/unit/support/consensus_fixtures.hpp"

using namespace coinnet;
using namespace coinnet::test;

TEST_SUITE("genesis") {
    TEST_CASE("Bitcoin's genesis header hashes to 000000000019d668...") {
        BlockHeader h;
        h.version = 1;
        h.merkle_root =
            *Hash256::from_hex("4a5e1e4baab89f3a32518a88c31bc87f618f76673e2cc77ab2127b7afdeda33b");
        h.time = 1231006505;
        h.bits = 0x1d00ffff;
        h.nonce = 2083236893;
        const Hash256 hash = block_hash(h);
        CHECK(hash.hex() == "000000000019d6689c085ae165831e934ff763ae46a2a6c172b3f1b60a8ce26f");
        ConsensusParams bitcoin;
        bitcoin.difficulty_bits = 32;
        CHECK(check_proof_of_work(hash, h.bits, bitcoin));
        h.nonce += 1;
        CHECK_FALSE(check_proof_of_work(block_hash(h), h.bits, bitcoin));
    }

    TEST_CASE("the genesis block has the documented shape") {
        const ConsensusParams p = test_params();
        const PrivateKey faucet = key(1);
        const Block g = make_genesis_block(p, faucet.public_key(), 1'700'000'000);
        CHECK(g.header.version == 1);
        CHECK(g.header.prev_hash.is_zero());
        CHECK(g.header.time == 1'700'000'000);
        CHECK(g.header.bits == compact_from_zero_bits(p.difficulty_bits));
        CHECK(g.header.nonce == 0);
        REQUIRE(g.txs.size() == 1);
        const Transaction& cb = g.txs[0];
        REQUIRE(cb.is_coinbase());
        CHECK(cb.inputs[0].coinbase_height == 0);
        const Hash256 commitment = sha256d(encode_params(p));
        std::uint64_t expected_nonce = 0;
        for (int i = 0; i < 8; ++i)
            expected_nonce |= std::uint64_t{commitment.bytes[i]} << (8 * i);
        CHECK(cb.inputs[0].coinbase_extra_nonce == expected_nonce);
        REQUIRE(cb.outputs.size() == p.faucet_grants);
        for (const TxOut& out : cb.outputs) {
            CHECK(out.amount == kFaucetGrantAmount);
            CHECK(out.owner == hash160(faucet.public_key()));
        }
        bool mutated = true;
        CHECK(g.header.merkle_root == block_merkle_root(g, &mutated));
        CHECK_FALSE(mutated);
        CHECK(check_transaction(cb).ok());
    }

    TEST_CASE("deterministic: the same inputs give the same bytes") {
        const ConsensusParams p;  // defaults: 1000 grants
        const PubKeyBytes pk = key(7).public_key();
        const Bytes a = encode_block(make_genesis_block(p, pk, 1'700'000'000));
        const Bytes b = encode_block(make_genesis_block(p, pk, 1'700'000'000));
        CHECK(a == b);
        CHECK(decode_block(a).ok());
    }

    TEST_CASE("every parameter, the faucet key and the time change the genesis hash") {
        using Mutator = std::function<void(ConsensusParams&)>;
        const std::pair<const char*, Mutator> mutators[] = {
            {"network_name", [](ConsensusParams& p) { p.network_name += "x"; }},
            {"difficulty_bits", [](ConsensusParams& p) { ++p.difficulty_bits; }},
            {"retarget_interval", [](ConsensusParams& p) { ++p.retarget_interval; }},
            {"target_spacing", [](ConsensusParams& p) { ++p.target_spacing; }},
            {"block_reward", [](ConsensusParams& p) { ++p.block_reward; }},
            {"coinbase_maturity", [](ConsensusParams& p) { ++p.coinbase_maturity; }},
            {"faucet_grants", [](ConsensusParams& p) { ++p.faucet_grants; }},
            {"max_block_size", [](ConsensusParams& p) { ++p.max_block_size; }},
            {"max_block_txs", [](ConsensusParams& p) { ++p.max_block_txs; }},
            {"max_future_block_time", [](ConsensusParams& p) { ++p.max_future_block_time; }},
            {"median_time_span", [](ConsensusParams& p) { ++p.median_time_span; }},
        };
        const ConsensusParams base = test_params();
        const PubKeyBytes pk = key(1).public_key();
        const Hash256 base_hash = block_hash(make_genesis_block(base, pk, 1'700'000'000).header);
        std::set<Hash256> seen{base_hash};
        for (const auto& [name, mutate] : mutators) {
            CAPTURE(name);
            ConsensusParams p = base;
            mutate(p);
            REQUIRE(p != base);
            const Hash256 h = block_hash(make_genesis_block(p, pk, 1'700'000'000).header);
            CHECK(seen.insert(h).second);
        }
        CHECK(seen.insert(block_hash(
                              make_genesis_block(base, key(2).public_key(), 1'700'000'000).header))
                  .second);
        CHECK(seen.insert(block_hash(make_genesis_block(base, pk, 1'700'000'001).header)).second);
    }

    TEST_CASE("parameters round-trip through their canonical bytes") {
        ConsensusParams p = test_params();
        p.retarget_interval = 2016;
        p.max_future_block_time = 7200;
        const Bytes bytes = encode_params(p);
        CHECK(bytes[0] == kParamsEncodingVersion);
        auto back = decode_params(bytes);
        REQUIRE(back.ok());
        CHECK(*back == p);
        CHECK(encode_params(*back) == bytes);
    }

    TEST_CASE("damaged parameter bytes are refused") {
        const Bytes good = encode_params(test_params());
        Bytes trailing = good;
        trailing.push_back(0);
        Bytes truncated(good.begin(), good.end() - 1);
        Bytes other_version = good;
        other_version[0] = 2;
        ConsensusParams long_name = test_params();
        long_name.network_name = std::string(65, 'n');
        for (const Bytes& bad :
             {trailing, truncated, other_version, Bytes{}, encode_params(long_name)}) {
            auto r = decode_params(bad);
            REQUIRE_FALSE(r.ok());
            CHECK(r.error().code() == "bad-params-encoding");
        }
    }

    TEST_CASE("connect_genesis adds every faucet output as a height-0 coinbase coin") {
        TestChain chain;
        const Hash256 txid = compute_txid(chain.genesis.txs[0]);
        for (std::uint32_t i = 0; i < chain.params.faucet_grants; ++i) {
            auto coin = chain.coins.get_coin(OutPoint{txid, i});
            REQUIRE(coin);
            CHECK(*coin == Coin{chain.genesis.txs[0]->outputs[i], 0, true});
        }
        CHECK(chain.coins.size() == chain.params.faucet_grants);
    }
}

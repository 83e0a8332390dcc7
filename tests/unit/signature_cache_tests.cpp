// The signature cache (issue 15): a signature verified when its transaction entered the
// mempool is not verified again when its block connects, a signature the cache has not seen
// is still verified (and a bad one refused), and the cache stays within its bound.
#include <doctest/doctest.h>

#include <random>

#include "common/chain/caching_verifier.hpp"
#include "common/mempool/mempool.hpp"
#include "tests/unit/chain_fixture.hpp"

using namespace coinnet;
using namespace coinnet::test;

namespace {

SignatureCache::Salt salt_of(std::uint8_t b) {
    SignatureCache::Salt s;
    s.fill(b);
    return s;
}

SignatureCheck check_of(std::uint32_t n) {
    SignatureCheck c;
    c.digest = sha256(ByteSpan(reinterpret_cast<const std::uint8_t*>(&n), sizeof n));
    return c;
}

Amount fees_of(const Block& block, const ConsensusParams& params) {
    return block.txs[0]->outputs[0].amount - params.block_reward;
}

}  // namespace

TEST_SUITE("signature cache") {
    TEST_CASE("keys depend on the salt and on every part of the check") {
        SignatureCache a(salt_of(1)), b(salt_of(2));
        SignatureCheck c = check_of(7);
        CHECK(a.key(c) == a.key(c));
        CHECK(a.key(c) != b.key(c));
        SignatureCheck other_key = c, other_sig = c;
        other_key.pubkey[5] ^= 1;
        other_sig.signature[60] ^= 1;
        CHECK(a.key(other_key) != a.key(c));
        CHECK(a.key(other_sig) != a.key(c));
        CHECK(a.key(check_of(8)) != a.key(c));
    }

    TEST_CASE("bounded: a full cache evicts one entry per insertion") {
        SignatureCache cache(salt_of(3), 100);
        std::vector<Hash256> keys;
        for (std::uint32_t i = 0; i < 1000; ++i) {
            keys.push_back(cache.key(check_of(i)));
            cache.insert(keys.back());
            CHECK(cache.size() == std::min<std::size_t>(i + 1, 100));
            CHECK(cache.contains(keys.back()));
        }
        std::size_t kept = 0;
        for (const Hash256& k : keys)
            kept += cache.contains(k);
        CHECK(kept == 100);
        // Inserting a key already there changes nothing; erasing makes room.
        cache.insert(keys.back());
        CHECK(cache.size() == 100);
        CHECK(cache.erase(keys.back()));
        CHECK_FALSE(cache.erase(keys.back()));
        CHECK(cache.size() == 99);
    }

    TEST_CASE("a block of mempool transactions connects with zero verifications") {
        TestNet net;
        auto chain = open_chain(net, fresh_dir("sigcache"));
        SignatureCache cache(SignatureCache::random_salt());
        CachingVerifier at_entry(cache, CachingVerifier::CacheUse::kStore);
        CachingVerifier at_connect(cache, CachingVerifier::CacheUse::kConsume);
        chain->set_signature_verifier(&at_connect);
        BranchBuilder builder(net);
        std::mt19937_64 rng(15);

        Block block = builder.next(rng, 10);
        REQUIRE(block.txs.size() == 11);
        Mempool mempool;
        for (std::size_t i = 1; i < block.txs.size(); ++i)
            REQUIRE(
                mempool.accept(block.txs[i], chain->coins(), 1, net.params, net.now(), &at_entry)
                    .ok());
        CHECK(at_entry.verifications() == 10);
        CHECK(cache.size() == 10);

        auto outcome = chain->accept_block(block);
        REQUIRE(outcome.ok());
        CHECK(outcome->kind == AcceptKind::kNewTip);
        CHECK(at_connect.verifications() == 0);
        CHECK(at_connect.cache_hits() == 10);
        CHECK(cache.size() == 0);  // consumed: they will not be asked about again

        // The next block: two of its transactions were seen at entry, the third carries a
        // signature the cache has never seen (another input's: well-formed, wrong message).
        mempool.remove_for_block(block.txs);
        BranchBuilder fork = builder;
        Block good = fork.next(rng, 3);
        REQUIRE(good.txs.size() == 4);
        std::vector<Transaction> txs(good.txs.begin() + 1, good.txs.end());
        for (std::size_t i = 1; i < txs.size(); ++i)
            REQUIRE(
                mempool.accept(txs[i], chain->coins(), 2, net.params, net.now(), &at_entry).ok());
        txs[0].inputs[0].signature = txs[1].inputs[0].signature;
        // (Another coinbase extra nonce: the txids, hence the header, do not cover signatures.)
        Block bad = builder.assemble(txs, fees_of(good, net.params), 1);
        outcome = chain->accept_block(bad);
        REQUIRE(outcome.ok());
        CHECK(outcome->kind == AcceptKind::kInvalid);
        REQUIRE(outcome->error);
        CHECK(outcome->error->code() == "bad-txns-bad-signature");
        CHECK(outcome->error->message.find("transaction 1: input 0 of") == 0);
        CHECK(at_connect.verifications() == 1);  // only the one not in the cache
        CHECK(cache.size() == 2);                // a refused block consumes nothing

        // The honest block with the same two cached transactions still connects.
        outcome = chain->accept_block(good);
        REQUIRE(outcome.ok());
        CHECK_MESSAGE(outcome->kind == AcceptKind::kNewTip,
                      (outcome->error ? outcome->error->message : ""));
        CHECK(at_connect.verifications() == 2);  // the first transaction, now its own signature
    }
}

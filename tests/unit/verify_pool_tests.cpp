// The signature worker pool (issue 15): std::jthread workers that only verify. Answers come
// back in the batch's order whatever thread verified them, blocking and asynchronous batches
// mix, and a block's first bad signature is the same with or without the pool. Built into the
// ThreadSanitizer suite (its source names VerifyPool).
#include <doctest/doctest.h>

#include <atomic>
#include <future>
#include <random>

#include "common/chain/caching_verifier.hpp"
#include "common/chain/verify_pool.hpp"
#include "common/consensus/coin_map.hpp"
#include "tests/unit/chain_fixture.hpp"
#include "tests/unit/support/edit_tx.hpp"

using namespace coinnet;
using namespace coinnet::test;

namespace {

// `n` checks signed by rotating keys; every check whose index is in `bad` has a wrong digest.
std::vector<SignatureCheck> make_checks(std::size_t n, const std::set<std::size_t>& bad) {
    std::vector<SignatureCheck> checks;
    for (std::size_t i = 0; i < n; ++i) {
        PrivateKey k = key_from_seed(static_cast<std::uint32_t>(i % 5));
        SignatureCheck c;
        c.pubkey = k.public_key();
        c.digest = sha256(ByteSpan(reinterpret_cast<const std::uint8_t*>(&i), sizeof i));
        c.signature = k.sign(c.digest);
        if (bad.count(i))
            c.digest.bytes[0] ^= 1;
        checks.push_back(c);
    }
    return checks;
}

}  // namespace

TEST_SUITE("verify pool") {
    TEST_CASE("answers in order, from every worker") {
        VerifyPool pool(3);
        CHECK(pool.threads() == 3);
        std::set<std::size_t> bad = {0, 17, 63, 99};
        auto checks = make_checks(100, bad);
        VerifyPool::Results ok = pool.verify(checks);
        REQUIRE(ok.size() == 100);
        for (std::size_t i = 0; i < ok.size(); ++i) {
            CAPTURE(i);
            CHECK((ok[i] == 0) == (bad.count(i) == 1));
        }
        CHECK(pool.verify({}).empty());
        CHECK(VerifyPool().threads() >= 1);  // one per hardware thread
    }

    TEST_CASE("asynchronous batches complete once each, alongside blocking ones") {
        VerifyPool pool(2);
        std::atomic<int> calls{0};
        std::vector<std::promise<VerifyPool::Results>> promises(8);
        for (std::size_t b = 0; b < promises.size(); ++b)
            pool.verify_async(make_checks(10 + b, {b}), [&, b](VerifyPool::Results r) {
                calls.fetch_add(1);
                promises[b].set_value(std::move(r));
            });
        // A blocking batch from another thread at the same time.
        std::jthread other([&] { CHECK(pool.verify(make_checks(40, {39})).at(39) == 0); });
        for (std::size_t b = 0; b < promises.size(); ++b) {
            VerifyPool::Results r = promises[b].get_future().get();
            REQUIRE(r.size() == 10 + b);
            for (std::size_t i = 0; i < r.size(); ++i)
                CHECK((r[i] == 0) == (i == b));
        }
        other.join();
        CHECK(calls.load() == 8);
        bool empty_called = false;
        pool.verify_async({}, [&](VerifyPool::Results r) { empty_called = r.empty(); });
        CHECK(empty_called);
    }

    TEST_CASE("the pool's destructor finishes queued batches first") {
        std::atomic<int> calls{0};
        {
            VerifyPool pool(1);
            for (int b = 0; b < 5; ++b)
                pool.verify_async(make_checks(20, {}), [&](VerifyPool::Results) { ++calls; });
        }
        CHECK(calls.load() == 5);
    }

    TEST_CASE("a block's signatures on the pool: same verdict, same first failure") {
        TestNet net(2, 60);
        BranchBuilder builder(net);
        std::mt19937_64 rng(4);
        Block block = builder.next(rng, 50);
        REQUIRE(block.txs.size() == 51);
        VerifyPool pool(2);
        SignatureCache cache(SignatureCache::random_salt());
        auto connect = [&](const Block& b, SignatureVerifier* v) {
            MapCoinView coins;
            connect_genesis(net.genesis, coins);
            return connect_block(b, 1, coins, net.params, v);
        };
        CachingVerifier parallel(cache, CachingVerifier::CacheUse::kConsume, &pool);
        CHECK(connect(block, &parallel).ok());
        CHECK(parallel.verifications() == 50);

        // Two bad signatures, at transactions 20 and 40: the pool reports the first, as the
        // inline path does.
        Block bad = block;
        edit_tx(bad, 20,
                [&](Transaction& t) { t.inputs[0].signature = bad.txs[21]->inputs[0].signature; });
        edit_tx(bad, 40,
                [&](Transaction& t) { t.inputs[0].signature = bad.txs[41]->inputs[0].signature; });
        auto inline_verdict = connect(bad, nullptr);
        auto pool_verdict = connect(bad, &parallel);
        REQUIRE_FALSE(inline_verdict.ok());
        REQUIRE_FALSE(pool_verdict.ok());
        CHECK(pool_verdict.error().code() == "bad-txns-bad-signature");
        CHECK(pool_verdict.error().message == inline_verdict.error().message);
        CHECK(pool_verdict.error().message.find("transaction 20: ") == 0);
    }
}

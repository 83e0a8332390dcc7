// --hashrate-limit (SPEC §10): the token bucket with an injected clock, and the mining
// workers held to it in real time.
#include <doctest/doctest.h>

#include <chrono>
#include <memory>
#include <thread>

#include "common/mining/target.hpp"
#include "miner/hashrate_limit.hpp"
#include "miner/mining_workers.hpp"

using namespace coinnet;
using namespace coinnet::miner;
using namespace std::chrono_literals;

namespace {

struct FakeClock {
    std::chrono::steady_clock::time_point now{std::chrono::steady_clock::duration(1'000'000'000)};
    HashrateLimiter::Clock clock() {
        return [this] { return now; };
    }
};

// A template no hash meets: the workers hash until told otherwise.
std::shared_ptr<const BlockTemplate> impossible_template() {
    auto work = std::make_shared<BlockTemplate>();
    work->block.header.time = 1'700'000'000;
    work->block.header.bits = 0x1d00ffff;
    Transaction coinbase;
    coinbase.outputs.push_back(TxOut{50, Hash160{}});
    work->block.txs.push_back(coinbase);
    work->height = 1;
    work->target = Target{};
    work->max_time = std::int64_t{1'700'000'000} + 600;
    return work;
}

}  // namespace

TEST_SUITE("hashrate limit") {
    TEST_CASE("reservations are spaced n / H apart and idle time earns no credit") {
        FakeClock t;
        HashrateLimiter limit(1000, t.clock());  // 1000 H/s: 100 hashes cost 100 ms
        CHECK(limit.reserve(100) == 0ns);
        CHECK(limit.reserve(100) == 100ms);  // must wait for the first batch's time
        CHECK(limit.reserve(100) == 200ms);
        t.now += 300ms;
        CHECK(limit.reserve(100) == 0ns);
        t.now += 10s;  // idle: the next batch may go at once, but only one
        CHECK(limit.reserve(100) == 0ns);
        CHECK(limit.reserve(100) == 100ms);
    }

    TEST_CASE("a refund gives back what was reserved and not hashed") {
        FakeClock t;
        HashrateLimiter limit(1000, t.clock());
        CHECK(limit.reserve(500) == 0ns);
        CHECK(limit.reserve(500) == 500ms);
        limit.refund(500);
        CHECK(limit.reserve(500) == 500ms);
    }

    TEST_CASE("batches are about 10 ms of the allowed rate") {
        CHECK(HashrateLimiter(100'000).batch(16384) == 1000);
        CHECK(HashrateLimiter(50).batch(16384) == 1);
        CHECK(HashrateLimiter(1e12).batch(16384) == 16384);
    }

    TEST_CASE("mining workers never exceed the limit, whatever the thread count") {
        constexpr double kRate = 20'000;
        MiningWorkersOptions options;
        options.limiter = std::make_shared<HashrateLimiter>(kRate);
        MiningWorkers workers(
            2, [](Block, std::uint64_t) {}, options);
        const auto start = std::chrono::steady_clock::now();
        workers.set_work(impossible_template());
        std::this_thread::sleep_for(500ms);
        workers.set_work(nullptr);
        REQUIRE(workers.wait_idle(5s));
        const double seconds =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        const auto hashes = static_cast<double>(workers.total_hashes());
        // Unlimited, two threads do millions in this time. At most one batch per thread
        // beyond the allowed count (reserved at the last moment); the lower bound is loose
        // because a busy machine wakes sleeping threads late.
        CHECK(hashes <= kRate * seconds + 2 * options.limiter->batch(16384));
        CHECK(hashes >= 0.5 * kRate * 0.5);
    }
}

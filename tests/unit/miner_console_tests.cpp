// The miner's console words (issue 13): hash rate over the last minute of mining, each
// block's own effort, difficulty in words, why no block comes, how late a block arrived.
#include <doctest/doctest.h>

#include "common/consensus/pow.hpp"
#include "miner/console_text.hpp"
#include "miner/hashrate_meter.hpp"
#include "miner/mining_wait.hpp"

using namespace coinnet;
using namespace coinnet::miner;
using namespace std::chrono_literals;

TEST_SUITE("miner console") {
    TEST_CASE("the hash rate counts every interval of mining, however short the blocks") {
        HashrateMeter meter;
        SteadyTime t0{};
        CHECK(meter.rate() == 0);
        // Blocks of 20 ms each, 10 000 hashes each: a 1-second sample could fall between
        // two of them and read 0; the meter sums the intervals.
        std::uint64_t hashes = 0;
        meter.sample(t0, hashes, true);
        for (int i = 1; i <= 50; ++i) {
            hashes += 10'000;
            meter.sample(t0 + i * 20ms, hashes, true);
        }
        CHECK(meter.rate() == doctest::Approx(500'000.0));
    }

    TEST_CASE("time spent waiting for transactions does not dilute the rate") {
        HashrateMeter meter;
        SteadyTime t0{};
        meter.sample(t0, 0, true);
        meter.sample(t0 + 2s, 2'000, false);  // 2 s of mining at 1 kH/s, then idle
        meter.sample(t0 + 60s, 2'000, true);  // 58 s idle
        meter.sample(t0 + 62s, 6'000, true);  // 2 s at 2 kH/s
        CHECK(meter.rate() == doctest::Approx(1'500.0));
    }

    TEST_CASE("hashes counted just after the mining stopped belong to it") {
        HashrateMeter meter;
        SteadyTime t0{};
        meter.sample(t0, 0, true);
        meter.sample(t0 + 20ms, 0, false);     // solved before any chunk was counted
        meter.sample(t0 + 1s, 16'384, false);  // the chunk lands after the solution
        meter.sample(t0 + 2s, 16'384, false);
        CHECK(meter.rate() == doctest::Approx(16'384 / 0.020));
    }

    TEST_CASE("only the last minute of mining counts") {
        HashrateMeter meter(60s);
        SteadyTime t0{};
        meter.sample(t0, 0, true);
        meter.sample(t0 + 60s, 60'000, true);             // a minute at 1 kH/s
        meter.sample(t0 + 120s, 60'000 + 600'000, true);  // a minute at 10 kH/s
        CHECK(meter.rate() == doctest::Approx(10'000.0));
    }

    TEST_CASE("a block's effort is the hashes and time since its height was first mined") {
        BlockStopwatch watch;
        SteadyTime t0{};
        watch.start(t0 + 1s, 5'000);
        BlockEffort e = watch.stop(t0 + 3s, 45'000);
        CHECK(e.hashes == 40'000);
        CHECK(e.seconds == doctest::Approx(2.0));
        CHECK(e.rate() == doctest::Approx(20'000.0));
        CHECK(BlockEffort{}.rate() == 0);
        // Solved before the workers counted a chunk: the nonce shows what was tried.
        CHECK(watch.stop(t0 + 2s, 5'000, nonces_tried(340, 1)).hashes == 341);
        CHECK(nonces_tried((1u << 31) + 99, 2) == 200);
        CHECK(watch.stop(t0 + 2s, 45'000, nonces_tried(340, 1)).hashes == 40'000);
    }

    TEST_CASE("difficulty in words") {
        CHECK(difficulty_text(compact_from_zero_bits(24)) == "24 bits · ~16.8 M hashes per block");
        CHECK(difficulty_text(compact_from_zero_bits(8)) == "8 bits · ~256 hashes per block");
        CHECK(target_zero_bits(compact_from_zero_bits(32)) == 32);
        CHECK(target_zero_bits(0) == 0);
        CHECK(rate_text(812) == "812 H/s");
        CHECK(rate_text(35'200) == "35.2 kH/s");
        CHECK(rate_text(4'100'000) == "4.1 MH/s");
        CHECK(count_text(16'384) == "16.4 k");
        CHECK(bytes_text(812) == "812 B");
        CHECK(bytes_text(16'384) == "16.4 kB");
        CHECK(bytes_text(4'200'000) == "4.2 MB");
    }

    TEST_CASE("why no block is being mined") {
        MiningGate readme{4, 30, false};
        CHECK(waiting_reason(readme, {3, 20}, false) == "3/4 txs or 30 s (oldest 20 s)");
        CHECK(waiting_reason(readme, {0, std::nullopt}, false) == "0/4 txs or 30 s");
        CHECK(waiting_reason(readme, {3, 20}, true) == "");
        CHECK(waiting_reason({4, 0, false}, {3, 20}, false) == "3/4 txs");
        CHECK(waiting_reason({0, 30, false}, {0, std::nullopt}, false) == "");
        CHECK(waiting_reason({4, 30, true}, {9, 99}, false) == "relay only (--no-mine)");
    }

    TEST_CASE("how long after it was mined a block arrived") {
        CHECK(arrival_text(1000, 1002) == "arrived 2 s after it was mined");
        CHECK(arrival_text(1000, 1000) == "arrived in the second it was mined");
        CHECK(arrival_text(1005, 1000) == "timestamped 5 s ahead of our clock");
    }

    TEST_CASE("who sent a transaction") {
        wire::Hello h;
        h.set_name("bootstrap");
        h.set_role(wire::ROLE_BOOTSTRAP);
        CHECK(source_label(h) == "the bootstrap's faucet");
        h.set_role(wire::ROLE_WALLET);
        h.set_name("Adam");
        CHECK(source_label(h) == "wallet Adam");
        h.set_role(wire::ROLE_MINER);
        CHECK(source_label(h) == "miner Adam");
    }
}

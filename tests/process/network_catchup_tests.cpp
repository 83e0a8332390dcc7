// Miners that were away catching up (SPEC §3, §7, issue 6): a mining miner killed with
// SIGKILL at seeded random moments keeps what it had committed and catches up each time, and a
// miner started late downloads a chain of a few thousand blocks, showing its progress.
#include <doctest/doctest.h>

#include <csignal>
#include <random>

#include "tests/process/network_fixture.hpp"

using namespace coinnet;
using namespace coinnet::test;

TEST_SUITE("network process") {
    TEST_CASE("kill -9 a mining miner at random moments: it keeps its chain and catches up") {
        TempDir dir("net-kill");
        int bport = free_port();
        // About a block every 50-100 ms per mining thread: the victim is usually mid-write.
        auto boot =
            start_bootstrap(dir, bport, {"--difficulty-bits", "21", "--heartbeat-interval", "1"});
        NetworkInfo info = fetch_network(bport);
        const Hash256& network = info.genesis_hash;
        int p1 = free_port(), p2 = free_port(), p3 = free_port();
        std::vector<std::string> mine = {"--min-txs", "0", "--threads", "1"};
        auto victim = start_miner(dir, "Victim", p1, bport, mine);
        auto other = start_miner(dir, "Other", p2, bport, mine);
        auto watcher = start_miner(dir, "Watcher", p3, bport, {"--no-mine"});

        std::mt19937 rng(20240611);
        std::uniform_int_distribution<int> delay_ms(200, 1500);
        for (int round = 0; round < 4; ++round) {
            CAPTURE(round);
            // Killed while it mines: after its first block of this run, at a random moment.
            REQUIRE(victim->wait_for("MINED", 30s));
            std::this_thread::sleep_for(std::chrono::milliseconds(delay_ms(rng)));
            std::uint32_t committed = height_of(p1, network);
            CHECK(victim->stop(SIGKILL, 5s) == 128 + SIGKILL);
            victim = start_miner(dir, "Victim", p1, bport, mine);
            // Everything it had reported (so committed) is still there...
            auto restarted_at = start_height(*victim);
            REQUIRE(restarted_at);
            CHECK(*restarted_at >= committed);
            // ...and it catches up with what the other miner did meanwhile.
            std::uint32_t target = height_of(p2, network);
            CHECK(eventually([&] { return height_of(p1, network) >= target; }));
        }
        // Last kill; back without mining. Once the other miner stops too, the victim and the
        // watcher must hold the very same chain.
        CHECK(victim->stop(SIGKILL, 5s) == 128 + SIGKILL);
        victim = start_miner(dir, "Victim", p1, bport, {"--no-mine"});
        // On the other's chain, not only as high: a block the victim mined just before the kill
        // may stand at the other's height, with equal work, until the other mines on.
        std::uint32_t target = height_of(p2, network);
        CHECK(eventually([&] {
            auto v = status_of_miner(p1, network), o = status_of_miner(p2, network);
            return v && o && v->height() >= target && tip_hex(*v) == tip_hex(*o);
        }));
        CHECK(other->stop() == 0);
        std::optional<std::vector<Hash256>> chain;
        CHECK(eventually([&] {
            auto a = status_of_miner(p1, network), b = status_of_miner(p3, network);
            return a && b && tip_hex(*a) == tip_hex(*b);
        }));
        chain = active_chain(p1, network);
        REQUIRE(chain);
        CHECK(chain->size() > target);
        CHECK(chain == active_chain(p3, network));
        CHECK(victim->output().find("storage") == std::string::npos);
    }

    TEST_CASE("a miner started late catches up a long chain and shows its progress") {
        TempDir dir("net-late");
        int bport = free_port();
        // The easiest target: the chain grows as fast as blocks can be stored.
        auto boot =
            start_bootstrap(dir, bport, {"--difficulty-bits", "1", "--heartbeat-interval", "1"});
        NetworkInfo info = fetch_network(bport);
        const Hash256& network = info.genesis_hash;
        int p1 = free_port(), p2 = free_port();
        constexpr std::uint32_t kLength = 2000;
        auto source = start_miner(dir, "Source", p1, bport, {"--min-txs", "0", "--threads", "1"});
        REQUIRE(eventually([&] { return height_of(p1, network) >= kLength; }, 60s));
        REQUIRE(source->stop() == 0);
        source = start_miner(dir, "Source", p1, bport, {"--no-mine"});
        auto source_status = status_of_miner(p1, network);
        REQUIRE(source_status);
        std::uint32_t length = source_status->height();
        CHECK(length >= kLength);

        auto started = std::chrono::steady_clock::now();
        auto late = start_miner(dir, "Late", p2, bport, {"--no-mine"});
        CHECK(eventually(
            [&] {
                auto s = status_of_miner(p2, network);
                return s && tip_hex(*s) == tip_hex(*source_status);
            },
            60s));
        MESSAGE("caught up "
                << length << " blocks in "
                << std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count()
                << " s");
        CHECK(late->wait_for("syncing ", 5s));
        CHECK(late->wait_for("/" + std::to_string(length) + " blocks", 5s));
        CHECK(late->wait_for("synced to height " + std::to_string(length), 5s));
        CHECK(active_chain(p2, network) == active_chain(p1, network));
    }
}

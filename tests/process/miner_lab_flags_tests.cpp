// The lab's miner flags on real processes (SPEC §10, issue 17): a --private miner announces
// nothing it mines until `miner --release` (or --private-blocks N), then its chain is taken.
#include <doctest/doctest.h>

#include "tests/process/network_fixture.hpp"

using namespace coinnet;
using namespace coinnet::test;

namespace {

// Both miners on one bootstrap: P mines fast on one thread, W only watches.
const std::vector<std::string> kMine = {"--min-txs",        "0",   "--threads", "1",
                                        "--hashrate-limit", "2000"};

}  // namespace

TEST_SUITE("lab flags process") {
    TEST_CASE("--private withholds every block until miner --release, then peers take them") {
        TempDir dir("lab-private");
        int boot = free_port(), p = free_port(), w = free_port();
        auto bootstrap = start_bootstrap(dir, boot, {"--difficulty-bits", "8"});
        Hash256 network = network_id_of(boot);
        auto watcher = start_miner(dir, "W", w, boot, {"--no-mine"});
        std::vector<std::string> flags = kMine;
        flags.push_back("--private");
        auto private_miner = start_miner(dir, "P", p, boot, flags);
        REQUIRE(eventually([&] {
            auto s = status_of_miner(w, network);
            return s && s->peers_size() == 1;
        }));
        REQUIRE(eventually([&] { return height_of(p, network) >= 4; }));
        CHECK(height_of(w, network) == 0);  // connected, yet told nothing

        // The control, as `miner --release` sends it: a local tool session.
        auto client = try_connect(p, network);
        REQUIRE(client);
        auto reply = client->call(net::make_envelope(wire::ReleasePrivate{}), 10s);
        REQUIRE(reply);
        REQUIRE(reply->has_released());
        CHECK(reply->released().was_private());
        const std::uint32_t released = reply->released().blocks();
        CHECK(released >= 4);
        REQUIRE(eventually([&] { return height_of(w, network) >= released; }));

        // Not private (any more): nothing to release.
        auto again = client->call(net::make_envelope(wire::ReleasePrivate{}), 10s);
        REQUIRE(again);
        CHECK(again->released().blocks() == 0);
    }

    TEST_CASE("--private takes no public block, announced or compact, until it is released") {
        TempDir dir("lab-private-ignores");
        int boot = free_port(), p = free_port(), h = free_port();
        auto bootstrap = start_bootstrap(dir, boot, {"--difficulty-bits", "8"});
        Hash256 network = network_id_of(boot);
        auto private_miner = start_miner(dir, "P", p, boot, {"--no-mine", "--private"});
        auto honest = start_miner(dir, "H", h, boot, kMine);
        REQUIRE(eventually([&] {
            auto s = status_of_miner(p, network);
            return s && s->peers_size() == 1;
        }));
        // H's new tips go to P as compact blocks once they are connected, the earlier ones by
        // catch-up: a private miner takes neither.
        const std::uint32_t mined = height_of(h, network) + 3;
        REQUIRE(eventually([&] { return height_of(h, network) >= mined; }));
        CHECK(height_of(p, network) == 0);
        auto client = try_connect(p, network);
        REQUIRE(client);
        REQUIRE(client->call(net::make_envelope(wire::ReleasePrivate{}), 10s));
        CHECK(eventually([&] { return height_of(p, network) >= mined; }));
    }

    TEST_CASE("--private-blocks N releases by itself after N blocks") {
        TempDir dir("lab-private-blocks");
        int boot = free_port(), p = free_port(), w = free_port();
        auto bootstrap = start_bootstrap(dir, boot, {"--difficulty-bits", "8"});
        Hash256 network = network_id_of(boot);
        auto watcher = start_miner(dir, "W", w, boot, {"--no-mine"});
        std::vector<std::string> flags = kMine;
        for (const char* f : {"--private", "--private-blocks", "3"})
            flags.push_back(f);
        auto private_miner = start_miner(dir, "P", p, boot, flags);
        REQUIRE(eventually([&] { return height_of(w, network) >= 3; }));
        // Honest from then on: every later block reaches the watcher too.
        std::uint32_t later = height_of(p, network) + 2;
        REQUIRE(eventually([&] { return height_of(w, network) >= later; }));
    }
}

// The name -> key book outlives a restart (miner/miner_keys.*, docs/PROTOCOL.md §2.1): a
// miner restarted while the bootstrap is down still checks the Hello proofs of the peers it
// knew, from DATA/miner_keys.jsonl, instead of refusing them as unknown miners.
#include <doctest/doctest.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "tests/process/network_fixture.hpp"

using namespace coinnet;
using namespace coinnet::test;

namespace {

bool has_peer(int port, const std::string& name) {
    nlohmann::json s = miner_status(port);
    if (!s.contains("peers"))
        return false;
    for (const auto& p : s["peers"])
        if (p["name"] == name)
            return true;
    return false;
}

}  // namespace

TEST_SUITE("miner keys restart") {
    TEST_CASE("a miner restarted while the bootstrap is down re-peers with the miners it knew") {
        TempDir dir("keys-restart");
        int bport = free_port();
        auto boot =
            start_bootstrap(dir, bport, {"--difficulty-bits", "8", "--heartbeat-interval", "1"});
        int p1 = free_port(), p2 = free_port();
        auto m1 = start_miner(dir, "M1", p1, bport, {"--no-mine"});
        auto m2 = start_miner(dir, "M2", p2, bport, {"--no-mine"});
        REQUIRE(eventually([&] { return has_peer(p1, "M2") && has_peer(p2, "M1"); }, 30s));
        {
            // M2 keeps M1's signed registration: the key alone could not be checked again.
            std::ifstream in(dir / "miner-M2" / "miner_keys.jsonl");
            std::string line;
            bool found = false;
            while (std::getline(in, line)) {
                auto j = nlohmann::json::parse(line);
                found = found || (j["name"] == "M1" && j.contains("registration_signature"));
            }
            CHECK(found);
        }

        REQUIRE(boot->stop() == 0);
        REQUIRE(m2->stop() == 0);
        CHECK(eventually([&] { return !has_peer(p1, "M2"); }, 10s));
        m2 = start_miner(dir, "M2", p2, bport, {"--no-mine"});
        // M1 dials M2 again; M2 can check M1's proof only with the key it kept on disk.
        CHECK(eventually([&] { return has_peer(p2, "M1") && has_peer(p1, "M2"); }, 40s));
        CHECK(m2->output().find("unknown-miner") == std::string::npos);
        CHECK(m1->stop() == 0);
        CHECK(m2->stop() == 0);
    }
}

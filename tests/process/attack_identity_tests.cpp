// Attacks on names and identities, against real processes (issue 12 findings 2 and 6, SPEC
// §5.1): claiming a miner's name without its key, holding a session named like a miner,
// Hellos with 1 MB names or role 99, and bans meant to grow the ban file without bound.
#include <doctest/doctest.h>

#include <fstream>

#include "tests/process/attack_fixture.hpp"

using namespace coinnet;
using namespace coinnet::test;

namespace {

const std::string kGarbageFrame("\x00\x00\x00\x05\xff\xff\xff\xff\xff", 9);

std::string refusal(RawPeer& peer) {
    peer.wait_closed(5s);
    return peer.last_error() ? peer.last_error()->code() : "(no error)";
}

std::uintmax_t size_or_zero(const std::filesystem::path& file) {
    std::error_code ec;
    auto size = std::filesystem::file_size(file, ec);
    return ec ? 0 : size;
}

}  // namespace

TEST_SUITE("attack process") {
    TEST_CASE("impersonation: claiming M3 with a garbage frame neither bans M3 nor cuts it off") {
        AttackNetwork n("attack-impersonate", {"M3", "M4"});
        const int p4 = n.port("M4");
        REQUIRE(eventually([&] { return peer_names(p4, n.network()).count("M3") == 1; }, 20s));
        VictimMonitor monitor("miner", p4, n.miner("M4").pid());
        std::vector<std::string> got;

        // As miner M3 without a proof: a relay message instead of the proof is refused.
        RawPeer unproven(p4);
        REQUIRE(unproven.send_hello(wire::ROLE_MINER, "M3", n.network()));
        REQUIRE(unproven.send_envelope(net::make_envelope(wire::GetTip{})));
        got.push_back(refusal(unproven));
        CHECK(got.back() == "bad-hello-proof");
        // ... and a garbage frame instead of the proof closes that session only, unbanned.
        RawPeer garbage(p4);
        REQUIRE(garbage.send_hello(wire::ROLE_MINER, "M3", n.network()));
        REQUIRE(garbage.send_bytes(kGarbageFrame));
        got.push_back(refusal(garbage));
        CHECK(got.back() == "bad-frame");
        // As a tool named M3: it is nobody's peer; the garbage closes only its own session.
        RawPeer tool(p4);
        REQUIRE(tool.send_hello(wire::ROLE_TOOL, "M3", n.network()));
        REQUIRE(tool.send_bytes(kGarbageFrame));
        got.push_back(refusal(tool));
        CHECK(got.back() == "bad-frame");
        // As M3 with a key of its own: the proof checks, but the name belongs to M3's key.
        RawPeer other_key(p4);
        REQUIRE(other_key.handshake_as_miner("M3", PrivateKey::generate(), n.network()));
        REQUIRE(other_key.send_bytes(kGarbageFrame));
        got.push_back(refusal(other_key));
        CHECK(got.back() == "miner-key-mismatch");

        // The real M3 is not banned and still peers; nothing was written to M4's ban file.
        CHECK(peer_names(p4, n.network()).count("M3") == 1);
        CHECK(n.miner("M4").output().find("banned") == std::string::npos);
        CHECK(size_or_zero(n.dir / "miner-M4" / "bans.jsonl") == 0);
        Transaction tx = pay_to(*n.faucet, hash160(PrivateKey::generate().public_key()));
        REQUIRE(submit_to(n.port("M3"), n.network(), tx) == "");
        CHECK(eventually([&] {
            auto t = tx_status_at(p4, n.network(), compute_txid(tx));
            return t && t->in_mempool();
        }));
        monitor.report(
            "impersonate M3 + garbage frame",
            "refused: " + got[0] + ", " + got[1] + ", " + got[2] + ", " + got[3] + "; no ban");
    }

    TEST_CASE("a session named like a real miner does not keep that miner out") {
        AttackNetwork n("attack-squat", {"M4"});
        const int p4 = n.port("M4");
        VictimMonitor monitor("miner", p4, n.miner("M4").pid());
        // Squatters hold sessions claiming M3 before M3 starts: one that never proves, one
        // with a fresh key (M4 does not know the name yet: unknown-miner).
        RawPeer silent(p4);
        REQUIRE(silent.send_hello(wire::ROLE_MINER, "M3", n.network()));
        RawPeer fresh_key(p4);
        REQUIRE(fresh_key.handshake_as_miner("M3", PrivateKey::generate(), n.network()));
        n.start("M3");
        CHECK(eventually([&] { return peer_names(p4, n.network()).count("M3") == 1; }, 20s));
        const std::string squatter = refusal(silent), keyed = refusal(fresh_key);
        CHECK((squatter == "handshake-timeout" || squatter == "bad-hello-proof"));
        CHECK((keyed == "unknown-miner" || keyed == "miner-key-mismatch"));
        CHECK(peer_names(n.port("M3"), n.network()).count("M4") == 1);
        monitor.report("hold sessions named M3",
                       "closed: " + squatter + ", " + keyed + "; the real M3 peered");
    }

    TEST_CASE("Hellos with a 1 MB name or role 99 are refused, by miners and the bootstrap") {
        AttackNetwork n("attack-hello-fields", {"M1", "M2"});
        REQUIRE(eventually([&] { return peer_names(n.port("M1"), n.network()).size() == 1; }, 20s));
        VictimMonitor monitor("miner", n.port("M1"), n.miner("M1").pid());
        const std::string huge(1 << 20, 'M');
        std::vector<std::string> got;
        for (int port : {n.port("M1"), n.bport}) {
            for (int i = 0; i < 10; ++i) {
                RawPeer big(port);
                // The receiver refuses at the frame header and closes without reading the
                // rest, so the write of the 1 MB may fail with a reset; its Error still arrives.
                (void)big.send_hello(wire::ROLE_MINER, huge, n.network());
                got.push_back(refusal(big));
                // Past the Hello's size cap before it is even parsed, else past the name rule.
                CHECK((got.back() == "message-too-large" || got.back() == "bad-hello"));
            }
            RawPeer role99(port);
            REQUIRE(role99.send_hello(99, "Mallory", n.network()));
            got.push_back(refusal(role99));
            CHECK(got.back() == "bad-hello");
        }
        CHECK(peer_names(n.port("M1"), n.network()) == std::set<std::string>{"M2"});
        CHECK(timed_status("bootstrap", n.bport).ok);
        // The names went nowhere: not into the console, not into a log line.
        CHECK(n.miner("M1").output().find(std::string(100, 'M')) == std::string::npos);
        CHECK(n.bootstrap->output().find(std::string(100, 'M')) == std::string::npos);
        monitor.report("1 MB names, role 99", "refused " + std::to_string(got.size()) + " times (" +
                                                  got.front() + " for the names, " + got.back() +
                                                  " for role 99)");
    }

    TEST_CASE("30 bans and 30 huge names keep the ban file small") {
        AttackNetwork n("attack-bans", {"M1", "M2"});
        const int p1 = n.port("M1");
        REQUIRE(eventually([&] { return peer_names(p1, n.network()).size() == 1; }, 20s));
        VictimMonitor monitor("miner", p1, n.miner("M1").pid());
        // 200 KB names: refused at the Hello, before a ban could even be keyed on them.
        const std::string huge(200 * 1024, 'x');
        for (int i = 0; i < 30; ++i) {
            RawPeer big(p1);
            REQUIRE(big.send_hello(wire::ROLE_MINER, huge + std::to_string(i), n.network()));
            (void)big.send_bytes(kGarbageFrame);  // the miner may have closed already
            const std::string code = refusal(big);
            CHECK((code == "message-too-large" || code == "bad-hello"));
        }
        // 30 proven miners misbehave: each is banned by its key, one short line each.
        for (int i = 0; i < 30; ++i) {
            auto& identity = miner_identity(n.bport, "Bad" + std::to_string(i), n.network());
            REQUIRE(identity.introduce(p1));
            RawPeer raw(p1);
            REQUIRE(raw.handshake_as_miner(identity.name(), identity.key(), n.network()));
            REQUIRE(raw.send_bytes(kGarbageFrame));
            raw.wait_closed(5s);
        }
        CHECK(eventually(
            [&] { return n.miner("M1").output().find("peer Bad29 banned") != std::string::npos; },
            10s));
        const auto size = size_or_zero(n.dir / "miner-M1" / "bans.jsonl");
        CHECK(size > 0);
        CHECK(size < 16 * 1024);
        CHECK(peer_names(p1, n.network()) == std::set<std::string>{"M2"});
        monitor.report("30 bans + 30 names of 200 KB", "30 bans of " + std::to_string(size / 30) +
                                                           " bytes each (file " +
                                                           std::to_string(size) + " bytes)");
    }
}

// Attacks on connection slots and on the directory, against real processes (issue 12 findings
// 3 and 7, SPEC §5.1): hundreds of sockets that never say Hello, 128 idle sessions from the
// same address, and 300 junk miner registrations.
#include <doctest/doctest.h>

#include <sys/socket.h>

#include <cerrno>

#include "tests/process/attack_fixture.hpp"

using namespace coinnet;
using namespace coinnet::test;

namespace {

std::vector<std::unique_ptr<RawPeer>> open_silent(int port, int count) {
    std::vector<std::unique_ptr<RawPeer>> out;
    for (int i = 0; i < count; ++i)
        out.push_back(std::make_unique<RawPeer>(port));
    return out;
}

// Sessions that complete a Hello (as wallets and tools, from 127.0.0.1) and then do nothing.
std::vector<std::unique_ptr<RawPeer>> open_idle(int port, const Hash256& network, int count) {
    std::vector<std::unique_ptr<RawPeer>> out;
    for (int i = 0; i < count; ++i) {
        auto peer = std::make_unique<RawPeer>(port);
        (void)peer->send_hello(i % 2 ? wire::ROLE_WALLET : wire::ROLE_TOOL,
                               "Idle" + std::to_string(i), network);
        out.push_back(std::move(peer));
    }
    return out;
}

// How many of the attacker's sockets the victim still holds open after `wait`.
int still_open(std::vector<std::unique_ptr<RawPeer>>& peers, std::chrono::milliseconds wait) {
    std::this_thread::sleep_for(wait);  // a fixed span of the attack, not a wait for an event
    int open = 0;
    for (auto& p : peers) {
        // Drain what the victim sent (its Hello, maybe an Error): open means that reading then
        // would block, closed means end of stream or a reset.
        char buf[4096];
        ssize_t r;
        while ((r = ::recv(p->fd(), buf, sizeof buf, MSG_DONTWAIT)) > 0) {
        }
        if (r < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
            ++open;
    }
    return open;
}

}  // namespace

TEST_SUITE("attack process") {
    TEST_CASE("300 silent sockets and 128 idle sessions: --status and a wallet are still served") {
        AttackNetwork n("attack-flood", {"M1", "M2"});
        const int p1 = n.port("M1");
        REQUIRE(eventually([&] { return peer_names(p1, n.network()).size() == 1; }, 20s));
        VictimMonitor monitor("miner", p1, n.miner("M1").pid());

        auto silent = open_silent(p1, 300);
        auto idle = open_idle(p1, n.network(), 128);
        // While the attacker holds all of them: a status query and an honest payment.
        StatusTiming during = timed_status("miner", p1);
        CHECK(during.ok);
        auto wallet = connect_wallet(p1, n.network(), "Honest");
        submit_ok(*wallet, pay_to(*n.faucet, hash160(PrivateKey::generate().public_key())));
        // The silent ones are refilled after the handshake deadline, as an attacker would.
        const int silent_held = still_open(silent, 3500ms);
        silent = open_silent(p1, 300);
        CHECK(timed_status("miner", p1).ok);
        submit_ok(*wallet, pay_to(*n.faucet, hash160(PrivateKey::generate().public_key())));
        const int idle_held = still_open(idle, 0ms);
        // Nothing without a Hello outlives the 3 s handshake deadline, and the idle sessions
        // hold at most their classes' slots (32 queries, 64 wallets, one taken by the honest).
        CHECK(silent_held == 0);
        CHECK(idle_held <= 32 + 64);
        CHECK(wallet->is_open());
        CHECK(peer_names(p1, n.network()) == std::set<std::string>{"M2"});
        CHECK(peer_names(n.port("M2"), n.network()) == std::set<std::string>{"M1"});
        monitor.report("300 silent sockets (x2) + 128 idle sessions",
                       std::to_string(silent_held) +
                           "/300 silent sockets still open after 3.5 s, " +
                           std::to_string(idle_held) + "/128 idle sessions; wallet paid twice");
    }

    TEST_CASE("300 junk registrations are not listed, and honest miners keep registering") {
        AttackNetwork n("attack-junk", {"M1"});
        VictimMonitor monitor("bootstrap", n.bport, n.bootstrap->pid());
        auto client = connect_client(n.bport, n.network().to_bytes());
        std::map<std::string, int> refusals;
        for (int i = 0; i < 300; ++i) {
            const int nobody = free_port();  // fresh key, a port nobody listens on
            auto reply = client->call(net::make_envelope(signed_miner_registration(
                                          PrivateKey::generate(), "Junk" + std::to_string(i),
                                          "127.0.0.1", nobody, unix_now(), n.network())),
                                      15s);
            ++refusals[reply ? "accepted" : reply.error().code()];
        }
        CHECK(refusals["unreachable-miner"] == 300);
        // Only the honest miner is listed, and a new honest one still gets in.
        n.start("M2");
        CHECK(eventually([&] { return bootstrap_status(n.bport)["miners"].size() == 2; }, 20s));
        auto s = bootstrap_status(n.bport);
        for (const auto& m : s["miners"])
            CHECK(m["name"].get<std::string>().rfind("Junk", 0) != 0);
        CHECK(eventually([&] { return peer_names(n.port("M1"), n.network()).size() == 1; }, 20s));
        monitor.report("300 junk registrations", std::to_string(refusals["unreachable-miner"]) +
                                                     " refused unreachable-miner, 0 listed");
    }
}

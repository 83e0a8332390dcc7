// The bootstrap executable, started for real on 127.0.0.1 (SPEC §2, issue 4).
#include <doctest/doctest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include "common/net/dispatch.hpp"
#include "tests/process/support/miner_identity.hpp"
#include "tests/process/support/network.hpp"

using namespace coinnet;
using namespace coinnet::test;

namespace {

// Writes raw bytes to the port and closes, like a misbehaving client.
void send_raw(int port, const Bytes& bytes) {
    int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<std::uint16_t>(port));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    REQUIRE(::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
    (void)!::write(fd, bytes.data(), bytes.size());
    // Read whatever the bootstrap answers until it closes (bounded by SO_RCVTIMEO).
    timeval tv{3, 0};
    ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    char buf[512];
    while (::read(fd, buf, sizeof buf) > 0) {
    }
    ::close(fd);
}

wire::Envelope call(net::BlockingClient& c, wire::Envelope e) {
    auto r = c.call(e, 10s);
    if (!r) {
        wire::Envelope err;
        err.mutable_error()->set_code(r.error().code());
        err.mutable_error()->set_message(r.error().message);
        return err;
    }
    return *r;
}

}  // namespace

TEST_SUITE("bootstrap process") {
    TEST_CASE("first start creates the network, restart keeps it, a changed flag is refused") {
        TempDir dir("bootstrap-create");
        int port = free_port();
        std::string genesis;
        {
            auto b = start_bootstrap(dir, port, {"--difficulty-bits", "12"});
            CHECK(b->output().find("created network") != std::string::npos);
            auto s = bootstrap_status(port);
            REQUIRE(s.contains("genesis"));
            genesis = s["genesis"];
            CHECK(genesis.size() == 64);
            CHECK(s["network"] == "coinnet");
            CHECK(s["faucet"]["granted"] == 0);
            CHECK(s["faucet"]["remaining"] == 1000LL * 100 * 100'000'000LL);
            CHECK(b->stop() == 0);
        }
        {
            auto b = start_bootstrap(dir, port, {"--difficulty-bits", "12"});
            CHECK(b->output().find("loaded network") != std::string::npos);
            CHECK(bootstrap_status(port)["genesis"] == genesis);
            b->stop();
        }
        auto refused = run({bin("bootstrap"), "--port", std::to_string(port), "--data-dir",
                            (dir / "bootstrap").string(), "--difficulty-bits", "20"},
                           20s);
        CHECK(refused.exit_code == 1);
        CHECK(refused.output.find("--difficulty-bits 20") != std::string::npos);
        CHECK(refused.output.find("12") != std::string::npos);
        auto refused_reward = run({bin("bootstrap"), "--port", std::to_string(port), "--data-dir",
                                   (dir / "bootstrap").string(), "--block-reward", "50"},
                                  20s);
        CHECK(refused_reward.exit_code == 1);
        CHECK(refused_reward.output.find("--block-reward") != std::string::npos);
    }

    TEST_CASE("miners register, heartbeat, expire and come back, a taken name is refused") {
        TempDir dir("bootstrap-miners");
        int port = free_port();
        auto b = start_bootstrap(dir, port, {"--heartbeat-interval", "1"});
        Hash256 network = network_id_of(port);
        auto c = connect_client(port, network.to_bytes());
        auto key_ptr = std::make_shared<const PrivateKey>(PrivateKey::generate());
        const PrivateKey& key = *key_ptr;
        // Nobody listens at the registered address: not listed (SPEC §5.1).
        const int nobody = free_port();
        auto reply = call(*c, net::make_envelope(signed_miner_registration(
                                  key, "M1", "127.0.0.1", nobody, unix_now(), network)));
        REQUIRE(reply.has_error());
        CHECK(reply.error().code() == "unreachable-miner");
        CHECK(bootstrap_status(port)["miners"].empty());
        // Someone listens there but proves another key: not listed either.
        KeyProver impostor("M1", std::make_shared<const PrivateKey>(PrivateKey::generate()),
                           network);
        reply = call(*c, net::make_envelope(signed_miner_registration(
                             key, "M1", "127.0.0.1", impostor.port(), unix_now(), network)));
        REQUIRE(reply.has_error());
        CHECK(reply.error().code() == "bad-hello-proof");
        // The bootstrap reaches the miner at its address and sees it prove its key: listed.
        KeyProver first_home("M1", key_ptr, network);
        reply = call(*c, net::make_envelope(signed_miner_registration(
                             key, "M1", "127.0.0.1", first_home.port(), unix_now(), network)));
        REQUIRE(reply.has_register_miner_result());

        Hash256 tip = sha256d(Bytes{7});
        reply = call(*c, net::make_envelope(signed_heartbeat(key, "M1", 42, tip, unix_now())));
        CHECK(reply.has_heartbeat_ack());
        auto s = bootstrap_status(port);
        REQUIRE(s["miners"].size() == 1);
        CHECK(s["miners"][0]["name"] == "M1");
        CHECK(s["miners"][0]["port"] == first_home.port());
        CHECK(s["miners"][0]["height"] == 42);
        CHECK(s["miners"][0]["tip"] == tip.hex());

        // Another key cannot take the name, nor heartbeat for it.
        PrivateKey thief = PrivateKey::generate();
        reply = call(*c, net::make_envelope(signed_miner_registration(thief, "M1", "127.0.0.1",
                                                                      4999, unix_now(), network)));
        REQUIRE(reply.has_error());
        CHECK(reply.error().code() == "name-taken");
        reply = call(*c, net::make_envelope(signed_heartbeat(thief, "M1", 1, tip, unix_now())));
        REQUIRE(reply.has_error());
        CHECK(reply.error().code() == "bad-signature");

        // Silent for 3 heartbeats: dropped from the list, and logged.
        CHECK(eventually([&] { return bootstrap_status(port)["miners"].empty(); }, 10s));
        CHECK(b->wait_for("miner M1 silent", 5s));
        // It comes back with its next heartbeat; re-registering from a new address moves it.
        reply = call(*c, net::make_envelope(signed_heartbeat(key, "M1", 43, tip, unix_now())));
        CHECK(reply.has_heartbeat_ack());
        KeyProver second_home("M1", key_ptr, network);
        reply = call(*c, net::make_envelope(signed_miner_registration(
                             key, "M1", "127.0.0.1", second_home.port(), unix_now(), network)));
        CHECK(reply.has_register_miner_result());
        s = bootstrap_status(port);
        REQUIRE(s["miners"].size() == 1);
        CHECK(s["miners"][0]["port"] == second_home.port());
        CHECK(b->wait_for("miner M1 moved to 127.0.0.1:" + std::to_string(second_home.port()), 5s));

        // A registration whose signature does not match is refused.
        auto forged = signed_miner_registration(key, "M2", "127.0.0.1", 4003, unix_now(), network);
        forged.set_port(4004);
        reply = call(*c, net::make_envelope(forged));
        REQUIRE(reply.has_error());
        CHECK(reply.error().code() == "bad-signature");
    }

    TEST_CASE("wallet names: first come first served, look-ups, and they survive a restart") {
        TempDir dir("bootstrap-wallets");
        int port = free_port();
        PrivateKey adam = PrivateKey::generate();
        std::string address;
        {
            auto b = start_bootstrap(dir, port);
            Hash256 network = network_id_of(port);
            auto c = connect_client(port, network.to_bytes());
            auto reply =
                call(*c, net::make_envelope(signed_wallet_registration(adam, "Adam", network)));
            REQUIRE(reply.has_register_wallet_result());
            CHECK(reply.register_wallet_result().newly_registered());
            address = reply.register_wallet_result().address();
            CHECK(address.front() == 'C');
            PrivateKey other = PrivateKey::generate();
            reply =
                call(*c, net::make_envelope(signed_wallet_registration(other, "Adam", network)));
            REQUIRE(reply.has_error());
            CHECK(reply.error().code() == "name-taken");
            wire::RegisterWallet bad_name = signed_wallet_registration(other, "no spaces", network);
            reply = call(*c, net::make_envelope(bad_name));
            REQUIRE(reply.has_error());
            CHECK(reply.error().code() == "bad-name");
            wire::LookupWallet lookup;
            lookup.set_name("Adam");
            reply = call(*c, net::make_envelope(lookup));
            REQUIRE(reply.has_wallet_info());
            CHECK(reply.wallet_info().address() == address);
            lookup.set_name("Nobody");
            reply = call(*c, net::make_envelope(lookup));
            REQUIRE(reply.has_error());
            CHECK(reply.error().code() == "unknown-name");
            b->stop();
        }
        auto b = start_bootstrap(dir, port);
        Hash256 network = network_id_of(port);
        auto c = connect_client(port, network.to_bytes());
        auto reply =
            call(*c, net::make_envelope(signed_wallet_registration(adam, "Adam", network)));
        REQUIRE(reply.has_register_wallet_result());
        CHECK_FALSE(reply.register_wallet_result().newly_registered());
        CHECK(reply.register_wallet_result().address() == address);
        auto s = bootstrap_status(port);
        REQUIRE(s["wallets"].size() == 1);
        CHECK(s["wallets"][0] == "Adam");
    }

    TEST_CASE("garbage, truncated and oversized frames do not disturb the bootstrap") {
        TempDir dir("bootstrap-hostile");
        int port = free_port();
        auto b = start_bootstrap(dir, port);
        auto steady = connect_client(port);  // a well-behaved client stays connected throughout
        send_raw(port, Bytes{0, 0, 0, 5, 'h', 'e', 'l', 'l', 'o'});  // not a protobuf
        send_raw(port, Bytes{0, 0, 0, 100, 1, 2, 3});                // truncated body
        send_raw(port, Bytes{0xff, 0xff, 0xff, 0xff});               // 4 GiB announced
        send_raw(port, Bytes{0, 0, 0, 0});                           // empty frame
        Bytes noise(5000);
        for (std::size_t i = 0; i < noise.size(); ++i)
            noise[i] = static_cast<std::uint8_t>(i * 31);
        send_raw(port, noise);
        CHECK(b->running());
        auto s = bootstrap_status(port);
        CHECK(s.contains("genesis"));
        auto reply = call(*steady, net::make_envelope(wire::GetMiners{}));
        CHECK(reply.has_miners());
    }

    TEST_CASE("--status of nothing listening fails with exit code 3, bad endpoints with 1") {
        auto r =
            run({bin("bootstrap"), "--status", "127.0.0.1:" + std::to_string(free_port())}, 20s);
        CHECK(r.exit_code == 3);
        CHECK(r.output.find("error:") != std::string::npos);
        auto j = run(
            {bin("bootstrap"), "--status", "127.0.0.1:" + std::to_string(free_port()), "--json"},
            20s);
        CHECK(j.exit_code == 3);
        auto parsed = nlohmann::json::parse(j.out);
        CHECK(parsed["error"]["code"] == "unreachable");
        auto bad = run({bin("bootstrap"), "--status", "nonsense"}, 10s);
        CHECK(bad.exit_code == 1);
    }
}

// The bootstrap's request handling without sockets: Service::handle routes each request to
// its named handler through the same dispatcher the miner uses, and answers what it does not
// serve with Error{unsupported} instead of leaving the requester waiting.
#include <doctest/doctest.h>

#include "bootstrap/service.hpp"
#include "common/consensus/genesis.hpp"
#include "common/node/signed_messages.hpp"
#include "tests/unit/chain_fixture.hpp"

using namespace coinnet;
using namespace coinnet::bootstrap;

namespace {

constexpr std::int64_t kNow = 1'700'000'100;

NetworkState test_network() {
    ConsensusParams params;
    params.network_name = "service-test";
    PrivateKey faucet = test::key_from_seed(0);
    Block genesis = make_genesis_block(params, faucet.public_key(), 1'700'000'000);
    Hash256 hash = block_hash(genesis.header);
    return NetworkState{params, genesis, hash, faucet, true};
}

struct BootstrapFixture {
    std::unique_ptr<Store> store = Store::open(test::fresh_dir("bootstrap-service")).value();
    NetworkState network = test_network();
    std::unique_ptr<Directory> directory;
    std::unique_ptr<Service> service;

    BootstrapFixture() {
        DirectoryOptions options;
        options.network_id = network.genesis_hash;
        directory = std::make_unique<Directory>(*store, options);
        service = std::make_unique<Service>(network, *directory);
    }

    template <class Msg>
    wire::Envelope ask(Msg body) {
        return service->handle(net::make_envelope(std::move(body), 7), kNow);
    }

    wire::RegisterMiner registration(const std::string& name, const PrivateKey& key) const {
        wire::RegisterMiner r;
        r.set_name(name);
        r.set_host("127.0.0.1");
        r.set_port(9500);
        PubKeyBytes pub = key.public_key();
        r.set_node_pubkey(std::string(pub.begin(), pub.end()));
        r.set_timestamp(static_cast<std::uint64_t>(kNow));
        auto sig = key.sign(miner_registration_digest(
            name, "127.0.0.1", 9500, static_cast<std::uint64_t>(kNow), network.genesis_hash));
        r.set_signature(std::string(sig.begin(), sig.end()));
        return r;
    }
};

}  // namespace

TEST_SUITE("bootstrap service") {
    TEST_CASE("GetNetwork carries the parameters and the genesis block") {
        BootstrapFixture f;
        wire::Envelope reply = f.ask(wire::GetNetwork{});
        REQUIRE(reply.has_network());
        CHECK(reply.network().params().network_name() == "service-test");
        auto genesis = decode_block(as_bytes(reply.network().genesis_block()));
        REQUIRE(genesis);
        CHECK(block_hash(genesis->header) == f.network.genesis_hash);
    }

    TEST_CASE("a signed miner registration is listed by GetMiners and GetStatus") {
        BootstrapFixture f;
        // Registration itself needs a connection back to the miner (server_glue); the service
        // answers from what the directory then holds.
        wire::RegisterMiner request = f.registration("Alice", test::key_from_seed(1));
        wire::Envelope registered =
            f.service->registration_reply(request, f.directory->register_miner(request, kNow));
        REQUIRE(registered.has_register_miner_result());
        CHECK(registered.register_miner_result().heartbeat_interval() == 5);

        wire::Envelope miners = f.ask(wire::GetMiners{});
        REQUIRE(miners.has_miners());
        REQUIRE(miners.miners().miners_size() == 1);
        CHECK(miners.miners().miners(0).name() == "Alice");
        CHECK(miners.miners().miners(0).port() == 9500);

        wire::Envelope status = f.ask(wire::GetStatus{});
        REQUIRE(status.has_bootstrap_status());
        CHECK(status.bootstrap_status().network() == "service-test");
        CHECK(status.bootstrap_status().miners_size() == 1);
    }

    TEST_CASE("a registration signed by another key is refused with its code") {
        BootstrapFixture f;
        wire::RegisterMiner forged = f.registration("Alice", test::key_from_seed(1));
        PubKeyBytes other = test::key_from_seed(2).public_key();
        forged.set_node_pubkey(std::string(other.begin(), other.end()));
        wire::Envelope reply =
            f.service->registration_reply(forged, f.directory->register_miner(forged, kNow));
        REQUIRE(reply.has_error());
        CHECK(reply.error().code() == "bad-signature");
        // Asked directly, the service does not take registrations at all.
        CHECK(f.ask(forged).error().code() == "unsupported");
        CHECK(f.ask(wire::GetMiners{}).miners().miners_size() == 0);
    }

    TEST_CASE("an unknown wallet name is refused as unknown-name") {
        BootstrapFixture f;
        wire::LookupWallet lookup;
        lookup.set_name("Nobody");
        wire::Envelope reply = f.ask(lookup);
        REQUIRE(reply.has_error());
        CHECK(reply.error().code() == "unknown-name");
    }

    TEST_CASE("a request the bootstrap does not serve gets Error{unsupported}") {
        BootstrapFixture f;
        // Ping is answered by every session itself; the service has no handler for it.
        for (wire::Envelope reply : {f.ask(wire::Ping{}), f.ask(wire::GetTip{})}) {
            REQUIRE(reply.has_error());
            CHECK(reply.error().code() == "unsupported");
        }
    }
}

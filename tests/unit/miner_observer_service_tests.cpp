// What the miner tells observers (miner/observer_service.hpp): every accepted block, active or
// side branch, goes into the arrival log with the injected clock's time, who sent it and who
// mined it.
#include <doctest/doctest.h>

#include "miner/observer_service.hpp"
#include "tests/unit/chain_fixture.hpp"

using namespace coinnet;
using namespace coinnet::miner;

TEST_SUITE("miner observer service") {
    TEST_CASE("accepted blocks are logged with arrival time, sender and miner") {
        test::TestNet net;
        asio::io_context io;
        NodeState state(test::open_chain(net, test::fresh_dir("observer-service")),
                        MempoolOptions{}, [&] { return net.now(); });
        std::int64_t now_ms = 1'700'000'000'000;
        ObserverService observers(io, state, [&] { return now_ms; });
        state.add_observer(observers);

        const Hash256 genesis = block_hash(net.genesis.header);
        const std::uint32_t t = net.genesis.header.time + 1, bits = net.genesis.header.bits;
        Block a = test::assemble_block(net, genesis, 1, t, bits, {}, 0, 1, 1);
        Block b = test::assemble_block(net, genesis, 1, t, bits, {}, 0, 2, 2);  // a sibling
        REQUIRE(state.submit_block(a, Origin{Origin::Kind::kPeer, 3, "miner Bob"}).kind ==
                AcceptKind::kNewTip);
        now_ms += 250;
        REQUIRE(state.submit_block(b, Origin{Origin::Kind::kLocal, 0, "our miner"}).kind ==
                AcceptKind::kSideBranch);

        const auto& log = observers.arrivals().entries();
        REQUIRE(log.size() == 2);
        CHECK(log[0].hash == block_hash(a.header));
        CHECK(log[0].parent == genesis);
        CHECK(log[0].height == 1);
        CHECK(log[0].from == "Bob");
        CHECK(log[0].arrived_ms == 1'700'000'000'000);
        CHECK(log[0].reward_owner == test::owner_of(net.keys[1]));
        CHECK(log[0].tx_count == 1);
        CHECK_FALSE(log[0].side_branch);
        CHECK(log[1].from == "self");
        CHECK(log[1].arrived_ms == 1'700'000'000'250);
        CHECK(log[1].side_branch);
        CHECK(log[1].reward_owner == test::owner_of(net.keys[2]));
        state.remove_observer(observers);
    }
}

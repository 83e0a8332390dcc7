// The miner's ring of block arrival times (miner/arrival_log.hpp): bounded, oldest dropped.
#include <doctest/doctest.h>

#include "miner/arrival_log.hpp"
#include "miner/observer_service.hpp"

using namespace coinnet;
using namespace coinnet::miner;

TEST_SUITE("miner arrival log") {
    TEST_CASE("keeps the newest arrivals up to its capacity, oldest first") {
        ArrivalLog log(3);
        for (std::uint32_t h = 1; h <= 5; ++h) {
            Arrival a;
            a.height = h;
            a.arrived_ms = 1000 * h;
            a.from = h % 2 ? "self" : "Bob";
            log.record(a);
        }
        REQUIRE(log.entries().size() == 3);
        CHECK(log.entries().front().height == 3);
        CHECK(log.entries().back().height == 5);
        CHECK(log.entries().back().arrived_ms == 5000);
        CHECK(log.entries().back().from == "self");
    }

    TEST_CASE("the default capacity covers SPEC §9's 1 000 blocks") {
        CHECK(ArrivalLog().capacity() >= 1000);
        ArrivalLog none(0);
        none.record(Arrival{});
        CHECK(none.entries().empty());
    }

    TEST_CASE("an observer may send only observer requests") {
        using E = wire::Envelope;
        for (auto ok : {E::kObserveSubscribe, E::kGetTx, E::kGetBlockView, E::kGetStatus,
                        E::kGetChainView, E::kGetMempoolView, E::kGetUtxos, E::kGetHistory})
            CHECK(ObserverService::serves_observer(ok));
        for (auto refused : {E::kSubmitTx, E::kAnnounce, E::kBlockData, E::kTxData, E::kRequest,
                             E::kGetHeaders, E::kSubscribe, E::kRegisterMiner})
            CHECK_FALSE(ObserverService::serves_observer(refused));
    }
}

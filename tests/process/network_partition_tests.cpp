// A partitioned network healing (SPEC §3, issue 6): two groups of miners that cannot see each
// other mine competing chains — with a double spend on each side — then one connection joins
// them. Every miner must end on the chain with the most work, the losing side's transactions
// that do not conflict must be mined again, and no coin may be created or lost.
#include <doctest/doctest.h>

#include "common/encoding/address.hpp"
#include "tests/process/network_fixture.hpp"
#include "tests/process/split_network.hpp"

using namespace coinnet;
using namespace coinnet::test;

namespace {

struct Payee {
    Hash160 owner = hash160(PrivateKey::generate().public_key());
    std::string address() const { return encode_address(owner); }
};

bool confirmed_on_all(const std::vector<int>& ports, const Hash256& network, const Hash256& txid) {
    for (int port : ports) {
        auto s = tx_status_at(port, network, txid);
        if (!s || s->height() == 0)
            return false;
    }
    return true;
}

// Submits to `port` and waits until the group's miners all hold it in a block: with
// --min-txs 1 every transaction is mined on its own, so chains grow one block per call.
void mine_on(const std::vector<int>& group, int port, const Hash256& network,
             const Transaction& tx) {
    REQUIRE(submit_to(port, network, tx) == "");
    REQUIRE(eventually([&] { return confirmed_on_all(group, network, compute_txid(tx)); }));
}

}  // namespace

TEST_SUITE("network process") {
    TEST_CASE("partition and heal: most work wins, losers' transactions mined again, supply kept") {
        TempDir dir("net-partition");
        // Two bootstraps serving one network: the second starts from a copy of the first's data.
        SplitNetwork split = start_split_network(dir);
        const int port_a = split.port_a, port_b = split.port_b;
        const NetworkInfo& info = split.info;
        const Hash256& network = info.genesis_hash;
        Faucet& faucet = split.faucet;
        REQUIRE(network_id_of(port_b) == network);

        // Each side: one miner that mines every transaction at once, one that only relays.
        std::vector<std::string> mine = {"--min-txs", "1", "--max-wait", "0", "--threads", "1"};
        int a1 = free_port(), a2 = free_port(), b1 = free_port(), b2 = free_port();
        auto miner_a1 = start_miner(dir, "A1", a1, port_a, mine);
        auto miner_a2 = start_miner(dir, "A2", a2, port_a, {"--no-mine"});
        auto miner_b1 = start_miner(dir, "B1", b1, port_b, mine);
        auto miner_b2 = start_miner(dir, "B2", b2, port_b, {"--no-mine"});
        std::set<std::string> addresses = {encode_address(faucet.owner())};
        for (Process* m : {miner_a1.get(), miner_a2.get(), miner_b1.get(), miner_b2.get()})
            addresses.insert(reward_address(*m));
        auto peers_of = [&](int port) {
            std::set<std::string> names;
            if (auto s = status_of_miner(port, network))
                for (const auto& p : s->peers())
                    names.insert(p.name());
            return names;
        };
        REQUIRE(eventually([&] {
            return peers_of(a2) == std::set<std::string>{"A1"} &&
                   peers_of(b2) == std::set<std::string>{"B1"};
        }));

        // Side A: 2 blocks. Side B: 4 blocks. One genesis output is spent on both sides,
        // differently.
        Payee x, y, z, w, v, u;
        for (const Payee* p : {&x, &y, &z, &w, &v, &u})
            addresses.insert(p->address());
        SpendableCoin spent_twice = faucet.take();
        Transaction double_a = faucet.spend(spent_twice, 1000, y.owner);
        Transaction double_b = faucet.spend(spent_twice, 2000, w.owner);
        Transaction only_a = pay_to(faucet, x.owner), only_b = pay_to(faucet, z.owner);
        Transaction b3 = pay_to(faucet, v.owner), b4 = pay_to(faucet, v.owner);
        mine_on({a1, a2}, a2, network, only_a);
        mine_on({a1, a2}, a1, network, double_a);
        mine_on({b1, b2}, b2, network, only_b);
        mine_on({b1, b2}, b1, network, double_b);
        mine_on({b1, b2}, b2, network, b3);
        mine_on({b1, b2}, b2, network, b4);
        CHECK(status_of_miner(a1, network)->height() == 2);
        CHECK(status_of_miner(b1, network)->height() == 4);
        CHECK(peers_of(a1) == std::set<std::string>{"A2"});

        // Heal, with a single miner left so the end state is certain: B1 stops, and B2 (which
        // keeps its chain) moves to side A's bootstrap, where A1 and A2 can check its key (an
        // unlisted miner is refused, SPEC 5.1) and from whose list they dial it.
        REQUIRE(miner_b1->stop() == 0);
        REQUIRE(miner_b2->stop() == 0);
        miner_b2 = start_miner(dir, "B2", b2, port_a, {"--no-mine"});
        std::vector<int> all = {a1, a2, b2};
        // A's 2 blocks lose to B's 4: A1 reorganises and mines its abandoned, non-conflicting
        // transaction again; the double spend of A is gone for good.
        CHECK(miner_a1->wait_for("reorganisation depth 2", 30s));
        CHECK(eventually([&] {
            auto s = tx_status_at(a1, network, compute_txid(only_a));
            return s && s->height() > 2;
        }));
        // A1 may have mined it on B's third block before B's fourth reached it: then two
        // branches of equal work coexist. One more block from the only miner settles it, and
        // whichever branch loses, its transactions must be mined again.
        Transaction last = pay_to(faucet, u.owner);
        REQUIRE(submit_to(b2, network, last) == "");
        std::uint32_t height = 0;
        CHECK(eventually([&] {
            std::set<std::string> tips;
            for (int port : all) {
                auto s = status_of_miner(port, network);
                if (!s || s->mempool() != 0)
                    return false;
                tips.insert(tip_hex(*s));
                height = s->height();
            }
            if (tips.size() != 1)
                return false;
            for (const Transaction* tx : {&only_a, &only_b, &double_b, &b3, &b4, &last})
                if (!confirmed_on_all(all, network, compute_txid(*tx)))
                    return false;
            return true;
        }));
        CHECK(height >= 6);
        for (int port : all) {
            CAPTURE(port);
            auto lost = tx_status_at(port, network, compute_txid(double_a));
            REQUIRE(lost);
            CHECK(lost->height() == 0);
            CHECK_FALSE(lost->in_mempool());
            // Every coin there is: the genesis outputs plus one reward per block of the chain.
            CHECK(confirmed_balance(port, network, addresses).value_or(-1) ==
                  genesis_total(info) + static_cast<Amount>(height) * info.params.block_reward);
        }
    }
}

// The explorer against real networks (SPEC §9, issue 14): the block tree of a split network
// shows both branches with their miners, the losing branch goes inactive once the network
// heals, every miner's arrival time is there, an explorer started late still gets the
// arrival times (the miners' backlog), and bad ids are refused with 400/404.
#include <doctest/doctest.h>

#include "common/encoding/address.hpp"
#include "common/net/dispatch.hpp"
#include "tests/process/explorer_fixture.hpp"
#include "tests/process/split_network.hpp"

using namespace coinnet;
using namespace coinnet::test;

namespace {

const std::vector<std::string> kMineEachTx = {"--min-txs", "1",         "--max-wait",
                                              "0",         "--threads", "1"};

Hash160 fresh_owner() {
    return hash160(PrivateKey::generate().public_key());
}

// Submits a payment to `port` and waits until that miner has it in a block (with --min-txs 1
// at once, one block per payment; a miner that reorganised may mine its abandoned ones too).
void mine_tx(int port, const Hash256& network, Faucet& faucet) {
    const Transaction tx = pay_to(faucet, fresh_owner());
    REQUIRE(submit_to(port, network, tx) == "");
    REQUIRE(eventually([&] {
        auto s = tx_status_at(port, network, compute_txid(tx));
        return s && s->height() > 0;
    }));
}

std::string tip_of(int port, const Hash256& network) {
    auto s = status_of_miner(port, network);
    return s ? tip_hex(*s) : "";
}

std::string error_code_of(const HttpResult& r) {
    auto j = nlohmann::json::parse(r.body, nullptr, false);
    if (j.is_discarded() || !j.contains("error") || !j["error"].contains("message"))
        return "";
    return j["error"].value("code", "");
}

}  // namespace

TEST_SUITE("explorer process") {
    TEST_CASE(
        "a split network: both branches with their miners, stale one inactive after healing") {
        TempDir dir("explorer-fork");
        SplitNetwork split = start_split_network(dir);
        const int port_a = split.port_a, port_b = split.port_b;
        const NetworkInfo& info = split.info;
        const Hash256& network = info.genesis_hash;
        Faucet& faucet = split.faucet;
        int a1 = free_port(), b1 = free_port(), http = free_port();
        auto miner_a1 = start_miner(dir, "A1", a1, port_a, kMineEachTx);
        auto miner_b1 = start_miner(dir, "B1", b1, port_b, kMineEachTx);
        // The explorer learns A1 from bootstrap A and watches B1 directly.
        auto explorer = start_explorer(dir, http,
                                       {"--bootstrap", "127.0.0.1:" + std::to_string(port_a),
                                        "--miner", "127.0.0.1:" + std::to_string(b1)});

        mine_tx(a1, network, faucet);
        mine_tx(b1, network, faucet);
        mine_tx(b1, network, faucet);
        REQUIRE(height_of(a1, network) == 1);
        REQUIRE(height_of(b1, network) == 2);
        const std::string tip_a = tip_of(a1, network), tip_b = tip_of(b1, network);
        REQUIRE(tip_a != tip_b);
        nlohmann::json tree;
        CHECK(eventually([&] {
            auto t = api(http, "/api/tree");
            if (!t || !(*t)["tips"].contains("A1") || !(*t)["tips"].contains("B1"))
                return false;
            tree = *t;
            return tree["tips"]["A1"] == tip_a && tree["tips"]["B1"] == tip_b &&
                   tree_block(tree, tip_a) && tree_block(tree, tip_b);
        }));
        INFO("tree while split: " << tree.dump());
        // Both branches, each with the miner that mined it; B's has more work.
        const nlohmann::json* a_block = tree_block(tree, tip_a);
        const nlohmann::json* b_block = tree_block(tree, tip_b);
        REQUIRE(a_block);
        REQUIRE(b_block);
        CHECK((*a_block)["miner"] == "A1");
        CHECK((*b_block)["miner"] == "B1");
        CHECK((*a_block)["height"] == 1);
        CHECK((*a_block)["seen"].contains("A1"));
        CHECK_FALSE((*a_block)["seen"].contains("B1"));
        CHECK((*b_block)["seen"].contains("B1"));
        CHECK((*b_block)["active"] == true);
        CHECK((*a_block)["active"] == false);
        int at_height_1 = 0;
        for (const auto& b : tree["blocks"])
            at_height_1 += b["height"] == 1 ? 1 : 0;
        CHECK(at_height_1 == 2);
        for (const auto& b : tree["blocks"])
            if (b["height"] == 0)
                CHECK(b["miner"] == "genesis");

        // Heal: B1 moves to bootstrap A, where A1 finds it; A1 reorganises onto B's chain.
        REQUIRE(miner_b1->stop() == 0);
        miner_b1 = start_miner(dir, "B1", b1, port_a, kMineEachTx);
        CHECK(miner_a1->wait_for("reorganisation", 30s));
        // A1 may mine its abandoned transaction as B1 mines: two tips of equal work then
        // stand (as in Bitcoin) until one more block breaks the tie.
        bool one_tip = false;
        for (int nudge = 0; nudge < 5 && !one_tip; ++nudge) {
            mine_tx(b1, network, faucet);
            one_tip = eventually([&] { return tip_of(a1, network) == tip_of(b1, network); }, 10s);
        }
        REQUIRE(one_tip);
        const std::string healed = tip_of(b1, network);
        CHECK(eventually([&] {
            auto t = api(http, "/api/tree");
            if (!t)
                return false;
            tree = *t;
            const nlohmann::json* top = tree_block(tree, healed);
            return tree["tips"].value("A1", "") == healed &&
                   tree["tips"].value("B1", "") == healed && top && (*top)["seen"].contains("A1") &&
                   (*top)["seen"].contains("B1");
        }));
        INFO("tree after healing: " << tree.dump());
        a_block = tree_block(tree, tip_a);
        REQUIRE(a_block);
        CHECK((*a_block)["active"] == false);
        CHECK((*tree_block(tree, tip_b))["active"] == true);
        // The miner that found the tip saw it first: B1 as a rule, A1 when the transaction
        // reached it and it mined first.
        const nlohmann::json& top = *tree_block(tree, healed);
        const std::string finder = top["miner"].get<std::string>();
        REQUIRE((finder == "A1" || finder == "B1"));
        const std::string other = finder == "A1" ? "B1" : "A1";
        CHECK(top["seen"][other].get<std::int64_t>() >= top["seen"][finder].get<std::int64_t>());
        // The stale block can still be opened, from the miner that has it.
        auto block = api(http, "/api/block/" + tip_a);
        REQUIRE(block);
        CHECK((*block)["miner"] == "A1");
        CHECK((*block)["block"]["active"] == false);
        CHECK(explorer->stop() == 0);
    }

    TEST_CASE(
        "an explorer started late shows arrival times, opens blocks and txs, refuses bad ids") {
        TempDir dir("explorer-late");
        int boot = free_port(), m1 = free_port(), m2 = free_port(), http = free_port();
        auto bootstrap =
            start_bootstrap(dir, boot, {"--difficulty-bits", "8", "--heartbeat-interval", "1"});
        NetworkInfo info = fetch_network(boot);
        const Hash256& network = info.genesis_hash;
        Faucet faucet(dir / "bootstrap" / "faucet.key", info);
        auto miner1 = start_miner(dir, "M1", m1, boot, kMineEachTx);
        auto miner2 = start_miner(dir, "M2", m2, boot, {"--no-mine"});
        REQUIRE(eventually([&] {
            auto s = status_of_miner(m2, network);
            return s && s->peers_size() == 1;
        }));
        Transaction paid = pay_to(faucet, fresh_owner(), 2500);
        REQUIRE(submit_to(m1, network, paid) == "");
        REQUIRE(eventually([&] { return height_of(m1, network) == 1; }));
        mine_tx(m1, network, faucet);
        mine_tx(m1, network, faucet);
        REQUIRE(eventually([&] { return height_of(m2, network) == 3; }));

        auto explorer =
            start_explorer(dir, http, {"--bootstrap", "127.0.0.1:" + std::to_string(boot)});
        nlohmann::json tree;
        CHECK(eventually([&] {
            auto t = api(http, "/api/tree");
            if (!t)
                return false;
            tree = *t;
            int with_both = 0;
            for (const auto& b : tree["blocks"])
                if (b["height"] > 0 && b["seen"].contains("M1") && b["seen"].contains("M2"))
                    ++with_both;
            return with_both == 3 && tree["blocks"].size() == 4;
        }));
        INFO("tree: " << tree.dump());
        for (const auto& b : tree["blocks"]) {
            CHECK(b["active"] == true);
            CHECK(b["miner"] == (b["height"] == 0 ? "genesis" : "M1"));
            if (b["height"] > 0)  // the miner that mined it had it first
                CHECK(b["seen"]["M1"].get<std::int64_t>() <= b["seen"]["M2"].get<std::int64_t>());
        }

        // A transaction and its block, as the page opens them.
        const std::string txid = compute_txid(paid).hex();
        auto tx = api(http, "/api/tx/" + txid);
        REQUIRE(tx);
        CHECK((*tx)["fee"] == 2500);
        CHECK((*tx)["confirmations"] == 3);
        CHECK((*tx)["height"] == 1);
        auto block = api(http, "/api/block/" + (*tx)["block"].get<std::string>());
        REQUIRE(block);
        CHECK((*block)["txs"].size() == 2);
        CHECK((*block)["fees"] == 2500);
        CHECK((*block)["miner"] == "M1");
        CHECK((*block)["hash_zero_bits"].get<int>() >= (*block)["target_zero_bits"].get<int>());
        CHECK((*block)["header"]["merkle_root"].get<std::string>().size() == 64);
        auto miners = api(http, "/api/miners");
        REQUIRE(miners);
        CHECK((*miners)["miners"].size() == 2);

        // Malformed ids are 400, unknown ones 404, both with an error object; never a crash.
        const std::string zeros(64, '0');
        const std::vector<std::pair<std::string, int>> cases = {
            {"/api/block/xyz", 400},
            {"/api/block/" + zeros, 404},
            {"/api/tx/12", 400},
            {"/api/tx/" + zeros, 404},
            {"/api/address/%%%", 400},
            {"/api/address/Nobody", 404},
            {"/api/tree?limit=0", 400},
            {"/api/tree?limit=1001", 400},
            {"/api/tree?limit=abc", 400},
            {"/no/such/page", 404},
            {"/api/block/" + zeros + "00", 400}};
        for (const auto& [target, status] : cases) {
            HttpResult r = http_get(http, target);
            CHECK_MESSAGE(r.status == status, target << " -> " << r.status << " " << r.body);
            CHECK_MESSAGE(!error_code_of(r).empty(), target << " -> " << r.body);
        }
        CHECK(api(http, "/api/tree?limit=1000"));
        CHECK(api(http, "/api/address/" + encode_address(faucet.owner())));
        CHECK(explorer->running());
        CHECK(explorer->stop() == 0);
    }

    TEST_CASE("the observer role: a backlog on subscribe, live arrivals, nothing but queries") {
        TempDir dir("explorer-observer");
        int boot = free_port(), m1 = free_port();
        auto bootstrap =
            start_bootstrap(dir, boot, {"--difficulty-bits", "8", "--heartbeat-interval", "1"});
        NetworkInfo info = fetch_network(boot);
        const Hash256& network = info.genesis_hash;
        Faucet faucet(dir / "bootstrap" / "faucet.key", info);
        auto miner = start_miner(dir, "M1", m1, boot, kMineEachTx);
        mine_tx(m1, network, faucet);
        mine_tx(m1, network, faucet);

        net::ConnectOptions options;
        options.session.hello.role = wire::ROLE_OBSERVER;
        options.session.hello.name = "explorer";
        options.session.hello.network_id = network.to_bytes();
        auto client =
            net::BlockingClient::connect("127.0.0.1", static_cast<std::uint16_t>(m1), options);
        REQUIRE(client);
        // Observers may not write: a transaction is refused, nothing reaches the mempool.
        wire::SubmitTx submit;
        submit.set_tx(raw_string(encode_transaction(pay_to(faucet, fresh_owner()))));
        auto refused = (*client)->call(net::make_envelope(submit), 10s);
        REQUIRE_FALSE(refused);
        CHECK(refused.error().code() == "observer-only");

        auto subscribed = (*client)->call(net::make_envelope(wire::ObserveSubscribe{}), 10s);
        REQUIRE(subscribed);
        REQUIRE(subscribed->has_observe_subscribed());
        CHECK(subscribed->observe_subscribed().backlog() == 2);
        std::vector<wire::BlockArrival> arrivals;
        bool tip = false, mempool = false;
        while (auto push = (*client)->wait_push(5s)) {
            if (push->has_block_arrivals()) {
                CHECK(push->block_arrivals().backlog());
                for (const auto& a : push->block_arrivals().blocks())
                    arrivals.push_back(a);
            }
            tip = tip || push->has_tip();
            mempool = mempool || push->has_mempool_view();
            if (tip && mempool)
                break;
        }
        REQUIRE(arrivals.size() == 2);
        CHECK(arrivals[0].height() == 1);
        CHECK(arrivals[1].height() == 2);
        CHECK(arrivals[1].from() == "self");
        CHECK(hash_of(arrivals[1].parent()) == hash_of(arrivals[0].hash()));
        CHECK(arrivals[0].arrived_ms() <= arrivals[1].arrived_ms());
        CHECK(arrivals[0].arrived_ms() > 1'600'000'000'000);
        CHECK(tip);
        CHECK(mempool);
        // A new block is pushed as it is accepted.
        mine_tx(m1, network, faucet);
        std::optional<wire::BlockArrival> live;
        while (auto push = (*client)->wait_push(10s))
            if (push->has_block_arrivals() && !push->block_arrivals().backlog()) {
                live = push->block_arrivals().blocks(0);
                break;
            }
        REQUIRE(live);
        CHECK(live->height() == 3);
        CHECK(live->tx_count() == 2);
    }

    TEST_CASE("explorer flags: --help and --version exit 0, a bad flag exits 1") {
        CHECK(run({bin("explorer"), "--help"}).exit_code == 0);
        auto version = run({bin("explorer"), "--version"});
        CHECK(version.exit_code == 0);
        CHECK(version.out.find("coinnet") != std::string::npos);
        CHECK(run({bin("explorer"), "--no-such-flag"}).exit_code == 1);
        CHECK(run({bin("explorer"), "--miner", "nonsense"}).exit_code == 1);
    }
}

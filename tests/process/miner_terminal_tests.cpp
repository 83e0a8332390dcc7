// The miner's terminal views and console words against running processes (issue 13, SPEC §3):
// `miner --chain` draws a real fork with who mined each block, `miner --block` shows a stale
// and an active block, `miner --mempool` lists fee order with dependencies, `--status --json`
// says why no block comes (`waiting`) and keeps its hash rate after the mining stopped, peer
// heights are current, and bad input is refused with a clear error and the right exit code.
#include <doctest/doctest.h>

#include <regex>

#include "tests/process/network_fixture.hpp"

using namespace coinnet;
using namespace coinnet::test;

namespace {

std::string endpoint(int port) {
    return "127.0.0.1:" + std::to_string(port);
}

nlohmann::json view_json(std::vector<std::string> args) {
    std::vector<std::string> argv = {bin("miner")};
    argv.insert(argv.end(), args.begin(), args.end());
    argv.push_back("--json");
    auto r = run(argv, 20s);
    REQUIRE_MESSAGE(r.exit_code == 0, r.output);
    return nlohmann::json::parse(r.out);
}

// Display columns of a UTF-8 line (the drawing's '·' and '≤' are one column each).
std::size_t columns(const std::string& line) {
    std::size_t n = 0;
    for (unsigned char c : line)
        n += (c & 0xC0) != 0x80;
    return n;
}

std::vector<std::string> lines_of(const std::string& text) {
    std::vector<std::string> lines;
    std::string line;
    for (char c : text) {
        if (c == '\n') {
            lines.push_back(line);
            line.clear();
        } else {
            line += c;
        }
    }
    return lines;
}

std::optional<std::uint32_t> peer_height(const nlohmann::json& status, const std::string& name) {
    for (const auto& p : status["peers"])
        if (p["name"] == name)
            return p["height"].get<std::uint32_t>();
    return std::nullopt;
}

}  // namespace

TEST_SUITE("miner views") {
    TEST_CASE("a fork drawn by --chain, its blocks shown by --block, current peer heights") {
        TempDir dir("views-fork");
        int boot_port = free_port();
        auto boot = start_bootstrap(dir, boot_port,
                                    {"--difficulty-bits", "8", "--heartbeat-interval", "1"});
        NetworkInfo info = fetch_network(boot_port);
        const Hash256& network = info.genesis_hash;
        Faucet faucet(dir / "bootstrap" / "faucet.key", info);
        std::vector<std::string> mine = {"--min-txs", "1", "--max-wait", "0", "--threads", "1"};
        int a = free_port(), b = free_port();

        // Apart: A mines one block alone, then B (which never saw it) mines two.
        auto miner_a = start_miner(dir, "A", a, boot_port, mine);
        Transaction tx_a = faucet.pay(1000);
        REQUIRE(submit_to(a, network, tx_a) == "");
        REQUIRE(eventually([&] { return height_of(a, network) == 1; }));
        std::string stale_hash = tip_hex(*status_of_miner(a, network));
        REQUIRE(miner_a->stop() == 0);
        auto miner_b = start_miner(dir, "B", b, boot_port, mine);
        REQUIRE(submit_to(b, network, faucet.pay(2000)) == "");
        REQUIRE(eventually([&] { return height_of(b, network) == 1; }));
        REQUIRE(submit_to(b, network, faucet.pay(3000)) == "");
        REQUIRE(eventually([&] { return height_of(b, network) == 2; }));

        // Joined: A reorganises onto B's longer chain and mines its abandoned payment again.
        miner_a = start_miner(dir, "A", a, boot_port, mine);
        REQUIRE(miner_a->wait_for("reorganisation depth 1", 30s));
        REQUIRE(eventually([&] {
            return height_of(a, network) == 3 && height_of(b, network) == 3 &&
                   tip_hex(*status_of_miner(a, network)) == tip_hex(*status_of_miner(b, network));
        }));
        CHECK(tx_status_at(a, network, compute_txid(tx_a))->height() == 3);
        // B got A's block from A and says how long after it was mined it arrived.
        CHECK(std::regex_search(miner_b->output(),
                                std::regex("at height 3 from miner A .*(arrived in the second it "
                                           "was mined|arrived [0-9]+ s after it was mined|"
                                           "timestamped [0-9]+ s ahead of our clock)")));

        // Heights of peers are current on both sides, including the block A sent to B.
        CHECK(eventually([&] {
            auto sa = miner_status(a), sb = miner_status(b);
            return peer_height(sa, "B") == 3u && peer_height(sb, "A") == 3u;
        }));

        {  // --chain --json: the stale block on its side branch, each block's miner
            auto chain = view_json({"--chain", endpoint(a), "10"});
            CHECK(chain["miner"] == "A");
            CHECK(chain["tip_height"] == 3);
            std::map<std::pair<int, bool>, nlohmann::json> by_place;
            for (const auto& blk : chain["blocks"])
                by_place[{blk["height"].get<int>(), blk["active"].get<bool>()}] = blk;
            REQUIRE(by_place.count({1, false}));
            CHECK(by_place[{1, false}]["hash"] == stale_hash);
            CHECK(by_place[{1, false}]["miner"] == "A");
            CHECK(by_place[{1, true}]["miner"] == "B");
            CHECK(by_place[{2, true}]["miner"] == "B");
            CHECK(by_place[{3, true}]["miner"] == "A");
            CHECK(by_place[{0, true}]["miner"] == "genesis");
            CHECK(by_place[{1, false}]["parent"] == by_place[{0, true}]["hash"]);
        }

        {  // --chain draws the branch in 80 columns
            auto r = run({bin("miner"), "--chain", endpoint(a)}, 20s);
            REQUIRE(r.exit_code == 0);
            auto lines = lines_of(r.out);
            for (const auto& line : lines)
                CHECK(columns(line) <= 80);
            std::string text = r.out;
            CHECK(text.find("stale") != std::string::npos);
            CHECK(text.find("|/") != std::string::npos);
            CHECK(std::regex_search(text,
                                    std::regex("\\| o +1  " + stale_hash.substr(0, 16) + "  A ")));
            CHECK(std::regex_search(text, std::regex("\\* +3  [0-9a-f]{16}  A .*tip")));
        }

        {  // --block: a stale block by hash prefix, an active one by height with its fee
            auto stale = view_json({"--block", endpoint(a), stale_hash.substr(0, 12)});
            CHECK(stale["hash"] == stale_hash);
            CHECK(stale["active"] == false);
            CHECK(stale["miner"] == "A");
            CHECK(stale["hash_zero_bits"].get<int>() >= stale["target_zero_bits"].get<int>());
            CHECK(stale["target_zero_bits"] == 8);
            auto second = view_json({"--block", endpoint(a), "2"});
            CHECK(second["active"] == true);
            CHECK(second["confirmations"] == 2);
            CHECK(second["miner"] == "B");
            REQUIRE(second["txs"].size() == 1);
            CHECK(second["txs"][0]["fee"] == 3000);
            CHECK(second["coinbase"][0]["amount"] == info.params.block_reward + 3000);
            auto text = run({bin("miner"), "--block", endpoint(a), stale_hash}, 20s);
            CHECK(text.exit_code == 0);
            CHECK(text.out.find("side branch") != std::string::npos);
            CHECK(text.out.find("leading zero bits") != std::string::npos);
        }

        {  // bad input: clear errors, exit 2 for what the miner refuses, 1 for usage
            auto past = run({bin("miner"), "--block", endpoint(a), "99"}, 20s);
            CHECK(past.exit_code == 2);
            CHECK(past.output.find("error: no block at height 99: the tip is at 3") !=
                  std::string::npos);
            auto unknown =
                run({bin("miner"), "--block", endpoint(a), std::string(64, 'f'), "--json"}, 20s);
            CHECK(unknown.exit_code == 2);
            CHECK(nlohmann::json::parse(unknown.out)["error"]["code"] == "unknown-block");
            auto no_prefix = run({bin("miner"), "--block", endpoint(a), "ffffffffff"}, 20s);
            CHECK(no_prefix.exit_code == 2);
            auto malformed = run({bin("miner"), "--block", endpoint(a), "not-a-hash"}, 20s);
            CHECK(malformed.exit_code == 1);
            CHECK(malformed.output.find("neither a height nor a block hash") != std::string::npos);
            for (std::string n : {"0", "1001", "ten"}) {
                auto bad_count = run({bin("miner"), "--chain", endpoint(a), n}, 20s);
                CHECK(bad_count.exit_code == 1);
            }
            auto closed = run({bin("miner"), "--mempool", endpoint(free_port())}, 20s);
            CHECK(closed.exit_code == 3);
        }
    }

    TEST_CASE("--mempool: fee order and dependencies; waiting says why no block comes") {
        MinerNetwork n("views-mempool", {"--min-txs", "4", "--max-wait", "600", "--threads", "1"});
        const Hash256& network = n.network.genesis_hash;
        auto status = miner_status(n.miner_port);
        CHECK(status["waiting"] == "0/4 txs or 600 s");
        CHECK(status["mining"] == false);
        // A parent (fee 1000), its child paying more (fee 5000), an unrelated one (fee 2000).
        Transaction parent = n.faucet->pay(1000);
        Transaction child = n.faucet->spend(output_of(parent), 5000);
        Transaction other = n.faucet->pay(2000);
        for (const Transaction* tx : {&parent, &child, &other})
            REQUIRE(submit_to(n.miner_port, network, *tx) == "");
        auto pool = view_json({"--mempool", endpoint(n.miner_port)});
        CHECK(pool["total"] == 3);
        REQUIRE(pool["txs"].size() == 3);
        CHECK(pool["txs"][0]["txid"] == compute_txid(child).hex());
        CHECK(pool["txs"][1]["txid"] == compute_txid(other).hex());
        CHECK(pool["txs"][2]["txid"] == compute_txid(parent).hex());
        CHECK(pool["txs"][0]["parents"] == nlohmann::json::array({compute_txid(parent).hex()}));
        CHECK(pool["txs"][2]["parents"].empty());
        auto text = run({bin("miner"), "--mempool", endpoint(n.miner_port)}, 20s);
        CHECK(text.out.find("after " + compute_txid(parent).hex().substr(0, 16)) !=
              std::string::npos);

        status = miner_status(n.miner_port);
        CHECK(std::regex_match(status["waiting"].get<std::string>(),
                               std::regex("3/4 txs or 600 s \\(oldest [0-9]+ s\\)")));
        // The status line says it too.
        CHECK(n.miner->wait_for("waiting: 3/4 txs or 600 s (oldest", 15s));

        // The fourth starts a block; once mined the miner waits again, and its hash rate is
        // still the rate it mined at (a 1-second sample read 0 H/s here).
        REQUIRE(submit_to(n.miner_port, network, n.faucet->pay(1500)) == "");
        REQUIRE(eventually([&] { return height_of(n.miner_port, network) == 1; }));
        CHECK(std::regex_search(
            n.miner->output(), std::regex("block 1 mined · [0-9a-f]{64} · nonce [0-9]+ · 4 txs · "
                                          "[0-9.]+ s · [0-9.]+ [kM]? ?hashes · [0-9.]+ [kM]?H/s")));
        CHECK(n.miner->output().find("14 bits · ~16.4 k hashes per block") != std::string::npos);
        auto start = std::chrono::steady_clock::now();
        while (std::chrono::steady_clock::now() - start < 2500ms) {
            auto s = miner_status(n.miner_port);
            CHECK(s["mining"] == false);
            CHECK(s["hashrate"].get<double>() > 0);
            CHECK(s["difficulty"] == "14 bits · ~16.4 k hashes per block");
        }
    }

    TEST_CASE("a mining miner reports an empty waiting; the faucet grant is named as such") {
        MinerNetwork n("views-mining", {"--min-txs", "0", "--threads", "1"},
                       {"--difficulty-bits", "20"});
        CHECK(eventually([&] {
            auto s = miner_status(n.miner_port);
            return s["mining"] == true && s["waiting"] == "" && s["hashrate"].get<double>() > 0;
        }));
        auto c = connect_client(n.bootstrap_port, n.network.genesis_hash.to_bytes());
        auto reg = c->call(net::make_envelope(signed_wallet_registration(
                               PrivateKey::generate(), "Adam", n.network.genesis_hash)),
                           10s);
        REQUIRE(reg);
        CHECK(n.miner->wait_for("accepted from the bootstrap's faucet", 30s));
        CHECK(n.miner->output().find("from wallet bootstrap") == std::string::npos);
    }
}

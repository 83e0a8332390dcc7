// The wallet executable against a real bootstrap and miners on 127.0.0.1 (SPEC §4, issue 7):
// faucet grants exactly once, payments in a ring with balances exact to the unit, refusals
// and their exit codes, moving to another miner with a payment still pending, piped and
// one-shot JSON output, keys (0600, passphrase, imported reward key) and --auto.
#include "tests/process/wallet_fixture.hpp"

using namespace coinnet::test::wallet_fixture;

TEST_SUITE("wallet process") {
    TEST_CASE("five wallets: one grant each, a ring of payments, exact balances, refusals") {
        TestNetwork net("wallet-ring", {"--min-txs", "1", "--max-wait", "1"},
                        {"--difficulty-bits", "8", "--coinbase-maturity", "2"});
        net.add_miner("M1");
        net.add_miner("M2");
        const std::vector<std::string> names = {"Adam", "Bob", "Conor", "David", "Evan"};

        // First start: a key (mode 0600), registration, and the 100-coin grant.
        for (const auto& name : names) {
            auto r = net.wallet(name, {"balance", "--json"});
            INFO(r.output);
            REQUIRE(r.exit_code == 0);
            auto b = json::parse(r.out);
            CHECK(b["confirmed"].get<std::int64_t>() + b["pending"].get<std::int64_t>() <=
                  coins(100));
            CHECK(r.output.find("registered wallet " + name) != std::string::npos);
            struct stat st {};
            REQUIRE(::stat((net.dir / ("wallet-" + name) / "wallet.key").c_str(), &st) == 0);
            CHECK((st.st_mode & 0777) == 0600);
        }
        for (const auto& name : names)
            CHECK(eventually([&] { return net.settled_at(name, coins(100)); }, 30s));
        CHECK(bootstrap_status(net.bootstrap_port)["faucet"]["granted"] == 5);

        // The address never changes across starts.
        auto address = net.wallet_json("Adam", {"address"})["address"];
        CHECK(net.wallet_json("Adam", {"address"})["address"] == address);

        // A ring of payments, through both miners.
        struct Payment {
            std::string from, to, amount, fee, miner;
        };
        const std::vector<Payment> ring = {
            {"Adam", "Bob", "10", "0.5", "M1"},       {"Bob", "Conor", "20", "0", "M2"},
            {"Conor", "David", "5.25", "0.01", "M1"}, {"David", "Evan", "1", "0", "M2"},
            {"Evan", "Adam", "30", "0.1", "M1"},
        };
        std::vector<std::string> txids;
        for (const auto& p : ring) {
            std::vector<std::string> args = {"--miner", net.miner_endpoint(p.miner), "send", p.to,
                                             p.amount};
            if (p.fee != "0")
                args.push_back(p.fee);
            auto sent = net.wallet_json(p.from, args);
            CHECK(sent.size() == 3);
            CHECK(sent["status"] == "accepted");
            CHECK(sent["miner"] == p.miner);
            CHECK(sent["txid"].get<std::string>().size() == 64);
            txids.push_back(sent["txid"]);
        }
        const std::map<std::string, std::int64_t> expected = {
            {"Adam", coins(100 - 10.5 + 30)},  {"Bob", coins(100 + 10 - 20)},
            {"Conor", coins(100 + 20 - 5.26)}, {"David", coins(100 + 5.25 - 1)},
            {"Evan", coins(100 + 1 - 30.1)},
        };
        for (const auto& [name, units] : expected) {
            INFO(name);
            CHECK(eventually([&] { return net.settled_at(name, units); }, 30s));
        }

        // History names counterparties, with fees and confirmations.
        auto history = net.wallet_json("Adam", {"history"});
        REQUIRE(history.is_array());
        REQUIRE(history.size() == 3);
        // Newest first: the grant, oldest, comes last.
        CHECK(history[2]["direction"] == "received");
        CHECK(history[2]["counterparty"] == "faucet");
        CHECK(history[2]["amount"] == coins(100));
        json sent_to_bob, from_evan;
        for (const auto& h : history) {
            CHECK(h.size() == 7);
            CHECK(h["confirmations"].get<int>() >= 1);
            CHECK(h["height"].get<int>() >= 1);
            if (h["txid"] == txids[0])
                sent_to_bob = h;
            if (h["txid"] == txids[4])
                from_evan = h;
        }
        CHECK(sent_to_bob["direction"] == "sent");
        CHECK(sent_to_bob["counterparty"] == "Bob");
        CHECK(sent_to_bob["amount"] == coins(10));
        CHECK(sent_to_bob["fee"] == coins(0.5));
        CHECK(from_evan["direction"] == "received");
        CHECK(from_evan["counterparty"] == "Evan");
        CHECK(from_evan["amount"] == coins(30));
        CHECK(from_evan["fee"] == 0);

        // One transaction in full, by the short id history prints: Adam's payment to Bob
        // spent the grant, paid Bob and came back as change.
        const std::string short_id = txids[0].substr(0, 12);
        auto shown = net.wallet("Adam", {"tx", short_id});
        INFO(shown.output);
        CHECK(shown.exit_code == 0);
        CHECK(shown.out.find("tx " + txids[0]) != std::string::npos);
        CHECK(shown.out.find("sent 10 coins to Bob · fee 0.5") != std::string::npos);
        CHECK(shown.out.find("this wallet (change)") != std::string::npos);
        auto shown_json = net.wallet_json("Adam", {"tx", txids[0]});
        CHECK(shown_json["height"].get<int>() >= 1);
        CHECK(shown_json["block"].get<std::string>().size() == 64);
        REQUIRE(shown_json["outputs"].size() == 2);
        CHECK(shown_json["outputs"][0]["who"] == "Bob");
        CHECK(shown_json["outputs"][1]["ours"] == true);
        CHECK(shown_json["inputs"][0]["who"] == "this wallet");
        CHECK(net.wallet("Adam", {"tx", "zz"}).exit_code == 1);
        auto unknown_tx = net.wallet("Adam", {"tx", "00000000"});
        CHECK(unknown_tx.exit_code == 2);
        CHECK(unknown_tx.output.find("(unknown-tx)") != std::string::npos);

        // Refusals: one clear line, exit code 2 (1 for usage).
        auto overspend = net.wallet("Bob", {"send", "Adam", "1000"});
        CHECK(overspend.exit_code == 2);
        CHECK(overspend.output.find("error: ") != std::string::npos);
        CHECK(overspend.output.find("(insufficient-funds)") != std::string::npos);
        auto overspend_json = net.wallet("Bob", {"send", "Adam", "90", "0.00000001", "--json"});
        CHECK(overspend_json.exit_code == 2);
        CHECK(json::parse(overspend_json.out)["error"]["code"] == "insufficient-funds");
        auto unknown = net.wallet("Bob", {"send", "Nobody", "1", "--json"});
        CHECK(unknown.exit_code == 2);
        CHECK(json::parse(unknown.out)["error"]["code"] == "unknown-name");
        auto lower_case = net.wallet("Bob", {"send", "adam", "1"});
        CHECK(lower_case.exit_code == 2);
        CHECK(lower_case.output.find("did you mean Adam?") != std::string::npos);
        CHECK(lower_case.output.find("(unknown-name)") != std::string::npos);
        auto bad_amount = net.wallet("Bob", {"send", "Adam", "1.123456789"});
        CHECK(bad_amount.exit_code == 2);
        CHECK(bad_amount.output.find("(bad-amount)") != std::string::npos);
        CHECK(net.wallet("Bob", {"send", "Adam"}).exit_code == 1);
        CHECK(net.wallet("Bob", {"frobnicate"}).exit_code == 1);
        CHECK(net.settled_at("Bob", expected.at("Bob")));  // nothing left Bob
        // Paying oneself is allowed, and said: without a fee nothing leaves.
        auto to_self = net.wallet("Bob", {"send", "Bob", "1"});
        CHECK(to_self.exit_code == 0);
        CHECK(to_self.out.find("this wallet's own address") != std::string::npos);

        // The name is bound to its key: another key cannot take it.
        auto thief = run({bin("wallet"), "Adam", "--bootstrap",
                          "127.0.0.1:" + std::to_string(net.bootstrap_port), "--data-dir",
                          (net.dir / "thief").string(), "balance"},
                         30s);
        CHECK(thief.exit_code == 2);
        CHECK(thief.output.find("(name-taken)") != std::string::npos);
        CHECK(thief.output.find("no usual data dir holds") != std::string::npos);
        CHECK_FALSE(std::filesystem::exists(net.dir / "thief"));  // no stray key left behind
        // Adam's key where a learner keeps it (the default data dir under HOME): the refusal
        // of a second `wallet Adam` says where, and creates nothing.
        const auto home = net.dir / "home";
        std::filesystem::create_directories(home / ".coinnet" / "wallet-Adam");
        std::filesystem::copy_file(net.dir / "wallet-Adam" / "wallet.key",
                                   home / ".coinnet" / "wallet-Adam" / "wallet.key");
        auto again = run({"/usr/bin/env", "HOME=" + home.string(), bin("wallet"), "Adam",
                          "--bootstrap", "127.0.0.1:" + std::to_string(net.bootstrap_port),
                          "--data-dir", (net.dir / "again").string(), "balance"},
                         30s);
        INFO(again.output);
        CHECK(again.exit_code == 2);
        CHECK(again.output.find("kept in " + (home / ".coinnet" / "wallet-Adam").string()) !=
              std::string::npos);
        CHECK_FALSE(std::filesystem::exists(net.dir / "again"));

        // Restarting the bootstrap (and the wallets) grants nothing twice.
        net.restart_bootstrap();
        for (const auto& name : names) {
            auto r = net.wallet(name, {"balance", "--json"});
            INFO(r.output);
            CHECK(r.exit_code == 0);
            CHECK(r.output.find("registered wallet") == std::string::npos);
        }
        CHECK(bootstrap_status(net.bootstrap_port)["faucet"]["granted"] == 5);
        for (const auto& [name, units] : expected)
            CHECK(net.settled_at(name, units));
    }

    TEST_CASE("piped commands print one result each and exit at the end of input") {
        TestNetwork net("wallet-piped", {"--min-txs", "1", "--max-wait", "1"});
        net.add_miner("M1");
        net.wallet_json("Bob", {"balance"});
        net.wallet_json("Adam", {"balance"});
        CHECK(eventually([&] { return net.settled_at("Adam", coins(100)); }, 30s));
        CHECK(eventually([&] { return net.settled_at("Bob", coins(100)); }, 30s));

        auto text = net.wallet("Adam", {},
                               "balance\n\n# a comment\naddress\nsend Bob 2.5\nwallets\nhelp\n");
        INFO(text.output);
        CHECK(text.exit_code == 0);
        std::istringstream lines(text.out);
        std::string line;
        std::getline(lines, line);
        CHECK(line == "confirmed 100 · pending 0 · available 100 coins");
        std::getline(lines, line);
        CHECK(line == net.wallet_json("Adam", {"address"})["address"]);
        std::getline(lines, line);
        CHECK(line.find("sent 2.5 coins to Bob · tx ") == 0);
        CHECK(line.find("accepted by miner M1") != std::string::npos);
        CHECK(text.out.find("Adam ") != std::string::npos);
        CHECK(text.out.find("send NAME|ADDRESS AMOUNT [FEE]") != std::string::npos);

        // With --json every result is one JSON line; a failed command sets the exit code and
        // the session goes on.
        auto j = net.wallet("Adam", {"--json"},
                            "balance\nsend Bob 5000\nsend Bob 1 0.5\nhistory\nexit\nbalance\n");
        INFO(j.output);
        CHECK(j.exit_code == 2);
        std::istringstream jl(j.out);
        std::vector<json> results;
        while (std::getline(jl, line))
            results.push_back(json::parse(line));
        REQUIRE(results.size() == 4);  // nothing after exit
        CHECK(results[0].size() == 3);
        CHECK(results[0].contains("confirmed"));
        CHECK(results[0].contains("pending"));
        CHECK(results[0].contains("available"));
        CHECK(results[1]["error"]["code"] == "insufficient-funds");
        CHECK(results[2]["status"] == "accepted");
        CHECK(results[2]["miner"] == "M1");
        REQUIRE(results[3].is_array());
        CHECK(results[3].size() == 3);  // grant, 2.5 to Bob, 1 to Bob
        CHECK(eventually([&] { return net.settled_at("Adam", coins(100 - 2.5 - 1.5)); }, 30s));
        CHECK(eventually([&] { return net.settled_at("Bob", coins(100 + 2.5 + 1)); }, 30s));
    }

    TEST_CASE("at a terminal: prompt with the balance, completion, payments shown as they arrive") {
        TestNetwork net("wallet-terminal", {"--min-txs", "1", "--max-wait", "1"});
        net.add_miner("M1");
        net.wallet_json("Bob", {"balance"});
        net.wallet_json("Adam", {"balance"});
        CHECK(eventually([&] { return net.settled_at("Adam", coins(100)); }, 30s));
        CHECK(eventually([&] { return net.settled_at("Bob", coins(100)); }, 30s));

        Terminal adam(net.wallet_argv("Adam", {}));
        REQUIRE(adam.wait_for("Adam [100 coins]> "));
        // Tab completes commands and, after send, wallet names.
        adam.type("bal\t");
        REQUIRE(adam.wait_for("ance"));
        adam.type("\r");
        auto at = adam.wait_for("confirmed 100 · pending 0 · available 100 coins");
        REQUIRE(at);
        REQUIRE(adam.wait_for("Adam [100 coins]> ", 20s, *at));
        adam.type("send B\t");
        at = adam.wait_for("ob", 20s, *at);
        REQUIRE(at);
        adam.type("2.5\r");
        at = adam.wait_for("sent 2.5 coins to Bob", 20s, *at);
        REQUIRE(at);
        at = adam.wait_for("payment of 2.5 coins to Bob confirmed at height", 20s, *at);
        REQUIRE(at);
        at = adam.wait_for("Adam [97.5 coins]> ", 20s, *at);
        REQUIRE(at);

        // A payment arrives while a command is half typed: it is printed above the prompt,
        // which comes back with the half-typed line and the new balance.
        adam.type("hist");
        REQUIRE(adam.wait_for("hist", 20s, *at));
        net.wallet_json("Bob", {"send", "Adam", "5"});
        at = adam.wait_for("payment of 5 coins from Bob confirmed at height", 20s, *at);
        REQUIRE(at);
        at = adam.wait_for("Adam [102.5 coins]> hist", 20s, *at);
        REQUIRE(at);
        adam.type("ory\r");
        at = adam.wait_for("received", 20s, *at);
        REQUIRE(at);
        CHECK(adam.wait_for("Bob", 20s, *at));

        // A one-shot send from Adam's own data dir while the prompt runs: the change that comes
        // back is Adam's own, never "received from Bob".
        auto elsewhere = net.wallet_json("Adam", {"send", "Bob", "1"});
        at = adam.wait_for("sent by another process with this key", 20s, *at);
        REQUIRE(at);
        CHECK(adam.screen().find("from Bob · tx " + elsewhere["txid"].get<std::string>().substr(
                                                        0, 12)) == std::string::npos);
        adam.type("exit\r");
        CHECK(adam.wait_exit() == 0);
        INFO(adam.screen());
        CHECK(adam.screen().find("error") == std::string::npos);
    }

    TEST_CASE("the wallet's miner is killed and its pending payment still confirms") {
        // Blocks need two waiting transactions, so a lone payment stays pending.
        TestNetwork net("wallet-failover", {"--min-txs", "2", "--max-wait", "0"});
        net.add_miner("M1");
        net.add_miner("M2");
        net.wallet_json("Adam", {"balance"});
        net.wallet_json("Bob", {"balance"});
        CHECK(eventually([&] { return net.settled_at("Adam", coins(100)); }, 30s));
        CHECK(eventually([&] { return net.settled_at("Bob", coins(100)); }, 30s));

        auto sent =
            net.wallet_json("Adam", {"--miner", net.miner_endpoint("M1"), "send", "Bob", "7"});
        REQUIRE(sent["miner"] == "M1");
        // The grant coin is spent by the waiting payment; its change is pending.
        auto before = net.wallet_json("Adam", {"--miner", net.miner_endpoint("M1"), "balance"});
        CHECK(before["confirmed"] == 0);
        CHECK(before["pending"] == coins(93));
        CHECK(before["available"] == coins(93));
        CHECK(read_file(net.dir / "wallet-Adam" / "pending").find(' ') != std::string::npos);

        // Its miner dies: the wallet moves to M2 and still sees the payment.
        net.miners["M1"]->stop(SIGKILL);
        auto moved = net.wallet("Adam", {"--miner", net.miner_endpoint("M1"), "balance", "--json"});
        INFO(moved.output);
        REQUIRE(moved.exit_code == 0);
        CHECK(json::parse(moved.out)["pending"] == coins(93));

        // M2 restarts with an empty mempool: the wallet re-submits what M2 lacks.
        net.miners["M2"]->stop(SIGKILL);
        net.restart_miner("M2");
        auto again = net.wallet("Adam", {"balance", "--json"});
        INFO(again.output);
        REQUIRE(again.exit_code == 0);
        CHECK(json::parse(again.out)["pending"] == coins(93));
        // (A miner keeps its mempool in memory only, so the restarted M2 lacked the payment.)
        CHECK(again.output.find("re-submitted pending tx") != std::string::npos);

        // A second payment makes a block: both confirm, balances exact.
        net.wallet_json("Bob", {"send", "Adam", "1"});
        CHECK(eventually([&] { return net.settled_at("Adam", coins(94)); }, 30s));
        CHECK(eventually([&] { return net.settled_at("Bob", coins(106)); }, 30s));
        auto history = net.wallet_json("Adam", {"history"});
        bool confirmed = false;
        for (const auto& h : history)
            if (h["txid"] == sent["txid"])
                confirmed = h["confirmations"].get<int>() >= 1;
        CHECK(confirmed);
        CHECK(read_file(net.dir / "wallet-Adam" / "pending").empty());
    }
}

// The wallet executable against a real bootstrap and miners on 127.0.0.1 (SPEC §4, issue 7):
// faucet grants exactly once, payments in a ring with balances exact to the unit, refusals
// and their exit codes, moving to another miner with a payment still pending, piped and
// one-shot JSON output, keys (0600, passphrase, imported reward key) and --auto.
#include "tests/process/wallet_fixture.hpp"

using namespace coinnet::test::wallet_fixture;

TEST_SUITE("wallet process modes") {
    TEST_CASE("--auto pays other wallets, keeps going when its miner dies, stops on SIGINT") {
        TestNetwork net("wallet-auto", {"--min-txs", "1", "--max-wait", "1"});
        net.add_miner("M1");
        net.add_miner("M2");
        for (const std::string name : {"Adam", "Bob", "Conor"})
            net.wallet_json(name, {"balance"});
        CHECK(eventually([&] { return net.settled_at("Adam", coins(100)); }, 30s));

        Process adam(
            net.wallet_argv("Adam", {"--miner", net.miner_endpoint("M1"), "--auto", "--min-delay",
                                     "0.2", "--max-delay", "0.4", "--seed", "7"}),
            net.dir / "adam-auto.log");
        REQUIRE(adam.wait_for("accepted by miner M1", 20s));
        auto at = adam.wait_for("confirmed at height", 20s);
        REQUIRE(at);
        net.miners["M1"]->stop(SIGKILL);
        auto lost = adam.wait_for("lost miner M1", 20s, *at);
        REQUIRE(lost);
        auto moved = adam.wait_for("accepted by miner M2", 20s, *lost);
        REQUIRE(moved);
        auto next = adam.wait_for("accepted by miner M2", 20s, *moved);
        REQUIRE(next);
        CHECK(adam.wait_for("confirmed at height", 20s, *next));
        CHECK(adam.stop(SIGINT) == 0);
        std::string out = adam.output();
        INFO(out);
        CHECK(count_of(out, "accepted by miner") >= 3);
        CHECK(out.find("refused") == std::string::npos);
        CHECK(out.find("stopping") != std::string::npos);

        // Every coin is accounted for: what the others received is what Adam paid.
        auto adam_history = net.wallet_json("Adam", {"history"});
        std::int64_t paid = 0, fees = 0;
        for (const auto& h : adam_history)
            if (h["direction"] == "sent") {
                paid += h["amount"].get<std::int64_t>();
                fees += h["fee"].get<std::int64_t>();
            }
        CHECK(paid > 0);
        CHECK(eventually(
            [&] {
                auto a = net.balance("Adam"), b = net.balance("Bob"), c = net.balance("Conor");
                auto total = [](const json& j) {
                    return j["confirmed"].get<std::int64_t>() + j["pending"].get<std::int64_t>();
                };
                return a["pending"] == 0 && total(a) == coins(100) - paid - fees &&
                       total(b) + total(c) == coins(200) + paid;
            },
            30s));
    }

    TEST_CASE("keys: passphrase encryption, and a miner's reward key imported to spend rewards") {
        TestNetwork net("wallet-keys", {"--min-txs", "0"},
                        {"--difficulty-bits", "8", "--coinbase-maturity", "2"});
        net.add_miner("M1");
        std::ofstream(net.dir / "pass") << "correct horse\n";
        auto first = net.wallet(
            "Secret", {"--passphrase-file", (net.dir / "pass").string(), "address", "--json"});
        INFO(first.output);
        REQUIRE(first.exit_code == 0);
        CHECK(read_file(net.dir / "wallet-Secret" / "wallet.key").find("scrypt-aes-256-gcm") !=
              std::string::npos);
        auto locked = net.wallet("Secret", {"address"});
        CHECK(locked.exit_code == 1);
        CHECK(locked.output.find("keyfile-needs-passphrase") != std::string::npos);
        auto again = net.wallet(
            "Secret", {"--passphrase-file", (net.dir / "pass").string(), "address", "--json"});
        CHECK(json::parse(again.out)["address"] == json::parse(first.out)["address"]);

        // The miner mines continuously; its rewards are spendable once mature.
        auto reward_key = net.dir / "miner-M1" / "reward.key";
        auto imported =
            net.wallet("Rewards", {"--import-key", reward_key.string(), "balance", "--json"});
        INFO(imported.output);
        REQUIRE(imported.exit_code == 0);
        CHECK(eventually(
            [&] {
                auto b = net.balance("Rewards");
                return b["available"].get<std::int64_t>() >= coins(150);  // the grant and 5 rewards
            },
            60s));
        auto paid = net.wallet_json("Rewards", {"send", "Secret", "125"});
        CHECK(paid["status"] == "accepted");
        CHECK(eventually(
            [&] {
                auto r = net.wallet("Secret", {"--passphrase-file", (net.dir / "pass").string(),
                                               "balance", "--json"});
                return r.exit_code == 0 && json::parse(r.out)["confirmed"] == coins(225);
            },
            30s));
        // Another key cannot be imported over the wallet's own.
        auto conflict = net.wallet("Secret", {"--passphrase-file", (net.dir / "pass").string(),
                                              "--import-key", reward_key.string(), "address"});
        CHECK(conflict.exit_code == 2);
        CHECK(conflict.output.find("key-conflict") != std::string::npos);
    }

    TEST_CASE(
        "UTF-8 input, piped and at a terminal: refused with the character named, never altered") {
        TestNetwork net("wallet-utf8", {"--min-txs", "1", "--max-wait", "1"});
        net.add_miner("M1");
        net.wallet_json("Bob", {"balance"});
        net.wallet_json("Adam", {"balance"});
        CHECK(eventually([&] { return net.settled_at("Adam", coins(100)); }, 30s));

        // "Bøb" is not "Bb", and "2０" (a fullwidth zero) is not 2.
        auto piped = net.wallet("Adam", {},
                                "send B\xc3\xb8"
                                "b 1\nsend Bob 2\xef\xbc\x90\nbalance\n");
        INFO(piped.output);
        CHECK(piped.exit_code == 2);
        CHECK(piped.output.find("U+00F8") != std::string::npos);
        CHECK(piped.output.find("U+FF10") != std::string::npos);
        CHECK(piped.out.find("confirmed 100 · pending 0 · available 100 coins") !=
              std::string::npos);

        Terminal adam(net.wallet_argv("Adam", {}));
        REQUIRE(adam.wait_for("Adam [100 coins]> "));
        adam.type(
            "send B\xc3\xb8"
            "b 1\r");
        auto at = adam.wait_for("U+00F8");
        REQUIRE(at);
        // The word is echoed as typed, whole code points and all.
        CHECK(adam.screen().find("'B\xc3\xb8"
                                 "b'") != std::string::npos);
        adam.type("send Bob 2\xef\xbc\x90\r");
        at = adam.wait_for("U+FF10", 20s, *at);
        REQUIRE(at);
        REQUIRE(adam.wait_for("Adam [100 coins]> ", 20s, *at));
        adam.type("\x04");  // Ctrl-D
        CHECK(adam.wait_exit() == 0);
        CHECK(net.settled_at("Adam", coins(100)));  // nothing was sent
        CHECK(net.settled_at("Bob", coins(100)));
    }

    TEST_CASE("no bootstrap and no miner: exit code 3, usage errors 1") {
        TempDir dir("wallet-unreachable");
        int port = free_port();
        auto r = run({bin("wallet"), "Adam", "--bootstrap", "127.0.0.1:" + std::to_string(port),
                      "--data-dir", (dir / "w").string(), "balance", "--json"},
                     30s);
        CHECK(r.exit_code == 3);
        CHECK(json::parse(r.out)["error"]["code"] == "unreachable");
        // A mistyped command is a usage error before anything is opened or created.
        auto typo = run({bin("wallet"), "Adam", "--bootstrap", "127.0.0.1:" + std::to_string(port),
                         "--data-dir", (dir / "typo").string(), "frobnicate"},
                        30s);
        CHECK(typo.exit_code == 1);
        CHECK(typo.output.find("frobnicate") != std::string::npos);
        CHECK_FALSE(std::filesystem::exists(dir / "typo"));
        CHECK(run({bin("wallet")}, 10s).exit_code == 1);
        CHECK(run({bin("wallet"), "bad name!"}, 10s).exit_code == 1);
        CHECK(run({bin("wallet"), "Adam", "--auto", "balance"}, 10s).exit_code == 1);
        CHECK(run({bin("wallet"), "Adam", "--min-delay", "1"}, 10s).exit_code == 1);
        CHECK(run({bin("wallet"), "--help"}, 10s).exit_code == 0);
    }
}

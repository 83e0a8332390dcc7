// The one-shot JSON outputs, byte for byte as SPEC §4 shapes them (integer units, keys in
// SPEC order), and the text forms a person reads.
#include <doctest/doctest.h>

#include <algorithm>
#include <sstream>

#include "wallet/command_parser.hpp"
#include "wallet/report.hpp"

using namespace coinnet;
using namespace coinnet::wallet;

TEST_SUITE("wallet report") {
    TEST_CASE("balance JSON is {confirmed, pending, available} in units") {
        Report r = balance_report(Balance{8'950'000'000, 100, 8'950'000'100});
        CHECK(r.json.dump() == R"({"confirmed":8950000000,"pending":100,"available":8950000100})");
        CHECK(r.text == "confirmed 89.5 · pending 0.000001 · available 89.500001 coins");
    }

    TEST_CASE("send JSON is {txid, miner, status}") {
        SendReceipt s{std::string(64, 'a'), "Miner1", "accepted", "Bob", 10 * kCoin, kCoin / 2};
        Report r = send_report(s);
        CHECK(r.json.dump() ==
              R"({"txid":")" + std::string(64, 'a') + R"(","miner":"Miner1","status":"accepted"})");
        CHECK(r.text.find("sent 10 coins to Bob (fee 0.5)") == 0);
        CHECK(r.text.find("accepted by miner Miner1") != std::string::npos);
    }

    TEST_CASE(
        "history JSON is an array of {txid, direction, counterparty, amount, fee, "
        "confirmations, height}") {
        std::vector<HistoryRow> rows = {
            {std::string(64, 'b'), "sent", "Bob", 1'000'000'000, 50'000'000, 3, 7},
            {std::string(64, 'c'), "received", "faucet", 10'000'000'000, 0, 0, 0},
        };
        Report r = history_report(rows);
        // Newest first: the unconfirmed grant leads.
        CHECK(r.json.dump() ==
              R"([{"txid":")" + std::string(64, 'c') +
                  R"(","direction":"received","counterparty":"faucet","amount":10000000000,)"
                  R"("fee":0,"confirmations":0,"height":0},{"txid":")" +
                  std::string(64, 'b') +
                  R"(","direction":"sent","counterparty":"Bob","amount":1000000000,"fee":50000000,)"
                  R"("confirmations":3,"height":7}])");
        CHECK(history_report({}).json.dump() == "[]");
        CHECK(history_report({}).text == "no transactions yet");
        // One header line and one line per entry.
        CHECK(std::count(r.text.begin(), r.text.end(), '\n') == 2);
    }

    TEST_CASE("history text: newest N first, 80 columns, short txids, decimal points aligned") {
        std::vector<HistoryRow> rows = {
            {std::string(64, '1'), "received", "faucet", 100 * kCoin, 0, 9, 1},
            {std::string(64, '2'), "sent", "Bob", 250'000'000, 12'345'678, 5, 5},
            {std::string(64, '3'), "received",
             "Bartholomew_the_very_long_named_wallet, Conor, David", 1'600'000, 0, 1, 9},
        };
        Report r = history_report(rows, 2);
        CHECK(r.json.size() == 2);
        CHECK(r.json[0]["txid"] == std::string(64, '3'));
        std::istringstream lines(r.text);
        std::string line;
        std::vector<std::string> all;
        while (std::getline(lines, line))
            all.push_back(line);
        REQUIRE(all.size() == 3);  // header and the two newest
        for (const std::string& l : all) {
            CAPTURE(l);
            CHECK(std::count_if(l.begin(), l.end(), [](char c) { return (c & 0xC0) != 0x80; }) <=
                  80);
        }
        CHECK(all[1].find(std::string(12, '3') + "\n") == std::string::npos);
        CHECK(all[1].find(std::string(13, '3')) == std::string::npos);  // short txid
        CHECK(all[1].find(std::string(12, '3')) != std::string::npos);
        CHECK(all[1].find("Bartholomew_the…") != std::string::npos);
        // "0.016" and "2.5" have their points in one column, as have the fees.
        CHECK(all[1].find("0.016") != std::string::npos);
        CHECK(all[1].find('.') == all[2].find('.'));
    }

    TEST_CASE("utxos list each coin with its state") {
        Hash256 txid;
        txid.bytes[31] = 1;
        CoinView view{{WalletCoin{OutPoint{txid, 1}, 10 * kCoin, 5, true, false},
                       WalletCoin{OutPoint{txid, 2}, 3, 0, false, true}},
                      6};
        Report r = utxos_report(view, 10);
        REQUIRE(r.json.size() == 2);
        CHECK(r.json[0]["spendable"] == false);
        CHECK(r.json[0]["confirmations"] == 2);
        CHECK(r.json[1]["spent_in_mempool"] == true);
        CHECK(r.text.find("immature coinbase") != std::string::npos);
        CHECK(r.text.find("spent (unconfirmed)") != std::string::npos);
    }

    TEST_CASE("coin amounts read naturally") {
        CHECK(coins_text(kCoin) == "1 coin");
        CHECK(coins_text(0) == "0 coins");
        CHECK(coins_text(1'250'000'000) == "12.5 coins");
    }

    TEST_CASE("help fits an 80-column terminal and lists every command") {
        const Report help = help_report();
        std::istringstream lines(help.text);
        std::string line;
        while (std::getline(lines, line)) {
            INFO(line);
            CHECK(line.size() <= 80);
        }
        CHECK(help.json.size() == command_table().size());
        CHECK(help.text.find("tx TXID") != std::string::npos);
    }
}

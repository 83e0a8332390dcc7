// The wallet's command grammar (shared by the prompt, piped stdin and one-shot runs) and the
// exit code each kind of failure maps to.
#include <doctest/doctest.h>

#include "wallet/command_parser.hpp"
#include "wallet/commands.hpp"

using namespace coinnet;
using namespace coinnet::wallet;

TEST_SUITE("wallet commands") {
    TEST_CASE("lines split on any run of blanks") {
        CHECK(split_words("  send   Bob\t10  ") == std::vector<std::string>{"send", "Bob", "10"});
        CHECK(split_words("").empty());
        CHECK(split_words(" \t ").empty());
    }

    TEST_CASE("send takes a payee, decimal coins and an optional fee") {
        struct Case {
            std::vector<std::string> words;
            Amount amount;
            Amount fee;
        };
        const Case cases[] = {
            {{"send", "Bob", "10"}, 10 * kCoin, 0},
            {{"send", "Bob", "12.5", "0.5"}, 1'250'000'000, 50'000'000},
            {{"send", "Bob", "0.00000001", "0"}, 1, 0},
            {{"send", "CaA27bq3s9p32T8t14rifQNNRdE1DxDVUS", "100"}, 100 * kCoin, 0},
        };
        for (const Case& c : cases) {
            auto command = parse_command(c.words);
            REQUIRE(command.ok());
            CHECK(command->kind == CommandKind::kSend);
            CHECK(command->to == c.words[1]);
            CHECK(command->amount == c.amount);
            CHECK(command->fee == c.fee);
        }
    }

    TEST_CASE("bad amounts and fees are refused with bad-amount, naming the text") {
        const std::vector<std::vector<std::string>> cases = {
            {"send", "Bob", "0"},   {"send", "Bob", "abc"},     {"send", "Bob", "1.123456789"},
            {"send", "Bob", "-5"},  {"send", "Bob", "10", "x"}, {"send", "Bob", "30000000"},
            {"send", "Bob", "1e3"},
        };
        for (const auto& words : cases) {
            auto command = parse_command(words);
            REQUIRE(!command.ok());
            CHECK(command.error().code() == "bad-amount");
            CHECK(exit_code_for(command.error()) == 2);
        }
        auto bad = parse_command({"send", "Bob", "abc"});
        CHECK(bad.error().message.find("'abc'") != std::string::npos);
    }

    TEST_CASE("unknown commands and wrong argument counts are usage errors (exit 1)") {
        const std::vector<std::vector<std::string>> cases = {
            {},
            {"frobnicate"},
            {"send"},
            {"send", "Bob"},
            {"send", "Bob", "1", "2", "3"},
            {"balance", "now"},
            {"history", "all"},
        };
        for (const auto& words : cases) {
            auto command = parse_command(words);
            REQUIRE(!command.ok());
            CHECK(command.error().code() == "usage");
            CHECK(exit_code_for(command.error()) == 1);
        }
    }

    TEST_CASE("every listed command parses, and quit is exit") {
        for (const CommandInfo& info : command_table()) {
            if (std::string(info.name) == "send" || std::string(info.name) == "tx")
                continue;  // they take arguments (below)
            auto command = parse_command({info.name});
            REQUIRE(command.ok());
        }
        CHECK(parse_command({"balance"})->kind == CommandKind::kBalance);
        CHECK(parse_command({"history"})->kind == CommandKind::kHistory);
        CHECK(parse_command({"utxos"})->kind == CommandKind::kUtxos);
        CHECK(parse_command({"address"})->kind == CommandKind::kAddress);
        CHECK(parse_command({"miners"})->kind == CommandKind::kMiners);
        CHECK(parse_command({"wallets"})->kind == CommandKind::kWallets);
        CHECK(parse_command({"help"})->kind == CommandKind::kHelp);
        CHECK(parse_command({"exit"})->kind == CommandKind::kExit);
        CHECK(parse_command({"quit"})->kind == CommandKind::kExit);
    }

    TEST_CASE("a bad amount says what is wrong once, without the code twice or the word whole") {
        auto precise = parse_command({"send", "Bob", "1.123456789"});
        REQUIRE_FALSE(precise.ok());
        CHECK(precise.error().code() == "bad-amount");
        CHECK(precise.error().message ==
              "bad amount '1.123456789': at most 8 decimal places (1 unit = 0.00000001 coins)");
        auto huge = parse_command({"send", "Bob", std::string(5000, '9')});
        REQUIRE_FALSE(huge.ok());
        CHECK(huge.error().message.size() < 120);
        CHECK(huge.error().message.find("more coins than can ever exist") != std::string::npos);
        auto word = parse_command({"send", "Bob", "abc"});
        CHECK(word.error().message == "bad amount 'abc': not decimal coins (write e.g. 12.5)");
    }

    TEST_CASE("tx takes 8 to 64 hex digits, as history prints them or whole") {
        auto shortened = parse_command({"tx", "E6D64A5D18BA"});
        REQUIRE(shortened.ok());
        CHECK(shortened->kind == CommandKind::kTx);
        CHECK(shortened->txid == "e6d64a5d18ba");
        CHECK(parse_command({"tx", std::string(64, 'a')}).ok());
        for (const std::string& bad :
             std::vector<std::string>{"e6d64a5", "xyz12345", "", std::string(65, 'a')}) {
            auto refused = parse_command({"tx", bad});
            REQUIRE_FALSE(refused.ok());
            CHECK(refused.error().code() == "usage");
        }
        CHECK(parse_command({"tx"}).error().code() == "usage");
        CHECK(parse_command({"tx", "e6d64a5d", "extra"}).error().code() == "usage");
    }

    TEST_CASE("failures map to SPEC exit codes") {
        CHECK(exit_code_for(fail(NetReason::kUnreachable, "")) == 3);
        CHECK(exit_code_for(fail(NetReason::kTimeout, "")) == 3);
        CHECK(exit_code_for(fail(NetReason::kDisconnected, "")) == 3);
        CHECK(exit_code_for(fail(WalletReason::kInsufficientFunds, "")) == 2);
        CHECK(exit_code_for(fail(DirectoryReason::kUnknownName, "")) == 2);
        CHECK(exit_code_for(fail(TxReason::kBadTxnsInputsMissingorspent, "")) == 2);
        CHECK(exit_code_for(fail(WalletReason::kUsage, "")) == 1);
    }
}

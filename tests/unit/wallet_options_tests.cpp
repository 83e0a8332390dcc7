// The wallet's command line: one-shot commands with --json anywhere, --auto and its delays,
// and the usage errors that exit with code 1.
#include <doctest/doctest.h>

#include "wallet/options.hpp"

using namespace coinnet;
using namespace coinnet::wallet;

namespace {
ParsedOptions parse(std::vector<std::string> args) {
    args.insert(args.begin(), "wallet");
    std::vector<const char*> argv;
    for (const auto& a : args)
        argv.push_back(a.c_str());
    return parse_wallet_options(static_cast<int>(argv.size()), argv.data());
}
}  // namespace

TEST_SUITE("wallet options") {
    TEST_CASE("a one-shot command keeps its words, --json may come anywhere") {
        auto p = parse({"Adam", "send", "Bob", "10", "0.5", "--json"});
        REQUIRE(p.options);
        CHECK(p.options->name == "Adam");
        CHECK(p.options->command == std::vector<std::string>{"send", "Bob", "10", "0.5"});
        CHECK(p.options->json);
        auto q = parse({"--json", "Bob", "--miner", "127.0.0.1:7001", "balance"});
        REQUIRE(q.options);
        CHECK(q.options->command == std::vector<std::string>{"balance"});
        REQUIRE(q.options->miner);
        CHECK(q.options->miner->port == 7001);
        CHECK(q.options->json);
    }

    TEST_CASE("defaults: bootstrap 127.0.0.1:9000, interactive, no --auto") {
        auto p = parse({"Adam"});
        REQUIRE(p.options);
        CHECK(p.options->bootstrap == HostPort{"127.0.0.1", 9000});
        CHECK(p.options->command.empty());
        CHECK(!p.options->auto_mode.enabled);
        CHECK(!p.options->miner);
        CHECK(p.options->auto_mode.min_delay == 5);
        CHECK(p.options->auto_mode.max_delay == 60);
    }

    TEST_CASE("--auto takes fractional delays and a seed") {
        auto p =
            parse({"Adam", "--auto", "--min-delay", "0.2", "--max-delay", "0.5", "--seed", "42"});
        REQUIRE(p.options);
        CHECK(p.options->auto_mode.enabled);
        CHECK(p.options->auto_mode.min_delay == doctest::Approx(0.2));
        CHECK(p.options->auto_mode.max_delay == doctest::Approx(0.5));
        REQUIRE(p.options->auto_mode.seed);
        CHECK(*p.options->auto_mode.seed == 42);
        CHECK(!parse({"Adam", "--auto"}).options->auto_mode.seed);
    }

    TEST_CASE("usage errors exit with code 1") {
        const std::vector<std::vector<std::string>> cases = {
            {},
            {"bad name"},
            {"Adam", "--auto", "balance"},
            {"Adam", "--min-delay", "1"},
            {"Adam", "--auto", "--min-delay", "9", "--max-delay", "2"},
            {"Adam", "--miner", "nowhere"},
            {"Adam", "--bootstrap", "host:0"},
            {"Adam", "--frobnicate"},
        };
        for (const auto& args : cases) {
            auto p = parse(args);
            CHECK(!p.options);
            CHECK(p.exit_code == 1);
        }
    }

    TEST_CASE("--help exits with code 0") {
        auto p = parse({"--help"});
        CHECK(!p.options);
        CHECK(p.exit_code == 0);
    }
}

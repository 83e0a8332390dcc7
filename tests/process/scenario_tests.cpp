// scripts/scenario: payments played on a private network, final balances checked exactly.
#include <doctest/doctest.h>

#include <fstream>

#include "tests/process/support/network.hpp"

using namespace coinnet::test;

namespace {
CommandResult play(const std::string& file) {
    return run({"/usr/bin/env", "COINNET_BIN=" + std::string(COINNET_BIN_DIR),
                std::string(COINNET_SOURCE_DIR) + "/scripts/scenario", file, "--base-port",
                std::to_string(free_port())},
               240s);
}
}  // namespace

TEST_SUITE("scenario") {
    TEST_CASE("the triangle scenario ends with every balance exact to the unit") {
        auto r = play(std::string(COINNET_SOURCE_DIR) + "/scripts/scenarios/triangle.json");
        INFO(r.output);
        CHECK(r.exit_code == 0);
        CHECK(r.out.find("scenario passed") != std::string::npos);
        CHECK(r.out.find("Alice        expected 9390000001     got 9390000001     ok") !=
              std::string::npos);
    }

    TEST_CASE("an overspend is refused and fails the scenario, a malformed file is a usage error") {
        TempDir dir("scenario-bad");
        {
            std::ofstream f(dir / "overspend.json");
            f << R"({"wallets":["Ann","Ben"],"steps":[{"sender":"Ann","receiver":"Ben","amount":"150"}]})";
        }
        auto r = play((dir / "overspend.json").string());
        INFO(r.output);
        CHECK(r.exit_code == 2);
        CHECK(r.out.find("REFUSED") != std::string::npos);
        CHECK(r.out.find("insufficient") != std::string::npos);
        {
            std::ofstream f(dir / "broken.json");
            f << R"({"steps": []})";
        }
        auto bad = play((dir / "broken.json").string());
        CHECK(bad.exit_code == 1);
        CHECK(bad.output.find("\"wallets\" must be") != std::string::npos);
    }
}

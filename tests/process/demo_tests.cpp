// End to end: the demo's whole network, headless, as a newcomer would run it (issue 8).
#include <doctest/doctest.h>

#include <cstdlib>
#include <regex>

#include "tests/process/support/network.hpp"

using namespace coinnet::test;

TEST_SUITE("demo end to end") {
    TEST_CASE(
        "the demo network converges, funds every wallet, confirms payments and keeps supply") {
        TempDir dir("demo");
        int base = free_port();
        // The demo needs base..base+3 free; a fresh ephemeral port's neighbours almost always are.
        std::string env_run = "COINNET_RUN_DIR=" + dir.str();
        std::string env_bin = "COINNET_BIN=" + std::string(COINNET_BIN_DIR);
        auto r = run(
            {"/usr/bin/env", env_run, env_bin, std::string(COINNET_SOURCE_DIR) + "/scripts/demo",
             "--no-build", "--headless", "--duration", "20", "--difficulty-bits", "16",
             "--base-port", std::to_string(base)},
            240s);
        INFO(r.output);
        CHECK(r.exit_code == 0);
        CHECK(r.out.find("all miners on one tip: yes") != std::string::npos);
        CHECK(r.out.find("supply check: OK") != std::string::npos);
        // Every wallet holds coins (its faucet grant at least, minus what it paid away).
        std::regex wallet_line(R"((Adam|Bob|Conor|David|Evan)\s+confirmed (\d+) units)");
        int funded = 0;
        for (auto it = std::sregex_iterator(r.out.begin(), r.out.end(), wallet_line);
             it != std::sregex_iterator(); ++it) {
            CAPTURE((*it)[0].str());
            CHECK(std::stoll((*it)[2].str()) > 0);
            ++funded;
        }
        CHECK(funded == 5);
        std::smatch m;
        REQUIRE(std::regex_search(r.out, m, std::regex(R"(payments confirmed: (\d+))")));
        CHECK(std::stoi(m[1].str()) > 0);
    }
}

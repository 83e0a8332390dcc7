// `--help` of every executable (SPEC §1): exit code 0 and every line within an 80-column
// terminal, so nothing runs on under the next option at the size the README assumes.
#include <doctest/doctest.h>

#include <sstream>

#include "tests/process/support/network.hpp"

using namespace coinnet::test;

namespace {
void check_fits_80_columns(const std::string& text) {
    std::istringstream lines(text);
    for (std::string line; std::getline(lines, line);) {
        CAPTURE(line);
        CHECK(line.size() <= 80);
    }
}
}  // namespace

TEST_SUITE("help") {
    TEST_CASE("every executable's --help exits 0 and fits 80 columns") {
        for (const char* tool : {"bootstrap", "miner", "wallet", "explorer"}) {
            CAPTURE(tool);
            auto r = run({bin(tool), "--help"}, 10s);
            CHECK(r.exit_code == 0);
            CHECK(r.out.find("--data-dir") != std::string::npos);
            check_fits_80_columns(r.out);
        }
    }

    TEST_CASE("the demo's, the scenario's and the lab's --help exit 0 and fit 80 columns") {
        const std::string scripts = std::string(COINNET_SOURCE_DIR) + "/scripts/";
        for (const char* script : {"demo", "scenario", "lab"}) {
            CAPTURE(script);
            // COLUMNS: the lab's argparse wraps to the terminal, which a test does not have.
            auto r = run({"/usr/bin/env", "COLUMNS=80", scripts + script, "--help"}, 20s);
            CHECK(r.exit_code == 0);
            CHECK(r.out.find("--") != std::string::npos);
            check_fits_80_columns(r.out);
        }
    }
}

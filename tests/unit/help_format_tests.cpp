// --help at an 80-column terminal: option descriptions are wrapped, not run on past the edge.
#include <doctest/doctest.h>

#include <sstream>

#include "common/node/common_options.hpp"
#include "common/node/help_format.hpp"

using namespace coinnet;

namespace {
std::size_t widest_line(const std::string& text) {
    std::size_t widest = 0;
    std::istringstream lines(text);
    for (std::string line; std::getline(lines, line);)
        widest = std::max(widest, line.size());
    return widest;
}
}  // namespace

TEST_SUITE("help format") {
    TEST_CASE("words wrap at the width, a longer word stands alone, line breaks stay") {
        CHECK(wrap_words("one two three four", 9) == "one two\nthree\nfour");
        CHECK(wrap_words("a supercalifragilistic word", 10) == "a\nsupercalifragilistic\nword");
        CHECK(wrap_words("first line\nsecond", 40) == "first line\nsecond");
        CHECK(wrap_words("  spaced   out  ", 40) == "spaced out");
        CHECK(wrap_words("", 10).empty());
    }

    TEST_CASE("every line of --help fits 80 columns, long descriptions included") {
        CLI::App app("A tool.");
        CommonOptions common;
        add_common_options(app, common);
        std::string bootstrap;
        app.add_option("--bootstrap", bootstrap,
                       "Bootstrap to learn the miners from (default 127.0.0.1:9000 unless only "
                       "--miner is given), asked again every few seconds for new miners")
            ->type_name("HOST:PORT");
        const std::string help = app.help();
        CHECK(help.find("--bootstrap HOST:PORT") != std::string::npos);
        CHECK(help.find("asked again every few seconds") != std::string::npos);
        CHECK(widest_line(help) <= 80);
    }
}

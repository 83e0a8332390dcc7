// "send bob 1" suggests Bob: which registered name the wallet offers for a mistyped payee.
#include <doctest/doctest.h>

#include "wallet/name_suggestion.hpp"

using namespace coinnet::wallet;

TEST_SUITE("wallet name suggestion") {
    const std::vector<std::string> names{"Adam", "Bob", "Conor", "David", "Evan", "Miner1"};

    TEST_CASE("letter case alone gives the name") {
        CHECK(closest_name("bob", names) == "Bob");
        CHECK(closest_name("ADAM", names) == "Adam");
        CHECK(closest_name("miner1", names) == "Miner1");
    }

    TEST_CASE("a typo or two, in proportion to the length") {
        CHECK(closest_name("Conr", names) == "Conor");
        CHECK(closest_name("Davdi", names) == "David");  // two letters swapped: one edit
        CHECK(closest_name("Evna", names) == "Evan");
        CHECK(closest_name("Exna", names) == std::nullopt);  // two edits of four is too many
        CHECK(closest_name("Bb", names) == std::nullopt);    // too short to guess from
    }

    TEST_CASE("nothing close, the name itself, or a huge word give no suggestion") {
        CHECK(closest_name("Zebulon", names) == std::nullopt);
        CHECK(closest_name("Bob", names) == std::nullopt);
        CHECK(closest_name("", names) == std::nullopt);
        CHECK(closest_name(std::string(5000, 'B'), names) == std::nullopt);
        CHECK(closest_name("bob", {}) == std::nullopt);
    }

    TEST_CASE("ties go to the earlier name") {
        CHECK(closest_name("Mark", {"Mary", "Mart"}) == "Mary");
    }
}

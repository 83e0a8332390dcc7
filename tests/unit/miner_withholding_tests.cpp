// --strategy selfish and --private (SPEC §10): which of our blocks are announced, and when.
// The selfish cases follow Eyal and Sirer's Algorithm 1 state by state.
#include <doctest/doctest.h>

#include "miner/withholding.hpp"

using namespace coinnet;
using namespace coinnet::miner;

namespace {

BlockRef ours(std::uint32_t height) {
    Hash256 h;
    h.bytes.fill(0);
    h.bytes[0] = static_cast<std::uint8_t>(height);
    h.bytes[1] = 0xee;
    return {h, height};
}

std::vector<Hash256> hashes(std::initializer_list<std::uint32_t> heights) {
    std::vector<Hash256> out;
    for (auto height : heights)
        out.push_back(ours(height).hash);
    return out;
}

Withholding selfish(std::uint32_t height = 10) {
    return Withholding({Strategy::kSelfish, false, 0}, height);
}

}  // namespace

TEST_SUITE("withholding") {
    TEST_CASE("honest announces every block at once") {
        Withholding w({Strategy::kHonest, false, 0}, 10);
        CHECK(w.on_own_block(ours(11)) == hashes({11}));
        CHECK(w.on_public_block(12).empty());
        CHECK_FALSE(w.isolated());
        CHECK(w.withheld() == 0);
    }

    TEST_CASE("selfish, lead 1 and the public catches up: publish, race, win with the next") {
        auto w = selfish();
        CHECK(w.on_own_block(ours(11)).empty());  // state 1: private
        CHECK(w.withholds(ours(11).hash));
        CHECK(w.on_public_block(11) == hashes({11}));     // state 0': race
        CHECK(w.on_own_block(ours(12)) == hashes({12}));  // we found the next: publish, win
        CHECK(w.withheld() == 0);
    }

    TEST_CASE("selfish race lost to an honest block: back to state 0") {
        auto w = selfish();
        (void)w.on_own_block(ours(11));
        (void)w.on_public_block(11);
        CHECK(w.on_public_block(12).empty());
        CHECK(w.on_own_block(ours(13)).empty());  // a fresh lead of 1 is kept private again
    }

    TEST_CASE("selfish, lead 2 and the public finds one: publish all") {
        auto w = selfish();
        (void)w.on_own_block(ours(11));
        CHECK(w.on_own_block(ours(12)).empty());
        CHECK(w.on_public_block(11) == hashes({11, 12}));
        CHECK(w.withheld() == 0);
    }

    TEST_CASE("selfish, lead above 2: one block per public block, the lead kept") {
        auto w = selfish();
        for (std::uint32_t h : {11u, 12u, 13u, 14u})
            CHECK(w.on_own_block(ours(h)).empty());
        CHECK(w.on_public_block(11) == hashes({11}));
        CHECK(w.on_public_block(12) == hashes({12}));
        CHECK(w.on_public_block(13) == hashes({13, 14}));  // lead 1 left: publish all
        CHECK(w.withheld() == 0);
    }

    TEST_CASE("selfish: a public chain that overtakes ours wins, ours is dropped") {
        auto w = selfish();
        (void)w.on_own_block(ours(11));
        CHECK(w.on_public_block(12).empty());  // e.g. two public blocks arrived at once
        CHECK(w.withheld() == 0);
        CHECK_FALSE(w.withholds(ours(11).hash));
    }

    TEST_CASE("selfish: old public blocks and side branches change nothing") {
        auto w = selfish();
        (void)w.on_own_block(ours(11));
        CHECK(w.on_public_block(9).empty());
        CHECK(w.on_public_block(10).empty());
        CHECK(w.withheld() == 1);
    }

    TEST_CASE("private withholds everything and ignores the public chain until released") {
        Withholding w({Strategy::kHonest, true, 0}, 10);
        CHECK(w.isolated());
        CHECK(w.on_own_block(ours(11)).empty());
        CHECK(w.on_own_block(ours(12)).empty());
        CHECK(w.on_public_block(20).empty());
        CHECK(w.release() == hashes({11, 12}));
        CHECK_FALSE(w.isolated());
        CHECK(w.on_own_block(ours(13)) == hashes({13}));  // honest from then on
    }

    TEST_CASE("private with --private-blocks N releases by itself after N") {
        Withholding w({Strategy::kHonest, true, 3}, 10);
        CHECK(w.on_own_block(ours(11)).empty());
        CHECK(w.on_own_block(ours(12)).empty());
        CHECK(w.on_own_block(ours(13)) == hashes({11, 12, 13}));
        CHECK_FALSE(w.isolated());
    }

    TEST_CASE("strategy names") {
        CHECK(parse_strategy("honest") == Strategy::kHonest);
        CHECK(parse_strategy("selfish") == Strategy::kSelfish);
        CHECK_FALSE(parse_strategy("greedy"));
    }
}

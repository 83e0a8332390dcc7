// What --auto draws: always affordable, never to nobody, reproducible from its seed, pauses
// within the configured bounds.
#include <doctest/doctest.h>

#include <algorithm>

#include "wallet/auto_plan.hpp"

using namespace coinnet;
using namespace coinnet::wallet;

TEST_SUITE("wallet auto plan") {
    TEST_CASE("every planned payment is affordable, at least the minimum, to one of the others") {
        const std::vector<std::string> others = {"Bob", "Conor", "David"};
        const Amount balances[] = {kAutoMinAmount * 2, kAutoMinAmount * 2 + kAutoMaxFee, kCoin,
                                   100 * kCoin, 12'345'678'901};
        for (std::uint64_t seed = 0; seed < 200; ++seed) {
            std::mt19937_64 rng(seed);
            for (Amount available : balances) {
                auto p = plan_payment(rng, others, available);
                REQUIRE(p.has_value());
                CHECK(p->amount >= kAutoMinAmount);
                CHECK(p->amount % kAutoAmountStep == 0);
                CHECK(p->fee >= 0);
                CHECK(p->fee <= kAutoMaxFee);
                CHECK(p->amount + p->fee <= available);
                CHECK(std::find(others.begin(), others.end(), p->to) != others.end());
            }
        }
    }

    TEST_CASE("nobody to pay, or too little, plans nothing") {
        std::mt19937_64 rng(1);
        CHECK(!plan_payment(rng, {}, 100 * kCoin));
        CHECK(!plan_payment(rng, {"Bob"}, 0));
        CHECK(!plan_payment(rng, {"Bob"}, kAutoMinAmount * 2 - 1));
    }

    TEST_CASE("the same seed plans the same payments") {
        std::mt19937_64 a(42), b(42);
        for (int i = 0; i < 20; ++i) {
            auto pa = plan_payment(a, {"Bob", "Conor"}, 50 * kCoin);
            auto pb = plan_payment(b, {"Bob", "Conor"}, 50 * kCoin);
            REQUIRE(pa);
            REQUIRE(pb);
            CHECK(pa->to == pb->to);
            CHECK(pa->amount == pb->amount);
            CHECK(pa->fee == pb->fee);
        }
    }

    TEST_CASE("pauses stay within [min, max], fractions included") {
        std::mt19937_64 rng(3);
        for (int i = 0; i < 500; ++i) {
            auto d = plan_delay(rng, 0.2, 0.5);
            CHECK(d.count() >= 200);
            CHECK(d.count() <= 500);
        }
        CHECK(plan_delay(rng, 5, 5).count() == 5000);
    }
}

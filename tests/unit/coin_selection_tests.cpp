#include <doctest/doctest.h>

#include "common/wallet/coin_selection.hpp"

using namespace coinnet;

namespace {
std::vector<SpendableCoin> coins_of(std::initializer_list<Amount> amounts) {
    std::vector<SpendableCoin> out;
    std::uint32_t i = 0;
    for (Amount a : amounts) {
        SpendableCoin c;
        c.outpoint.txid = sha256d(Bytes{static_cast<std::uint8_t>(i)});
        c.outpoint.index = i++;
        c.out.amount = a;
        out.push_back(c);
    }
    return out;
}

Amount sum(const CoinSelection& s) {
    Amount t = 0;
    for (const auto& c : s.coins)
        t += c.out.amount;
    return t;
}
}  // namespace

TEST_SUITE("coin_selection") {
    TEST_CASE("selection table: exact matches, minimal change, insufficient funds") {
        struct Case {
            const char* name;
            std::vector<SpendableCoin> coins;
            Amount target;
            Amount change;      // expected change (-1: refusal)
            std::size_t count;  // expected number of coins
        };
        const Case cases[] = {
            {"single coin exact", coins_of({5, 10, 20}), 10, 0, 1},
            {"two coins exact beat one big coin", coins_of({7, 3, 100}), 10, 0, 2},
            {"three coins exact", coins_of({2, 3, 5, 50}), 10, 0, 3},
            {"minimal change over largest-first", coins_of({100, 11, 12}), 20, 3, 2},
            {"single larger coin with least change", coins_of({30, 25, 4}), 24, 1, 1},
            {"all coins needed", coins_of({1, 2, 3}), 6, 0, 3},
            {"insufficient funds", coins_of({1, 2, 3}), 7, -1, 0},
            {"no coins", coins_of({}), 1, -1, 0},
        };
        for (const auto& c : cases) {
            CAPTURE(c.name);
            auto r = select_coins(c.coins, c.target);
            if (c.change < 0) {
                REQUIRE_FALSE(r.ok());
                CHECK(r.error().code() == "insufficient-funds");
                continue;
            }
            REQUIRE(r.ok());
            CHECK(r->change == c.change);
            CHECK(r->coins.size() == c.count);
            CHECK(sum(*r) == r->total);
            CHECK(r->total == c.target + c.change);
        }
    }

    TEST_CASE("insufficient funds names both figures") {
        auto r = select_coins(coins_of({100'000'000}), 250'000'000);
        REQUIRE_FALSE(r.ok());
        CHECK(r.error().message.find("2.5") != std::string::npos);
        CHECK(r.error().message.find("have 1") != std::string::npos);
    }

    TEST_CASE("thousands of coins still select quickly and cover the target") {
        std::vector<SpendableCoin> many;
        for (int i = 0; i < 3000; ++i) {
            SpendableCoin c;
            c.outpoint.txid =
                sha256d(Bytes{static_cast<std::uint8_t>(i), static_cast<std::uint8_t>(i >> 8)});
            c.outpoint.index = static_cast<std::uint32_t>(i);
            c.out.amount = 1000 + (i * 7919) % 100'000;
            many.push_back(c);
        }
        auto r = select_coins(many, 5'000'000);
        REQUIRE(r.ok());
        CHECK(r->total >= 5'000'000);
        CHECK(r->change == r->total - 5'000'000);
    }
}

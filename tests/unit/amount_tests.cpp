#include <doctest/doctest.h>

#include "common/primitives/amount.hpp"

using namespace coinnet;

TEST_SUITE("amount") {
    TEST_CASE("valid amounts parse exactly") {
        struct Case {
            const char* text;
            Amount units;
        };
        const Case cases[] = {
            {"12.5", 1'250'000'000},
            {"0.00000001", 1},
            {"100", 100 * kCoin},
            {"0", 0},
            {"1.", kCoin},
            {".5", 50'000'000},
            {"21000000", kMaxMoney},
            {"007.10", 710'000'000},
            {"20999999.99999999", kMaxMoney - 1},
        };
        for (const auto& c : cases) {
            CAPTURE(c.text);
            auto r = parse_amount(c.text);
            REQUIRE(r.ok());
            CHECK(*r == c.units);
        }
    }

    TEST_CASE("invalid amounts are refused with their own code") {
        struct Case {
            const char* text;
            const char* code;
        };
        const Case cases[] = {
            {"", "amount-empty"},
            {"-1", "amount-negative"},
            {"1.123456789", "amount-precision"},
            {"21000000.00000001", "amount-too-large"},
            {"999999999999999999999", "amount-too-large"},
            {"abc", "amount-syntax"},
            {"1.2.3", "amount-syntax"},
            {"1e5", "amount-syntax"},
            {".", "amount-syntax"},
            {" 1", "amount-syntax"},
            {"0x10", "amount-syntax"},
        };
        for (const auto& c : cases) {
            CAPTURE(c.text);
            auto r = parse_amount(c.text);
            REQUIRE_FALSE(r.ok());
            CHECK(r.error().code() == c.code);
        }
    }

    TEST_CASE("format_amount trims trailing zeros and round-trips") {
        CHECK(format_amount(1'250'000'000) == "12.5");
        CHECK(format_amount(1) == "0.00000001");
        CHECK(format_amount(100 * kCoin) == "100");
        CHECK(format_amount(0) == "0");
        CHECK(format_amount(-150'000'000) == "-1.5");
        for (Amount a : {Amount{1}, Amount{123456789}, kMaxMoney, Amount{10 * kCoin + 7}})
            CHECK(*parse_amount(format_amount(a)) == a);
    }
}
